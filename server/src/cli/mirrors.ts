// A conflict between two places (two cells sharing a CPU, two overlapping regions) is found
// from each side: the editor needs both, one squiggle in each file. A report read top to
// bottom says it once: the first finding keeps the other place as its related note, and the
// second, its mirror (same rule, main and related location swapped), is dropped.
import type { Diag } from '../core/diagnostics';
import type { Loc } from '../util/source';

const at = (l: Loc): string => `${l.file}\0${l.start}`;
const pairKey = (code: string, main: Loc, other: Loc): string => `${code}\0${at(main)}\0${at(other)}`;

/**
 * The findings without the mirrors of earlier ones, in the order given. A finding is the mirror
 * of an earlier one when it has the same code, starts where one of the earlier one's related
 * locations starts, and has a related location where the earlier one starts.
 */
export function dropMirrors(diags: readonly Diag[]): Diag[] {
  const kept: Diag[] = [];
  const pairs = new Set<string>();
  for (const d of diags) {
    const rel = d.related ?? [];
    if (rel.some((r) => pairs.has(pairKey(d.code, r.loc, d.loc)))) continue;
    for (const r of rel) pairs.add(pairKey(d.code, d.loc, r.loc));
    kept.push(d);
  }
  return kept;
}

/** dropMirrors over per-file lists, in file order; a file keeps its entry even when emptied. */
export function dropMirrorsByFile<E extends { diags: Diag[] }>(entries: readonly E[]): E[] {
  const kept = new Set(dropMirrors(entries.flatMap((e) => e.diags)));
  return entries.map((e) => ({ ...e, diags: e.diags.filter((d) => kept.has(d)) }));
}
