// Address arithmetic for placing a new cell: half-open spans, what is left of some spans once
// others are taken away, and the first aligned place of a given size.

/** [start, end) */
export interface Span {
  start: bigint;
  end: bigint;
}

export const PAGE = 0x1000n;

export const alignUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;
export const alignDown = (v: bigint, a: bigint): bigint => (v / a) * a;

export function overlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** What remains of `pieces` after removing every span of `taken`, in address order. */
export function subtract(pieces: Span[], taken: Span[]): Span[] {
  let out = pieces.filter((p) => p.end > p.start);
  for (const t of taken) {
    if (t.end <= t.start) continue;
    const next: Span[] = [];
    for (const p of out) {
      if (!overlap(p, t)) {
        next.push(p);
        continue;
      }
      if (p.start < t.start) next.push({ start: p.start, end: t.start });
      if (t.end < p.end) next.push({ start: t.end, end: p.end });
    }
    out = next;
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** The lowest start, a multiple of `align`, where `size` bytes fit inside one of `pieces`. */
export function firstFit(pieces: Span[], size: bigint, align: bigint): bigint | undefined {
  for (const p of pieces) {
    const s = alignUp(p.start, align);
    if (s + size <= p.end) return s;
  }
  return undefined;
}

/** The alignment a RAM block of `size` gets: 2 MiB (a huge page) when it is that large, else 64 KiB, as upstream's demo cells. */
export function ramAlign(size: bigint): bigint {
  return size >= 0x200000n ? 0x200000n : 0x10000n;
}

/** Page-rounded outward: the smallest page-mapped span holding [start, start + size). */
export function pageSpan(start: bigint, size: bigint): Span {
  return { start: alignDown(start, PAGE), end: alignUp(start + size, PAGE) };
}
