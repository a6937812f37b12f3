// What a system leaves for a new non-root cell: the root's CPUs no sibling cell takes, the
// root's RAM for cells (the region the root generator names "… cells …", docs/generate.md "New
// cell") minus what siblings, the hypervisor and the emulated windows use, the devices (from the
// board, else the root's named I/O regions), the free ivshmem links and the interrupts in use.
import type { Analysis } from '../core/analysis';
import type { ConfigModel, MemoryRegion, PciDevice } from '../core/model';
import { CON_TYPE, has, isComm, MEM, PCI_TYPE } from '../core/flags';
import { isRamRegion } from '../boards/rootBoard';
import type { Board, BoardDevice } from '../boards/types';
import { isInterruptController } from '../rules/boards/context';
import { platformWindows } from '../rules/platformWindows';
import { bitIds, hex, humanSize } from '../util/format';
import type { System } from '../workspace/system';
import { overlap, pageSpan, subtract, type Span } from './spans';

export class CellProblem extends Error {
  override readonly name = 'CellProblem';
  /** `input`: the options ask for what the system cannot give (exit 2); `system`: the system itself is not usable (exit 1). */
  constructor(
    message: string,
    readonly kind: 'input' | 'system' = 'input',
  ) {
    super(message);
  }
}

export interface DeviceChoice {
  name: string;
  /** Other names that select it: the device-tree label and path. */
  aliases: string[];
  windows: { start: bigint; size: bigint }[];
  /** GIC SPI numbers (INTID − 32). */
  irqs: number[];
  rootShared: boolean;
  takenBy?: string;
  disabled?: boolean;
  /** Where the name comes from (for messages). */
  source: 'board' | 'root';
}

export interface LinkChoice {
  bdf: number;
  name?: string;
  /** The root's device and its 2 + shmem_peers regions (state table, common section, outputs). */
  device: PciDevice;
  regions: MemoryRegion[];
}

export interface CellSite {
  root: ConfigModel;
  rootFile: string;
  siblings: ConfigModel[];
  allCpus: number[];
  freeCpus: number[];
  /** Root RAM regions (candidates for --ram-start when no cell area is named). */
  rootRam: MemoryRegion[];
  cellArea?: MemoryRegion;
  cellAreaProblem?: string;
  /** Address ranges no new cell's RAM may use (siblings, hypervisor, emulated windows, other root regions). */
  taken: Span[];
  freeRam: Span[];
  devices: DeviceChoice[];
  /** The board devices come from, if any. */
  board?: Board;
  /** Where device names were resolved: the board's id, or the root config. */
  deviceSource: string;
  links: LinkChoice[];
  /** SPIs (INTID − 32) the root owns in its irqchips at the distributor. */
  rootSpis: Set<number>;
  /** SPIs a sibling cell owns, with its name. */
  siblingSpis: Map<number, string>;
  /** SPIs in use otherwise: board devices' interrupts, the root's virtual PCI INTx. */
  busySpis: Set<number>;
}

const cellName = (m: ConfigModel, file: string) => m.cell.name || file;

/** The root's SPIs at its GIC distributor. */
function spisOf(m: ConfigModel, gicd: bigint): Set<number> {
  const out = new Set<number>();
  for (const c of m.irqchips) {
    if (c.address !== gicd) continue;
    for (const k of bitIds(c.pin_bitmap, 32)) {
      const intid = Number(c.pin_base) + k;
      if (intid >= 32) out.add(intid - 32);
    }
  }
  return out;
}

/** The root's RAM regions, without the shared memory of its ivshmem devices (also plain read/write regions in a root). */
function rootRam(root: ConfigModel): MemoryRegion[] {
  const shared = new Set<number>();
  for (const d of root.pci_devices) {
    if (d.type !== PCI_TYPE.IVSHMEM) continue;
    for (let k = 0; k < 2 + Number(d.shmem_peers); k++) shared.add(Number(d.shmem_regions_start) + k);
  }
  return root.mem_regions.filter((r) => isRamRegion(r) && !shared.has(r.$index));
}

/** The root RAM region new cells take their RAM from: named "… cells …", else /inmate|cell/. */
function findCellArea(root: ConfigModel): { area?: MemoryRegion; problem?: string } {
  const ram = rootRam(root);
  // "RAM - 1GB - root cell" is the root's own.
  const named = (re: RegExp) => ram.filter((r) => r.$name && re.test(r.$name) && !/\broot\b/i.test(r.$name));
  for (const re of [/\bcells\b/i, /inmate|cell/i]) {
    const hits = named(re);
    if (hits.length === 1) return { area: hits[0] };
    if (hits.length > 1) {
      const list = hits.map((r) => `"${r.$name}" at ${hex(r.phys_start)}`).join(', ');
      return { problem: `the root has ${hits.length} RAM regions named for cells (${list}); give --ram-start to say which` };
    }
  }
  const list = ram.map((r) => `${r.$name ? `"${r.$name}" ` : ''}${hex(r.phys_start)}-${hex(r.phys_start + r.size - 1n)}`).join(', ');
  return {
    problem: `no root RAM region is named for cells (a comment with "cells" or "inmate" before it); the root's RAM is ${list || 'none'}: give --ram-start ADDRESS inside RAM that root Linux does not use`,
  };
}

function boardDevices(board: Board, root: ConfigModel): DeviceChoice[] {
  const emulated = platformWindows(root).map((w) => ({ start: w.start, end: w.start + w.size }));
  const out: DeviceChoice[] = [];
  for (const d of board.devices) {
    if (isInterruptController(board, d)) continue;
    const windows = d.reg.filter((w) => w.space !== 'pio' && w.size > 0n).map((w) => ({ start: w.base, size: w.size }));
    if (!windows.length) continue;
    // The hypervisor emulates these (PCI host's ECAM, IOMMU): a cell cannot map them.
    if (windows.some((w) => emulated.some((e) => overlap({ start: w.start, end: w.start + w.size }, e)))) continue;
    out.push({
      name: d.name,
      aliases: [d.label, d.path].filter((x): x is string => !!x),
      windows,
      irqs: spiNumbers(d),
      rootShared: true,
      disabled: d.disabled,
      source: 'board',
    });
  }
  return out;
}

const spiNumbers = (d: BoardDevice): number[] => [...new Set(d.interrupts.filter((q) => q.type === 'spi').map((q) => q.number))].sort((a, b) => a - b);

function rootDevices(root: ConfigModel): DeviceChoice[] {
  return root.mem_regions
    .filter((r) => r.size > 0n && has(r.flags, MEM.IO) && !isComm(r))
    .map((r) => ({ name: r.$name?.trim() || `region ${r.$index}`, aliases: [], windows: [{ start: r.phys_start, size: r.size }], irqs: [], rootShared: true, source: 'root' as const }));
}

/** The ivshmem links of the root with two peers that no sibling cell has joined yet. */
function freeLinks(root: ConfigModel, siblings: ConfigModel[]): LinkChoice[] {
  const used = new Set(siblings.flatMap((s) => s.pci_devices.filter((d) => d.type === PCI_TYPE.IVSHMEM).map((d) => d.bdf)));
  const out: LinkChoice[] = [];
  for (const d of root.pci_devices) {
    if (d.type !== PCI_TYPE.IVSHMEM || d.shmem_peers !== 2n || used.has(d.bdf)) continue;
    const first = Number(d.shmem_regions_start);
    const regions = root.mem_regions.slice(first, first + 4);
    if (regions.length < 4) continue;
    out.push({ bdf: Number(d.bdf), name: d.$name, device: d, regions });
  }
  return out;
}

/** Everything a new cell of `system` can take. Throws CellProblem when the system has no usable root. */
export function cellSite(system: System, board?: Board): CellSite {
  const rootA: Analysis | undefined = system.root;
  const root = rootA?.model;
  if (!rootA || !root) throw new CellProblem('the system has no root cell configuration (a file with struct jailhouse_system)', 'input');
  if (root.kind !== 'system' || !root.system) throw new CellProblem(`${rootA.file} is a cell configuration, not a system (root cell) configuration`, 'input');
  const rootErrors = rootA.diagnostics.filter((d) => d.severity === 'error');
  if (rootErrors.length) throw new CellProblem(`${rootA.file} has ${rootErrors.length} error(s) (first: ${rootErrors[0].message}); fix them first (jhcell check ${rootA.file})`, 'system');
  const siblingsA = system.cells.filter((c) => c.model && c.file !== rootA.file);
  const siblings = siblingsA.map((c) => c.model!);
  const allCpus = bitIds(root.cpus);
  const usedCpus = new Set(siblings.flatMap((s) => bitIds(s.cpus)));
  const freeCpus = allCpus.filter((c) => !usedCpus.has(c));

  const { area, problem } = findCellArea(root);
  const hv = root.system.hypervisor_memory;
  const taken: Span[] = [{ start: hv.phys_start, end: hv.phys_start + hv.size }];
  for (const w of platformWindows(root)) taken.push({ start: w.start, end: w.start + w.size });
  for (const s of siblings) for (const r of s.mem_regions) if (r.size > 0n && !isComm(r)) taken.push({ start: r.phys_start, end: r.phys_start + r.size });
  // Other root regions inside the cell area (shared memory the root generator put there).
  for (const r of root.mem_regions) if (r.size > 0n && r !== area && !isRamRegion(r)) taken.push({ start: r.phys_start, end: r.phys_start + r.size });
  const freeRam = area ? subtract([{ start: area.phys_start, end: area.phys_start + area.size }], taken) : [];

  const devices = board ? boardDevices(board, root) : rootDevices(root);
  for (const d of devices) {
    for (const [i, s] of siblings.entries()) {
      const hit = s.mem_regions.some((r) => r.size > 0n && !isComm(r) && !has(r.flags, MEM.ROOTSHARED) && d.windows.some((w) => overlap(pageSpan(w.start, w.size), { start: r.phys_start, end: r.phys_start + r.size })));
      if (hit) {
        d.takenBy = cellName(s, siblingsA[i].file);
        break;
      }
    }
  }

  const gicd = root.system.platform_info.arm.gicd_base;
  const rootSpis = root.arch === 'x86' ? new Set<number>() : spisOf(root, gicd);
  const siblingSpis = new Map<number, string>();
  siblings.forEach((s, i) => {
    for (const n of spisOf(s, gicd)) siblingSpis.set(n, cellName(s, siblingsA[i].file));
  });
  const busySpis = new Set<number>();
  if (board) for (const d of board.devices) for (const n of spiNumbers(d)) busySpis.add(n);
  if (root.pci_devices.length) for (let k = 0; k < 4; k++) busySpis.add(Number(root.cell.vpci_irq_base) + k);

  return {
    root,
    rootFile: rootA.file,
    siblings,
    allCpus,
    freeCpus,
    rootRam: rootRam(root),
    cellArea: area,
    cellAreaProblem: problem,
    taken,
    freeRam,
    devices,
    board,
    deviceSource: board ? `board ${board.id}` : `the named I/O regions of ${rootA.file}`,
    links: freeLinks(root, siblings),
    rootSpis,
    siblingSpis,
    busySpis,
  };
}

/** The root's debug console, when it is a UART a cell could print on. */
export function rootConsole(root: ConfigModel): { address: bigint } | undefined {
  const c = root.system?.debug_console;
  if (!c || c.type === CON_TYPE.NONE || c.type === CON_TYPE.EFIFB || c.address === 0n) return undefined;
  return { address: c.address };
}

export const sizeText = (v: bigint): string => `${humanSize(v)} (${hex(v)})`;
