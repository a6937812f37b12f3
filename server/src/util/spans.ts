// Address ranges as [start, end) with bigint bounds: the set arithmetic the rules, the map, the
// differ, board completion and the generators share.

export interface Span {
  start: bigint;
  /** Exclusive. */
  end: bigint;
}

export const overlap = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** The union of the spans as disjoint spans in address order (empty ones dropped, touching ones joined). */
export function union(items: readonly Span[]): Span[] {
  const sorted = items.filter((x) => x.end > x.start).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Span[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.start <= last.end) {
      if (x.end > last.end) last.end = x.end;
    } else out.push({ start: x.start, end: x.end });
  }
  return out;
}

/** `from` (one span or several) less every span of `cut`, in address order (empty pieces dropped). */
export function subtract(from: Span | readonly Span[], cut: readonly Span[]): Span[] {
  let pieces: Span[] = 'start' in from ? [{ start: from.start, end: from.end }] : from.map((p) => ({ start: p.start, end: p.end }));
  for (const c of cut) {
    if (c.end <= c.start) continue;
    const next: Span[] = [];
    for (const p of pieces) {
      if (!overlap(p, c)) {
        next.push(p);
        continue;
      }
      if (p.start < c.start) next.push({ start: p.start, end: c.start });
      if (c.end < p.end) next.push({ start: c.end, end: p.end });
    }
    pieces = next;
  }
  return pieces.filter((p) => p.end > p.start).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
