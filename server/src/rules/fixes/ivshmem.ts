// Quick fix for shared-memory sections the root shares with a cell: mark them ROOTSHARED.
import type { Diag, Fix, RuleContext } from '../types';
import { addFlag } from './edit';

export function ivshmemFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; index: number; kind: string } | undefined;
  if (d?.kind !== 'rootshared') return [];
  const c = ctx.all.find((x) => x.file === d.file);
  const r = c?.model.mem_regions[d.index];
  if (!c || !r) return [];
  const e = addFlag(c, r, 'flags', 'JAILHOUSE_MEM_ROOTSHARED');
  return e ? [{ title: 'Add JAILHOUSE_MEM_ROOTSHARED', edits: [e], preferred: true }] : [];
}
