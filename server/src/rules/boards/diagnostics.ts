// Board diagnostics (own ids, information/warning; run as rules by rules/board.ts):
//  - board-partial-device: a region starts inside a device's register window, so the
//    device's first registers are not mapped (or a neighbour's registers are);
//  - board-device-uncovered: the cell is granted a device's interrupt, but maps none of the
//    device's registers (no region holds the start of a window, no PIO range its first port).
import type { Analysis } from '../../core/analysis';
import type { Diag } from '../../core/diagnostics';
import { MEM } from '../../boards/rootBoard';
import type { Board } from '../../boards/types';
import { hex, irqLabel, sizeLabel } from '../../boards/types';
import type { ConfigModel } from '../../core/model';
import type { RegWindow } from '../../boards/types';
import { effectiveBoard, grantedIrqs, irqKey, isInterruptController, mmio, overlaps, pio, regionWindow, rootModelOf, type BoardFeatureContext } from './context';
import type { PartialData, UncoveredData } from './fixes';

/** The ids of the board findings (their rules, descriptions and levels: rules/board.ts). */
export const BOARD_DIAG_CODES = ['board-partial-device', 'board-device-uncovered', 'board-mismatch'] as const;

/** Windows larger than this are apertures (PCIe, flash) that cells legitimately map in parts. */
const APERTURE = 0x1000000n;

export function uncoveredData(device: string, win: RegWindow, root: ConfigModel | undefined): UncoveredData {
  const data: UncoveredData = { device, base: hex(win.base), size: hex(win.size), space: win.space ?? 'mmio' };
  if (data.space === 'mmio') {
    const base = win.base & ~0xfffn;
    const size = ((win.base + win.size + 0xfffn) & ~0xfffn) - base;
    const rootShared = !!root?.mem_regions.some((r) => (r.flags & MEM.IO) !== 0n && overlaps(regionWindow(r), { base, size }));
    data.region = { base: hex(base), size: hex(size), rootShared };
  }
  return data;
}

export function boardDiagnostics(analysis: Analysis, ctx: BoardFeatureContext): Diag[] {
  return [...partialDevices(analysis, ctx), ...uncoveredDevices(analysis, ctx)];
}

const inFile = (analysis: Analysis) => (l: { file: string } | undefined) => !!l && l.file === analysis.file;

/** `board-partial-device` findings of one config (in its own file). */
export function partialDevices(analysis: Analysis, ctx: BoardFeatureContext): Diag[] {
  const model = analysis.model;
  const eb = effectiveBoard(analysis, ctx);
  if (!model || !eb) return [];
  const board: Board = eb.board;
  const out: Diag[] = [];
  const here = inFile(analysis);
  for (const r of model.mem_regions) {
    if (r.size === 0n || (r.flags & MEM.COMM_REGION) !== 0n || !here(r.$loc)) continue;
    const w = regionWindow(r);
    for (const d of board.devices) {
      if (isInterruptController(board, d)) continue;
      for (const x of mmio(d)) {
        if (x.size > APERTURE) continue;
        const startsInside = w.base > x.base && w.base < x.base + x.size;
        if (!startsInside) continue;
        out.push({
          code: 'board-partial-device',
          severity: 'information',
          message: `Region ${r.$index}${r.$name ? ` (${r.$name})` : ''} starts at ${hex(w.base)}, inside ${d.name} (${hex(x.base)}, ${sizeLabel(x.size)}): the device's first ${hex(w.base - x.base)} bytes are not mapped by it.`,
          loc: r.$fieldLoc.phys_start ?? r.$loc!,
          data: { device: d.name, base: hex(x.base), size: hex(x.size), region: r.$index } satisfies PartialData,
        });
      }
    }
  }
  return out.filter((d) => here(d.loc));
}

/** `board-device-uncovered` findings of one non-root config (in its own file). */
export function uncoveredDevices(analysis: Analysis, ctx: BoardFeatureContext): Diag[] {
  const model = analysis.model;
  const eb = effectiveBoard(analysis, ctx);
  if (!model || !eb || model.kind !== 'cell') return [];
  const board: Board = eb.board;
  const out: Diag[] = [];
  const root = rootModelOf(analysis, ctx);
  const granted = grantedIrqs(model, board);
  const coveredByCell = (dName: string) => {
    const d = board.devices.find((x) => x.name === dName)!;
    return (
      mmio(d).some((x) => model.mem_regions.some((r) => r.size > 0n && (r.flags & MEM.COMM_REGION) === 0n && x.base >= r.phys_start && x.base < r.phys_start + r.size)) ||
      pio(d).some((x) => model.pio_regions.some((p) => x.base >= p.base && x.base < p.base + p.length))
    );
  };
  // The cell's own virtual PCI host raises INTx on SPIs vpci_irq_base + 0..3 (ARM): those are
  // not the board's devices even when a device shares the number.
  const vpci = new Set<string>();
  if (model.arch !== 'x86' && model.pci_devices.length > 0) for (let i = 0; i < 4; i++) vpci.add(String(32 + Number(model.cell.vpci_irq_base) + i));
  for (const [key, where] of granted) {
    if (vpci.has(key)) continue;
    // Shared interrupt lines: one mapped device of the line is enough.
    const devs = board.devices.filter((d) => !isInterruptController(board, d) && d.reg.length > 0 && d.interrupts.some((q) => (q.type === 'spi' || q.type === 'ioapic') && irqKey(board, q) === key));
    if (!devs.length || devs.some((d) => coveredByCell(d.name))) continue;
    const chip = model.irqchips[where.chip];
    const d = devs[0];
    const q = d.interrupts.find((x) => irqKey(board, x) === key)!;
    const win = d.reg[0];
    out.push({
      code: 'board-device-uncovered',
      severity: 'warning',
      message: `The cell is granted ${irqLabel(q)} of ${devs.map((x) => x.name).join('/')}, but no region maps its registers (${win.space === 'pio' ? 'ports ' : ''}${hex(win.base)}, ${sizeLabel(win.size)}).`,
      loc: chip.$fieldLoc.pin_bitmap ?? chip.$loc!,
      data: uncoveredData(d.name, win, root),
    });
  }
  const here = inFile(analysis);
  return out.filter((d) => here(d.loc));
}
