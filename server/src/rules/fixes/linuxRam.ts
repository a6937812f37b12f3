// Quick fix for linux-ram: give the region meant as RAM exactly the flags the loader looks for.
import { MEM } from '../../core/flags';
import type { Diag, Fix, RuleContext, TextEdit } from '../types';
import { addFlag, removeFlag } from './edit';

const MISSING_ORDER = ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_EXECUTE', 'JAILHOUSE_MEM_DMA'];
const BITS: Record<string, bigint> = {
  JAILHOUSE_MEM_READ: MEM.READ,
  JAILHOUSE_MEM_WRITE: MEM.WRITE,
  JAILHOUSE_MEM_EXECUTE: MEM.EXECUTE,
  JAILHOUSE_MEM_DMA: MEM.DMA,
  JAILHOUSE_MEM_IO: MEM.IO,
  JAILHOUSE_MEM_ROOTSHARED: MEM.ROOTSHARED,
};

export function linuxRamFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; index: number } | undefined;
  const c = ctx.cells.find((x) => x.file === d?.file);
  const r = c?.model.mem_regions[d?.index ?? -1];
  if (!c || !r) return [];
  const missing = MISSING_ORDER.filter((n) => (r.flags & BITS[n]) === 0n);
  const extra = ['JAILHOUSE_MEM_IO', 'JAILHOUSE_MEM_ROOTSHARED'].filter((n) => (r.flags & BITS[n]) !== 0n);
  // Removals first, each on the literal text; an addition goes after the (edited) list's end.
  const removals = extra.map((n) => removeFlag(c, r, 'flags', n));
  if (removals.some((e) => !e)) return [];
  let edits = removals as TextEdit[];
  if (missing.length) {
    const add = addFlag(c, r, 'flags', missing.join(' | '));
    if (!add) return [];
    if (edits.length) {
      // Both touch the flags value: fold the addition into the single replacement.
      if (edits.length > 1) return [];
      edits = [{ loc: edits[0].loc, newText: `${edits[0].newText} | ${missing.join(' | ')}` }];
    } else edits = [add];
  }
  if (!edits.length) return [];
  const what = [missing.length ? `add ${missing.join(', ')}` : '', extra.length ? `remove ${extra.join(', ')}` : ''].filter(Boolean).join(' and ');
  return [{ title: `Flag region #${r.$index} as Linux RAM: ${what}`, edits, preferred: true }];
}
