// Which code actions a range of a file gets: the quick fixes of the diagnostics it touches, a
// "fix all" per diagnostic code with two or more fixes in the file, and a marker where the
// front end adds its own actions (`system-root`: choosing a root is written into a workspace
// file, which only the server knows how to place). Pure: diagnostics and fixes in, a plan out;
// the LSP layer only translates the plan.
import type { Diag } from '../core/diagnostics';

/** The kinds a client may filter on (`context.only`), as LSP spells them. */
export const QUICK_FIX = 'quickfix';
export const SOURCE_FIX_ALL = 'source.fixAll';

interface EditLike {
  file: string;
  start: number;
  end: number;
}

interface FixLike<E extends EditLike> {
  title: string;
  edits: E[];
  preferred?: boolean;
}

export type PlannedAction<F extends FixLike<EditLike>> =
  /** One fix of one diagnostic. */
  | { type: 'fix'; fix: F; diag: Diag }
  /** The fixes of every diagnostic with one code, combined (the first fix of overlapping ones wins). */
  | { type: 'fixAll'; title: string; kind: typeof QUICK_FIX | typeof SOURCE_FIX_ALL; edits: F['edits'] }
  /** A `system-root` diagnostic in the range: the front end adds the root choices. */
  | { type: 'root'; diag: Diag };

export interface CodeActionQuery<F> {
  file: string;
  /** Diagnostics published for the system; only those in `file` count. */
  diags: readonly Diag[];
  /** The requested range, as offsets into the file. */
  start: number;
  end: number;
  /** `context.only` of the request; empty or absent: every kind. */
  only?: readonly string[];
  fixesOf(d: Diag): F[];
}

export function planCodeActions<F extends FixLike<EditLike>>(q: CodeActionQuery<F>): PlannedAction<F>[] {
  const out: PlannedAction<F>[] = [];
  const wanted = new Set(q.only ?? []);
  const allow = (kind: string) => !wanted.size || [...wanted].some((w) => kind === w || kind.startsWith(`${w}.`));
  const best = new Map<string, F[]>();
  for (const d of q.diags) {
    if (d.loc.file !== q.file) continue;
    const touches = d.loc.start <= q.end && q.start <= d.loc.end;
    if (d.code === 'system-root' && touches && allow(QUICK_FIX)) out.push({ type: 'root', diag: d });
    const fixes = q.fixesOf(d);
    if (!fixes.length) continue;
    best.set(d.code, [...(best.get(d.code) ?? []), fixes.find((f) => f.preferred) ?? fixes[0]]);
    if (!touches || !allow(QUICK_FIX)) continue;
    for (const fix of fixes) out.push({ type: 'fix', fix, diag: d });
  }
  for (const [code, fixes] of best) {
    if (fixes.length < 2) continue;
    if (!allow(QUICK_FIX) && !allow(SOURCE_FIX_ALL)) continue;
    out.push({ type: 'fixAll', title: `Fix all '${code}' problems in this file (${fixes.length})`, kind: allow(QUICK_FIX) ? QUICK_FIX : SOURCE_FIX_ALL, edits: nonOverlapping(fixes.flatMap((f) => f.edits)) });
  }
  return out;
}

/** Keeps the first of any edits whose ranges overlap, so a combined fix stays applicable. */
function nonOverlapping<E extends EditLike>(edits: E[]): E[] {
  const out: E[] = [];
  for (const e of [...edits].sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1))) {
    const prev = out[out.length - 1];
    if (prev && prev.file === e.file && e.start < prev.end) continue;
    out.push(e);
  }
  return out;
}
