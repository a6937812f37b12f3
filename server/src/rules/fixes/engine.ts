// Quick fixes for the engine's own diagnostics.
import type { Diag, Fix, RuleContext } from '../types';
import { excessFix } from './arrays';
import { slice } from './edit';

/** unknown-field → the closest field name the engine suggested. */
function unknownField(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { name?: string; suggestion?: string } | undefined;
  if (!d?.name || !d.suggestion) return [];
  const c = ctx.all.find((x) => x.analysis.files.has(diag.loc.file)) ?? ctx.all[0];
  if (!c) return [];
  const text = slice(c, diag.loc);
  // The location covers the name, possibly with its leading dot.
  const at = text.lastIndexOf(d.name);
  if (at < 0) return [];
  const loc = { file: diag.loc.file, start: diag.loc.start + at, end: diag.loc.start + at + d.name.length };
  return [{ title: `Change to '${d.suggestion}'`, edits: [{ loc, newText: d.suggestion }], preferred: true }];
}

export const ENGINE_FIXES: Record<string, (diag: Diag, ctx: RuleContext) => Fix[]> = {
  'unknown-field': unknownField,
  // Of the syntax findings only "excess elements" in a wrapper array has a fix (excessFix checks).
  syntax: excessFix,
};
