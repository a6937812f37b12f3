// Quick fixes for the memory-overlap family: shrink the region so it stops where the other
// range begins (or starts where it ends), move it to the nearest free gap, or — for two cells
// mapping the same range where one marks it ROOTSHARED — mark the other one too.
import type { MemoryRegion } from '../../core/model';
import { isComm, isRootShared, MEM, PAGE } from '../../core/flags';
import { hex } from '../format';
import { nearestGap } from '../intervals';
import { platformWindows } from '../platformWindows';
import type { CellRef, Diag, Fix, RuleContext, TextEdit } from '../types';
import { addFlag, hexLit, setField } from './edit';
import { moveReset } from './resetAddress';

export interface OverlapData {
  file: string;
  index: number;
  space: 'phys' | 'virt';
  /** The other range, exclusive end, as hex strings (LSP round-trips data as JSON). */
  other: { start: string; end: string };
  otherFile?: string;
  otherIndex?: number;
  sameRange?: boolean;
  /** The window part hit lies past what `jailhouse config check` sizes (GICR frames after CPU 0's). */
  pastConfigCheck?: boolean;
}

function alignOf(start: bigint, size: bigint): bigint {
  let a = 0x200000n;
  while (a > PAGE && (start % a !== 0n || size < a)) a >>= 1n;
  return a;
}

function busyFor(ctx: RuleContext, c: CellRef, self: MemoryRegion, space: 'phys' | 'virt'): { start: bigint; end: bigint }[] {
  const busy: { start: bigint; end: bigint }[] = [];
  const add = (s: bigint, n: bigint) => busy.push({ start: s, end: s + n });
  for (const r of c.model.mem_regions) {
    if (r === self || r.size === 0n) continue;
    if (space === 'virt') add(r.virt_start, r.size);
    else if (!isComm(r)) add(r.phys_start, r.size);
  }
  if (space === 'phys' && ctx.root) {
    const hv = ctx.root.model.system?.hypervisor_memory;
    if (hv) add(hv.phys_start, hv.size);
    for (const w of platformWindows(ctx.root.model)) add(w.start, w.size);
    if (!c.isRoot) {
      for (const o of ctx.cells) {
        if (o === c || ctx.pairing(o, c) === 'apart') continue;
        for (const r of o.model.mem_regions) if (r.size > 0n && !isComm(r)) add(r.phys_start, r.size);
      }
    }
  }
  return busy;
}

function all(edits: (TextEdit | undefined)[]): TextEdit[] | undefined {
  return edits.every((e) => e) ? (edits as TextEdit[]) : undefined;
}

export function overlapFixes(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as OverlapData | undefined;
  if (!d || typeof d.index !== 'number') return [];
  const c = ctx.all.find((x) => x.file === d.file);
  const r = c?.model.mem_regions[d.index];
  if (!c || !r) return [];
  const fixes: Fix[] = [];
  const oStart = BigInt(d.other.start);
  const oEnd = BigInt(d.other.end);
  const start = d.space === 'phys' ? r.phys_start : r.virt_start;
  const end = start + r.size;
  // Root regions are mapped 1:1: moving one address moves the other.
  const oneToOne = c.isRoot && r.phys_start === r.virt_start;

  if (d.sameRange && d.otherFile !== undefined && !isRootShared(r)) {
    const o = ctx.all.find((x) => x.file === d.otherFile)?.model.mem_regions[d.otherIndex ?? -1];
    if (o && isRootShared(o)) {
      const e = addFlag(c, r, 'flags', 'JAILHOUSE_MEM_ROOTSHARED');
      if (e) fixes.push({ title: 'Mark the region JAILHOUSE_MEM_ROOTSHARED (shared like in the other cell)', edits: [e], preferred: true });
    }
  }

  // A shrink that cuts off the cell's start address would leave it in no region (reset-address).
  const reset = c.model.cell.cpu_reset_address;
  const cutsReset = (from: bigint, to: bigint) => !c.isRoot && r.virt_start + from <= reset && reset < r.virt_start + to;
  // Root regions are mapped in order, so a later writable region over a read-only one makes the
  // bytes writable; shrinking it hands them back to the read-only one, and a cell that loads its
  // image there could no longer be loaded (memory-loadable-readonly).
  const inThisCell = (m: MemoryRegion) => (d.space === 'phys' ? m.phys_start : m.virt_start) === oStart && m.size === oEnd - oStart && m !== r;
  const other = d.otherFile === undefined ? c.model.mem_regions.find(inThisCell) : d.otherFile === c.file ? c.model.mem_regions[d.otherIndex ?? -1] : undefined;
  const losesLoad = (from: bigint, to: bigint) =>
    c.isRoot &&
    !!other &&
    (other.flags & MEM.WRITE) === 0n &&
    ctx.cells.some((cell) => cell.model.mem_regions.some((m) => (m.flags & MEM.LOADABLE) !== 0n && m.phys_start < r.phys_start + to && r.phys_start + from < m.phys_start + m.size));
  const keeps = (from: bigint, to: bigint) => !cutsReset(from, to) && !losesLoad(from, to);
  if (start < oStart && oStart < end) {
    const e = !keeps(oStart - start, r.size) ? undefined : setField(c, r, 'size', hexLit(oStart - start));
    if (e) fixes.push({ title: `Shrink the region to ${hex(oStart - start, 1)} bytes so it ends at ${hex(oStart)}`, edits: [e] });
  } else if (end > oEnd && oEnd > start && keeps(0n, oEnd - start)) {
    const delta = oEnd - start;
    const edits = all([
      setField(c, r, 'phys_start', hexLit(r.phys_start + delta)),
      setField(c, r, 'virt_start', hexLit(r.virt_start + delta)),
      setField(c, r, 'size', hexLit(r.size - delta)),
    ]);
    if (edits) fixes.push({ title: `Shrink the region to start at ${hex(oEnd)}`, edits });
  }

  const busy = busyFor(ctx, c, r, d.space);
  const to = nearestGap(busy, r.size, start, alignOf(start, r.size));
  if (to !== undefined && to !== start && !losesLoad(0n, r.size)) {
    const fields = d.space === 'phys' ? (oneToOne ? ['phys_start', 'virt_start'] : ['phys_start']) : oneToOne ? ['phys_start', 'virt_start'] : ['virt_start'];
    // A cell that starts in the region starts at the same place in it after the move.
    const startsHere = !c.isRoot && fields.includes('virt_start') && r.virt_start <= reset && reset < r.virt_start + r.size;
    const edits = all([...fields.map((f) => setField(c, r, f, hexLit(to))), ...(startsHere ? [moveReset(c, reset + to - r.virt_start)] : [])]);
    const also = startsHere ? `, and cpu_reset_address with it to ${hex(reset + to - r.virt_start)}` : '';
    if (edits) fixes.push({ title: `Move the region to the nearest free ${d.space === 'phys' ? 'physical' : 'guest'} range at ${hex(to)}${also}`, edits });
  }
  return fixes;
}
