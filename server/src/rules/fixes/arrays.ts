// Quick fixes for array bookkeeping: counts that follow the declaration, declarations that
// match what is initialized.
import type { CellRef, Diag, Fix, RuleContext, TextEdit } from '../types';
import type { Loc } from '../../util/source';
import { WRAPPER_SECTIONS } from '../../schema';
import { setField, slice, textOf, valueLoc } from './edit';
import { countsBefore } from './sections';

export function countFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; field: string; member: string; declared: boolean; expected: number } | undefined;
  const c = ctx.all.find((x) => x.file === d?.file);
  if (!d || !c) return [];
  const fixes: Fix[] = [];
  const expr = d.member === 'cpus' ? 'sizeof(config.cpus)' : `ARRAY_SIZE(config.${d.member})`;
  if (d.declared) {
    const e = setField(c, c.model.cell, d.field, expr, countsBefore(d.field));
    if (e) fixes.push({ title: `Set ${d.field} to ${expr}`, edits: [e], preferred: true });
  }
  const e = setField(c, c.model.cell, d.field, String(d.expected), countsBefore(d.field));
  if (e) fixes.push({ title: `Set ${d.field} to ${d.expected}`, edits: [e], preferred: !d.declared });
  return fixes;
}

export function underfilledFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; member: string; initialized: number } | undefined;
  const c = ctx.all.find((x) => x.file === d?.file);
  if (!d || !c) return [];
  const r = resizeSection(c, d.member, d.initialized);
  // A length the declaration cannot follow (an expression, a shared macro) is replaced there.
  const edits = 'edits' in r ? r.edits : literalResize(c, d.member, d.initialized, true);
  return edits?.length ? [{ title: `Declare ${d.member}[${d.initialized}]`, edits, preferred: true }] : [];
}

/** The engine's "excess elements" on a wrapper array: declare as many elements as it is given. */
export function excessFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { excess?: boolean; member?: string; elements?: number } | undefined;
  if (!d?.excess || typeof d.member !== 'string' || typeof d.elements !== 'number') return [];
  const c = ctx.all.find((x) => x.analysis.files.has(diag.loc.file) && x.model.members.some((m) => m.name === d.member));
  const role = c?.model.members.find((m) => m.name === d.member)?.role;
  if (!c || !role || role === 'header') return [];
  const r = resizeSection(c, role, d.elements);
  return 'edits' in r && r.edits.length ? [{ title: `Declare ${d.member}[${d.elements}]`, edits: r.edits, preferred: true }] : [];
}

export type Resize = { edits: TextEdit[] } | { reason: string };

const NUMBER = /^\s*(0x[0-9a-f]+|\d+)[uUlL]*\s*$/i;

/**
 * The edits that declare wrapper section `role` with `n` elements: the length written as a
 * number, or a plain-number macro defined in this file that serves only this array (its
 * declaration and count); a count field written as the old length follows. Otherwise why not.
 */
export function resizeSection(c: CellRef, role: string, n: number): Resize {
  const m = c.model.members.find((x) => x.role === role);
  if (!m || m.length === undefined) return { reason: `${role} is not declared as an array` };
  if (m.length === n) return { edits: [] };
  const len = lengthText(c, role);
  if (!len) return { reason: `the declaration of ${m.name} is not in this file` };
  const text = slice(c, len);
  if (NUMBER.test(text)) return { edits: literalResize(c, role, n, false)! };
  const name = /^\s*([A-Za-z_]\w*)\s*$/.exec(text)?.[1];
  const def = name ? c.analysis.macros.get(name) : undefined;
  if (!name || !def || def.builtin || def.params || def.loc.file !== c.file || !NUMBER.test(def.body)) {
    return { reason: `${m.name} is declared as [${text.trim()}], not a number or a plain-number macro of this file` };
  }
  const count = countLoc(c, role);
  const foreign = c.analysis.macroUses.filter((u) => u.name === name && !within(u.loc, m.loc) && !(count && within(u.loc, count)));
  if (foreign.length) return { reason: `${m.name} is declared with the macro ${name}, which is used elsewhere too` };
  const src = textOf(c, def.loc.file)!;
  const eol = src.indexOf('\n', def.loc.end);
  const line = src.slice(def.loc.end, eol < 0 ? src.length : eol);
  const at = line.indexOf(def.body.trim());
  if (at < 0) return { reason: `the definition of ${name} could not be located` };
  const start = def.loc.end + at;
  return { edits: [{ loc: { file: def.loc.file, start, end: start + def.body.trim().length }, newText: String(n) }] };
}

/** The `N` of `[N]` (without brackets), when written in the cell's own file. */
function lengthText(c: CellRef, role: string): Loc | undefined {
  const m = c.model.members.find((x) => x.role === role);
  if (!m?.lengthLoc || m.lengthLoc.file !== c.file) return undefined;
  const text = slice(c, m.lengthLoc);
  // lengthLoc may include the brackets.
  return text.startsWith('[') && text.endsWith(']') ? { ...m.lengthLoc, start: m.lengthLoc.start + 1, end: m.lengthLoc.end - 1 } : m.lengthLoc;
}

function countLoc(c: CellRef, role: string): Loc | undefined {
  const count = WRAPPER_SECTIONS.find((s) => s.member === role)?.count;
  return count ? valueLoc(c, c.model.cell, count) : undefined;
}

/** Rewrites the length text to `n`, and a count written as the old length (`.num_pci_devices = 1`). */
function literalResize(c: CellRef, role: string, n: number, anyLength: boolean): TextEdit[] | undefined {
  const m = c.model.members.find((x) => x.role === role);
  const loc = lengthText(c, role);
  if (!m || !loc || (!anyLength && !NUMBER.test(slice(c, loc)))) return undefined;
  const edits: TextEdit[] = [{ loc, newText: String(n) }];
  const cl = countLoc(c, role);
  if (cl && m.length !== undefined && NUMBER.test(slice(c, cl)) && Number(slice(c, cl).replace(/[uUlL]/g, '')) === m.length) {
    edits.push({ loc: cl, newText: String(n) });
  }
  return edits;
}

const within = (inner: Loc, outer: Loc) => inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
