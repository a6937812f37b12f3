// Address ranges as [start, end) with bigint bounds: the arithmetic the layout, the device
// regions, the PCI window and a new cell's RAM share (subtracting RAM and carve-outs, merging
// windows, the first aligned place of a size). The set arithmetic itself is util/spans.ts.
import { overlap, type Span } from '../util/spans';

export { overlap, subtract, type Span } from '../util/spans';

export const PAGE = 0x1000n;
export const MIB = 0x100000n;
export const GIB = 0x40000000n;

export const alignDown = (v: bigint, a: bigint): bigint => v - (((v % a) + a) % a);
export const alignUp = (v: bigint, a: bigint): bigint => alignDown(v + a - 1n, a);

export const spanOf = (base: bigint, size: bigint): Span => ({ start: base, end: base + size });
export const sizeOf = (s: Span): bigint => s.end - s.start;
export const contains = (outer: Span, inner: Span): boolean => outer.start <= inner.start && inner.end <= outer.end;

/** The highest free span of `size` bytes aligned to `align`, below `limit`, touching none of `busy`. */
export function highestFree(size: bigint, align: bigint, limit: bigint, busy: readonly Span[], floor = align): Span | undefined {
  const sorted = [...busy].filter((b) => b.start < limit).sort((a, b) => (a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
  let top = alignDown(limit, align);
  for (;;) {
    const start = top - size;
    if (start < floor) return undefined;
    const cand = { start, end: top };
    const hit = sorted.find((b) => overlap(b, cand));
    if (!hit) return cand;
    top = alignDown(hit.start, align);
  }
}

/** The lowest start, a multiple of `align`, where `size` bytes fit inside one of `pieces`. */
export function firstFit(pieces: readonly Span[], size: bigint, align: bigint): bigint | undefined {
  for (const p of pieces) {
    const s = alignUp(p.start, align);
    if (s + size <= p.end) return s;
  }
  return undefined;
}

/** The alignment a cell's RAM block of `size` gets: 2 MiB (a huge page) when it is that large, else 64 KiB, as upstream's demo cells. */
export function ramAlign(size: bigint): bigint {
  return size >= 0x200000n ? 0x200000n : 0x10000n;
}

/** Page-rounded outward: the smallest page-mapped span holding [start, start + size). */
export function pageSpan(start: bigint, size: bigint): Span {
  return { start: alignDown(start, PAGE), end: alignUp(start + size, PAGE) };
}
