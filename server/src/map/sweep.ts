// Overlap search by sweep line: sort by start, keep the intervals still open in a min-heap on
// their end. The work is O(n log n) plus the number of overlapping pairs reported, so a
// system with 100k regions costs what its collisions cost, never n².

export interface Interval {
  start: bigint;
  end: bigint;
}

/** Binary min-heap under `less`. */
class Heap<T> {
  readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

class EndHeap<T extends Interval> extends Heap<T> {
  constructor() {
    super((a, b) => a.end < b.end);
  }

  /** Drops every interval that ends at or before `pos`. */
  expire(pos: bigint): void {
    while (this.items.length && this.items[0].end <= pos) this.pop();
  }
}

const byStart = <T extends Interval>(a: T, b: T): number => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : a.end > b.end ? 1 : 0);

export function sortByStart<T extends Interval>(items: T[]): T[] {
  return [...items].sort(byStart);
}

/**
 * Calls `emit(a, b)` for every pair of intervals of `items` that share at least one address
 * (empty intervals never overlap). Stops early when `emit` returns false.
 */
export function overlapsWithin<T extends Interval>(items: T[], emit: (a: T, b: T) => boolean | void): void {
  const heap = new EndHeap<T>();
  for (const x of sortByStart(items)) {
    if (x.end <= x.start) continue;
    heap.expire(x.start);
    for (const y of heap.items) if (emit(y, x) === false) return;
    heap.push(x);
  }
}

/** Like overlapsWithin, but only pairs with one interval from `as` and one from `bs`: emit(a, b). */
export function overlapsBetween<A extends Interval, B extends Interval>(
  as: A[],
  bs: B[],
  emit: (a: A, b: B) => boolean | void,
): void {
  const tagged: { start: bigint; end: bigint; a?: A; b?: B }[] = [];
  for (const a of as) if (a.end > a.start) tagged.push({ start: a.start, end: a.end, a });
  for (const b of bs) if (b.end > b.start) tagged.push({ start: b.start, end: b.end, b });
  const openA = new EndHeap<{ start: bigint; end: bigint; a?: A }>();
  const openB = new EndHeap<{ start: bigint; end: bigint; b?: B }>();
  for (const x of sortByStart(tagged)) {
    openA.expire(x.start);
    openB.expire(x.start);
    if (x.a) {
      for (const y of openB.items) if (emit(x.a, y.b as B) === false) return;
      openA.push(x);
    } else {
      for (const y of openA.items) if (emit(y.a as A, x.b as B) === false) return;
      openB.push(x);
    }
  }
}

/**
 * Assigns each interval the lowest row where it overlaps nothing already placed (interval
 * graph colouring, optimal for intervals). Returns the number of rows used.
 */
export function assignRows<T extends Interval & { row: number }>(items: T[]): number {
  const busy = new Heap<{ end: bigint; row: number }>((a, b) => a.end < b.end);
  const free = new Heap<number>((a, b) => a < b);
  let rows = 0;
  for (const x of sortByStart(items)) {
    while (busy.items.length && busy.items[0].end <= x.start) free.push((busy.pop() as { row: number }).row);
    x.row = free.items.length ? (free.pop() as number) : rows++;
    busy.push({ end: x.end > x.start ? x.end : x.start + 1n, row: x.row });
  }
  return Math.max(rows, 1);
}
