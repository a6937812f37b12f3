// Overlap detection by sort and sweep: O(n log n) for n intervals, never pairwise.
// Each interval that overlaps an earlier-starting one is reported with the earlier interval
// reaching furthest (so every overlapping interval is found, with one witness each).

export interface Interval<T> {
  start: bigint;
  /** Exclusive. */
  end: bigint;
  item: T;
}

const byStart = <T>(a: Interval<T>, b: Interval<T>): number => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? 1 : a.end > b.end ? -1 : 0);

/** Overlapping pairs inside one set of intervals: [earlier, later]. */
export function overlapsWithin<T>(items: Interval<T>[]): [Interval<T>, Interval<T>][] {
  const sorted = items.filter((i) => i.end > i.start).sort(byStart);
  const out: [Interval<T>, Interval<T>][] = [];
  let reach: Interval<T> | undefined;
  for (const cur of sorted) {
    if (reach && reach.end > cur.start) out.push([reach, cur]);
    if (!reach || cur.end > reach.end) reach = cur;
  }
  return out;
}

/**
 * Overlaps between intervals of different groups (cells). `cls` partitions a group's
 * intervals so that exempt pairs (`exempt(a, b)`) cannot hide a real conflict behind them:
 * the sweep keeps, per group and class, the interval reaching furthest.
 */
export function overlapsAcross<T>(
  items: Interval<T>[],
  group: (t: T) => number,
  cls: (t: T) => string,
  exempt: (a: T, b: T) => boolean,
): [Interval<T>, Interval<T>][] {
  const sorted = items.filter((i) => i.end > i.start).sort(byStart);
  const out: [Interval<T>, Interval<T>][] = [];
  const reach = new Map<number, Map<string, Interval<T>>>();
  for (const cur of sorted) {
    const g = group(cur.item);
    for (const [og, byCls] of reach) {
      if (og === g) continue;
      for (const other of byCls.values()) {
        if (other.end > cur.start && !exempt(other.item, cur.item)) out.push([other, cur]);
      }
    }
    let mine = reach.get(g);
    if (!mine) reach.set(g, (mine = new Map()));
    const c = cls(cur.item);
    const prev = mine.get(c);
    if (!prev || cur.end > prev.end) mine.set(c, cur);
  }
  return out;
}

/** Overlaps of intervals with a short list of fixed windows (platform devices, hypervisor). */
export function overlapsWindows<T, W>(items: Interval<T>[], windows: Interval<W>[]): [Interval<W>, Interval<T>][] {
  const out: [Interval<W>, Interval<T>][] = [];
  const ws = windows.filter((w) => w.end > w.start);
  for (const i of items) {
    if (i.end <= i.start) continue;
    for (const w of ws) if (i.start < w.end && w.start < i.end) out.push([w, i]);
  }
  return out;
}

/** Intervals sorted once for many "which overlap [start, end)?" queries (see `overlapping`). */
export interface IntervalIndex<T> {
  /** Non-empty intervals by start, each with its position in the input. */
  sorted: (Interval<T> & { at: number })[];
  /** reach[i]: the furthest end among sorted[0..i]. */
  reach: bigint[];
}

export function intervalIndex<T>(items: readonly Interval<T>[]): IntervalIndex<T> {
  const sorted = items
    .map((i, at) => ({ ...i, at }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.at - b.at));
  const reach: bigint[] = [];
  sorted.forEach((e, i) => reach.push(i && reach[i - 1] > e.end ? reach[i - 1] : e.end));
  return { sorted, reach };
}

/**
 * The indexed intervals sharing bytes with [start, end), in input order: a binary search for the
 * last one starting before `end`, then back while the furthest end reaches past `start`.
 */
export function overlapping<T>(ix: IntervalIndex<T>, start: bigint, end: bigint): Interval<T>[] {
  const { sorted, reach } = ix;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].start < end) lo = mid + 1;
    else hi = mid;
  }
  const hits: (Interval<T> & { at: number })[] = [];
  for (let i = lo - 1; i >= 0 && reach[i] > start; i--) if (sorted[i].end > start) hits.push(sorted[i]);
  return hits.sort((a, b) => a.at - b.at).map(({ start: s, end: e, item }) => ({ start: s, end: e, item }));
}

/** The nearest start ≥ 0 for a block of `size` bytes, aligned to `align`, free of `busy`. */
export function nearestGap(busy: { start: bigint; end: bigint }[], size: bigint, want: bigint, align: bigint, limit = 1n << 64n): bigint | undefined {
  const merged: { start: bigint; end: bigint }[] = [];
  for (const b of [...busy].filter((x) => x.end > x.start).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
    const last = merged[merged.length - 1];
    if (last && b.start <= last.end) {
      if (b.end > last.end) last.end = b.end;
    } else merged.push({ ...b });
  }
  const up = (v: bigint) => ((v + align - 1n) / align) * align;
  const down = (v: bigint) => (v / align) * align;
  let best: bigint | undefined;
  const consider = (v: bigint) => {
    if (v < 0n || v + size > limit) return;
    const d = v > want ? v - want : want - v;
    if (best === undefined || d < (best > want ? best - want : want - best)) best = v;
  };
  let prevEnd = 0n;
  for (let i = 0; i <= merged.length; i++) {
    const gapStart = prevEnd;
    const gapEnd = i < merged.length ? merged[i].start : limit;
    const lo = up(gapStart);
    const hiStart = down(gapEnd - size);
    if (gapEnd - gapStart >= size && lo <= hiStart) {
      // The closest aligned start to `want` inside [lo, hiStart].
      const clamped = want < lo ? lo : want > hiStart ? hiStart : down(want) < lo ? lo : down(want);
      consider(clamped);
      if (clamped + align <= hiStart) consider(clamped + align);
    }
    if (i < merged.length) prevEnd = merged[i].end;
  }
  return best;
}
