// Address ranges as [start, end) with bigint bounds: the arithmetic the layout, the device
// regions and the PCI window share (subtracting RAM and carve-outs, merging windows).

export interface Span {
  start: bigint;
  /** Exclusive. */
  end: bigint;
}

export const PAGE = 0x1000n;
export const MIB = 0x100000n;
export const GIB = 0x40000000n;

export const alignDown = (v: bigint, a: bigint): bigint => v - (((v % a) + a) % a);
export const alignUp = (v: bigint, a: bigint): bigint => alignDown(v + a - 1n, a);

export const spanOf = (base: bigint, size: bigint): Span => ({ start: base, end: base + size });
export const sizeOf = (s: Span): bigint => s.end - s.start;
export const overlap = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
export const contains = (outer: Span, inner: Span): boolean => outer.start <= inner.start && inner.end <= outer.end;

/** `from` less every span of `cut`, in address order (empty pieces dropped). */
export function subtract(from: Span, cut: readonly Span[]): Span[] {
  let pieces: Span[] = [from];
  for (const c of cut) {
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
