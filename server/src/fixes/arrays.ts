// Quick fixes for array bookkeeping: counts that follow the declaration, declarations that
// match what is initialized.
import type { Diag, Fix, RuleContext } from '../rules/types';
import { WRAPPER_SECTIONS } from '../schema';
import { setField, slice, valueLoc } from './edit';
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
  const m = c?.model.members.find((x) => x.role === d?.member);
  if (!d || !c || !m?.lengthLoc || m.lengthLoc.file !== c.file) return [];
  const text = slice(c, m.lengthLoc);
  // lengthLoc may include the brackets.
  const loc = text.startsWith('[') && text.endsWith(']') ? { ...m.lengthLoc, start: m.lengthLoc.start + 1, end: m.lengthLoc.end - 1 } : m.lengthLoc;
  const edits = [{ loc, newText: String(d.initialized) }];
  // A count written as the old length (`.num_pci_devices = 1`) follows the declaration.
  const count = WRAPPER_SECTIONS.find((s) => s.member === d.member)?.count;
  const cl = count ? valueLoc(c, c.model.cell, count) : undefined;
  if (cl && m.length !== undefined && /^\s*(0x[0-9a-f]+|\d+)[uUlL]*\s*$/i.test(slice(c, cl)) && Number(slice(c, cl).replace(/[uUlL]/g, '')) === m.length) {
    edits.push({ loc: cl, newText: String(d.initialized) });
  }
  return [{ title: `Declare ${d.member}[${d.initialized}]`, edits, preferred: true }];
}
