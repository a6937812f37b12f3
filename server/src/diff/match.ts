// Pairing the elements of two lists by a sequence of keys, most specific first: each pass pairs
// the still-unpaired elements whose key is equal, in the order they appear on each side (so two
// regions at one address pair first with first, second with second).

/** A key of an element, or undefined when this pass cannot pair it (a region without a name). */
export type MatchKey<T> = (x: T, index: number) => string | undefined;

export interface Matched {
  pairs: [number, number][];
  onlyA: number[];
  onlyB: number[];
}

export function matchBy<T>(a: readonly T[], b: readonly T[], keys: readonly MatchKey<T>[], keysB: readonly MatchKey<T>[] = keys): Matched {
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: [number, number][] = [];
  keys.forEach((keyA, pass) => {
    const keyB = keysB[pass];
    const waiting = new Map<string, number[]>();
    b.forEach((x, j) => {
      if (usedB.has(j)) return;
      const k = keyB(x, j);
      if (k === undefined) return;
      const list = waiting.get(k) ?? [];
      list.push(j);
      waiting.set(k, list);
    });
    a.forEach((x, i) => {
      if (usedA.has(i)) return;
      const k = keyA(x, i);
      const list = k === undefined ? undefined : waiting.get(k);
      const j = list?.shift();
      if (j === undefined) return;
      usedA.add(i);
      usedB.add(j);
      pairs.push([i, j]);
    });
  });
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return {
    pairs,
    onlyA: a.map((_, i) => i).filter((i) => !usedA.has(i)),
    onlyB: b.map((_, j) => j).filter((j) => !usedB.has(j)),
  };
}
