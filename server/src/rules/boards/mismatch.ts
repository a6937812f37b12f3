// A board chosen for a system it does not describe (`--board imx8mm-evk` on qemu-arm64.c):
// every board finding would then speak of another machine. The root cell says which SoC the
// system is for: its architecture, the GIC (ARM) or IOAPIC (x86) addresses and its RAM. When
// those disagree with the board, one `board-mismatch` diagnostic says so on the root config,
// with the evidence.
import type { Analysis } from '../../core/analysis';
import type { Diag } from '../../core/diagnostics';
import type { ConfigModel, Node } from '../../core/model';
import type { Loc } from '../../util/source';
import { isRamRegion } from '../../boards/rootBoard';
import type { Board, RegWindow } from '../../boards/types';
import { hex } from '../../boards/types';
import { overlaps } from './context';

export interface Evidence {
  text: string;
  /** The root config's field the evidence is about, when the source gives it. */
  loc?: Loc;
}

const fieldLoc = (n: Node, field: string): Loc | undefined => n.$fieldLoc[field] ?? n.$loc;
const range = (w: RegWindow) => `${hex(w.base)}-${hex(w.base + w.size - 1n)}`;

/** Why `board` is not the machine of the system config `root`; empty when nothing disagrees. */
export function boardMismatch(root: ConfigModel, board: Board): Evidence[] {
  if (root.kind !== 'system' || !root.system || !root.arch) return [];
  const out: Evidence[] = [];
  const header = root.system;
  if (board.arch !== root.arch) {
    out.push({ text: `the config is for ${root.arch}, the board is ${board.arch}`, loc: fieldLoc(header, 'architecture') });
    return out;
  }
  const ic = board.interruptController;
  if (root.arch !== 'x86' && ic?.type === 'gic') {
    const arm = header.platform_info.arm;
    // Not the GICv2 CPU/virtual interfaces: SoCs alias their 4 KiB pages every 64 KiB and
    // configs pick another alias than the device tree (zynqmp-zcu102.c: gicc 0xf902f000, the
    // device tree 0xf9020000).
    const pairs: [string, string, bigint, bigint | undefined][] = [
      ['GIC distributor', 'gicd_base', arm.gicd_base, ic.gicd],
      ['GIC redistributor', 'gicr_base', arm.gicr_base, ic.gicr],
    ];
    if (arm.gic_version !== 0n && arm.gic_version !== BigInt(ic.version)) {
      out.push({ text: `GICv${arm.gic_version} in the config, GICv${ic.version} on the board`, loc: fieldLoc(arm, 'gic_version') });
    }
    for (const [what, field, mine, theirs] of pairs) {
      if (mine === 0n || theirs === undefined || mine === theirs) continue;
      out.push({ text: `${what} at ${hex(mine)} in the config, ${hex(theirs)} on the board`, loc: fieldLoc(arm, field) });
    }
  } else if (root.arch === 'x86' && ic?.type === 'ioapic' && ic.ioapics.length) {
    const bases = new Set(ic.ioapics.map((a) => a.base));
    const chips = root.irqchips.filter((c) => c.address !== 0n);
    if (chips.length && !chips.some((c) => bases.has(c.address))) {
      out.push({
        text: `IOAPIC at ${chips.map((c) => hex(c.address)).join(', ')} in the config, ${[...bases].map((b) => hex(b)).join(', ')} on the board`,
        loc: fieldLoc(chips[0], 'address'),
      });
    }
  }
  // RAM: a board's memory node may describe less than the firmware later fills in, so only a
  // config whose RAM lies wholly outside the board's is evidence.
  const ram = root.mem_regions.filter(isRamRegion);
  const hv = header.hypervisor_memory;
  const mine: { w: RegWindow; node: Node; field: string }[] = ram.map((r) => ({ w: { base: r.phys_start, size: r.size }, node: r as Node, field: 'phys_start' }));
  if (hv.size > 0n) mine.push({ w: { base: hv.phys_start, size: hv.size }, node: hv, field: 'phys_start' });
  const boardRam = board.ram.filter((w) => w.size > 0n);
  if (mine.length && boardRam.length && !mine.some((m) => boardRam.some((b) => overlaps(m.w, b)))) {
    out.push({
      text: `none of the config's RAM (${mine.map((m) => range(m.w)).join(', ')}) is RAM on the board (${boardRam.map(range).join(', ')})`,
      loc: fieldLoc(mine[0].node, mine[0].field),
    });
  }
  return out;
}

/** The `board-mismatch` diagnostic of a system with a chosen board, on its root config. */
export function boardMismatchDiagnostic(root: Analysis | undefined, board: Board | undefined): Diag | undefined {
  const model = root?.model;
  if (!root || !model || !board) return undefined;
  const evidence = boardMismatch(model, board);
  if (!evidence.length) return undefined;
  const usable = (l: Loc | undefined): l is Loc => !!l && l.file === root.file;
  const loc = evidence.map((e) => e.loc).find(usable) ?? (usable(model.header.$loc) ? model.header.$loc : { file: root.file, start: 0, end: 0 });
  const others = evidence.filter((e) => usable(e.loc) && e.loc !== loc);
  return {
    code: 'board-mismatch',
    severity: 'warning',
    message:
      `The board "${board.name}" does not look like the machine of this system config: ${evidence.map((e) => e.text).join('; ')}. ` +
      'Board completion, hover and board-* findings describe that board, not this one.',
    loc,
    related: others.map((e) => ({ loc: e.loc!, message: e.text })),
  };
}
