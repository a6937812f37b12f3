// Quick fixes for memory-subpage-root: share the bytes with the root on purpose, or give the
// root a region of the same sub-page shape so cell create takes it away.
import type { MemoryRegion } from '../../core/model';
import { MEM, PAGE } from '../../core/flags';
import { CONSTANTS_BY_NAME } from '../../schema';
import { hex } from '../format';
import type { CellRef, Diag, Fix, RuleContext, TextEdit } from '../types';
import { addFlag, hexLit, setField } from './edit';

export interface RootAccessData {
  file: string;
  index: number;
  rootIndex: number;
  /** Only one root region keeps access: limiting it is enough. */
  single: boolean;
}

const WIDTHS = ['JAILHOUSE_MEM_IO_8', 'JAILHOUSE_MEM_IO_16', 'JAILHOUSE_MEM_IO_32', 'JAILHOUSE_MEM_IO_64'];
const flagOf = (name: string): bigint => CONSTANTS_BY_NAME.get(name)?.value ?? 0n;

export function rootAccessFixes(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as RootAccessData | undefined;
  const c = ctx.cells.find((x) => x.file === d?.file);
  const r = c?.model.mem_regions[d?.index ?? -1];
  const root = ctx.root;
  const q = root?.model.mem_regions[d?.rootIndex ?? -1];
  if (!c || !r || !root || !q) return [];
  const fixes: Fix[] = [];
  const share = addFlag(c, r, 'flags', 'JAILHOUSE_MEM_ROOTSHARED');
  if (share) fixes.push({ title: 'Mark the region JAILHOUSE_MEM_ROOTSHARED (the root keeps access on purpose)', edits: [share] });
  const limit = d?.single ? limitRoot(root, q, r) : undefined;
  if (limit) fixes.push({ title: `Make the root's region the same sub-page range ${hex(r.phys_start)}, size ${hexLit(r.size)} (cell create then takes it from the root)`, edits: limit, preferred: true });
  else if (share) fixes[0].preferred = true;
  return fixes;
}

/**
 * Only when the root's region holds nothing but the pages of the cell's sub-page region: it
 * then becomes that sub-page range, with the cell's access widths (a trapped region needs one).
 */
function limitRoot(root: CellRef, q: MemoryRegion, r: MemoryRegion): TextEdit[] | undefined {
  const first = r.phys_start - (r.phys_start % PAGE);
  const end = r.phys_start + r.size;
  const last = end % PAGE === 0n ? end : end - (end % PAGE) + PAGE;
  const subpage = r.phys_start % PAGE !== 0n || r.size % PAGE !== 0n;
  if (!subpage || q.phys_start < first || q.phys_start + q.size > last) return undefined;
  const edits: (TextEdit | undefined)[] = [];
  if (q.phys_start !== r.phys_start) {
    edits.push(setField(root, q, 'phys_start', hexLit(r.phys_start)));
    edits.push(setField(root, q, 'virt_start', hexLit(r.phys_start)));
  }
  if (q.size !== r.size) edits.push(setField(root, q, 'size', hexLit(r.size)));
  if ((q.flags & MEM.IO_WIDTHS) === 0n) {
    const widths = r.flags & MEM.IO_WIDTHS ? WIDTHS.filter((w) => flagOf(w) & r.flags) : ['JAILHOUSE_MEM_IO_32'];
    edits.push(addFlag(root, q, 'flags', widths.join(' | ')));
  }
  return edits.every((e) => e) ? (edits as TextEdit[]) : undefined;
}
