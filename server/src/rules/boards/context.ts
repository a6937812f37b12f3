// What the board features work from: the document's analysis, its system (root + cells) and
// the board the client chose. Without a client board, a non-root cell uses its root cell.
import type { Analysis } from '../../core/analysis';
import type { System } from '../../workspace/system';
import type { ConfigModel, MemoryRegion } from '../../core/model';
import { boardFromRootCell, MEM } from '../../boards/rootBoard';
import type { Board, BoardDevice, BoardIrq, RegWindow } from '../../boards/types';
import { hex, intidOf } from '../../boards/types';
import { bitIds } from '../../util/format';

export interface BoardFeatureContext {
  board?: Board;
  system?: System;
}

export interface ResolvedBoard {
  board: Board;
  /** The board is the root cell's own description (no client board). */
  fromRoot: boolean;
}

export function rootModelOf(analysis: Analysis, ctx: BoardFeatureContext): ConfigModel | undefined {
  if (analysis.model?.kind === 'system') return analysis.model;
  const root = ctx.system?.root?.model;
  return root?.kind === 'system' ? root : undefined;
}

export function effectiveBoard(analysis: Analysis, ctx: BoardFeatureContext): ResolvedBoard | undefined {
  if (ctx.board) return { board: ctx.board, fromRoot: false };
  if (analysis.model?.kind !== 'cell') return undefined;
  const root = rootModelOf(analysis, ctx);
  const b = root && boardFromRootCell(root);
  return b ? { board: b, fromRoot: true } : undefined;
}

/** Other configurations of the system (root first), with their models. */
export function otherConfigs(analysis: Analysis, ctx: BoardFeatureContext): ConfigModel[] {
  const out: ConfigModel[] = [];
  for (const a of [ctx.system?.root, ...(ctx.system?.cells ?? [])]) {
    if (a?.model && a.file !== analysis.file && !out.includes(a.model)) out.push(a.model);
  }
  return out;
}

export const mmio = (d: BoardDevice): RegWindow[] => d.reg.filter((w) => w.space !== 'pio');
export const pio = (d: BoardDevice): RegWindow[] => d.reg.filter((w) => w.space === 'pio');
const end = (w: { base: bigint; size: bigint }) => w.base + w.size;

export function overlaps(a: { base: bigint; size: bigint }, b: { base: bigint; size: bigint }): boolean {
  return a.size > 0n && b.size > 0n && a.base < end(b) && b.base < end(a);
}

export function containsWindow(outer: { base: bigint; size: bigint }, inner: { base: bigint; size: bigint }): boolean {
  return outer.base <= inner.base && end(inner) <= end(outer);
}

export const regionWindow = (r: MemoryRegion) => ({ base: r.phys_start, size: r.size });

/** The interrupt controller's own register windows (cells never map these; Jailhouse emulates them). */
export function isInterruptController(board: Board, d: BoardDevice): boolean {
  const ic = board.interruptController;
  if (!ic) return false;
  const bases = ic.type === 'gic' ? [ic.gicd, ic.gicc, ic.gich, ic.gicv, ic.gicr].filter((b): b is bigint => b !== undefined) : ic.ioapics.map((a) => a.base);
  return mmio(d).some((w) => bases.some((b) => b >= w.base && b < end(w)));
}

/** Key of an interrupt as irqchips grant it: INTID (GIC) or `ioapic-base:pin`. */
export function irqKey(board: Board, q: BoardIrq): string | undefined {
  if (q.type === 'ioapic') {
    const ic = board.interruptController;
    const a = ic?.type === 'ioapic' ? ic.ioapics[q.ioapic ?? 0] : undefined;
    return a ? `${hex(a.base)}:${q.number}` : undefined;
  }
  const id = intidOf(q);
  return id !== undefined ? String(id) : undefined;
}

/** Interrupts granted by a config's irqchips, keyed like irqKey (GIC entries must use gicd). */
export function grantedIrqs(model: ConfigModel, board: Board): Map<string, { chip: number; word: number }> {
  const out = new Map<string, { chip: number; word: number }>();
  const ic = board.interruptController;
  model.irqchips.forEach((c, ci) => {
    if (ic?.type === 'gic' && c.address !== ic.gicd) return;
    for (const k of bitIds(c.pin_bitmap, 32)) {
      const key = model.arch === 'x86' || ic?.type === 'ioapic' ? `${hex(c.address)}:${k}` : String(Number(c.pin_base) + k);
      if (!out.has(key)) out.set(key, { chip: ci, word: Math.floor(k / 32) });
    }
  });
  return out;
}

export function cellName(m: ConfigModel): string {
  return m.cell.name || m.file.split('/').pop() || m.file;
}

/** Which configurations map (part of) a window, e.g. `root "imx8mm" (region 3)`. */
export function mappers(w: { base: bigint; size: bigint }, models: ConfigModel[]): string[] {
  const out: string[] = [];
  for (const m of models) {
    const hits = m.mem_regions.filter((r) => (r.flags & MEM.COMM_REGION) === 0n && overlaps(regionWindow(r), w));
    if (hits.length) out.push(`${m.kind === 'system' ? 'root ' : ''}"${cellName(m)}" (region ${hits.map((h) => h.$index).join(', ')})`);
  }
  return out;
}
