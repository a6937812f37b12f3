// memory-subpage-root, memory-loadable-readonly: what the root cell keeps, or lacks, in memory a
// non-root cell takes from it. At cell create the hypervisor takes each exclusive region away
// from the root (hypervisor/control.c, unmap_from_root_cell); at cell load it hands LOADABLE
// regions back with the root's own flags (remap_to_root_cell). docs/rules.md says which case is which.
import type { MemoryRegion } from '../core/model';
import { has, isComm, isRootShared, MEM, PAGE } from '../core/flags';
import { cellLabel, humanSize, regionLabel, span } from './format';
import { intervalIndex, overlapping, type IntervalIndex } from './intervals';
import { nodeLoc } from './locate';
import { rootAccessFixes, type RootAccessData } from './fixes/rootAccess';
import type { CellRef, Diag, Rule } from './types';

/**
 * Sub-page as unmap_from_root_cell sees it: it sets virt_start = phys_start before
 * JAILHOUSE_MEMORY_IS_SUBPAGE, so the physical address decides.
 */
const physSubpage = (r: MemoryRegion): boolean => r.phys_start % PAGE !== 0n || r.size % PAGE !== 0n;

const live = (r: MemoryRegion): boolean => r.size > 0n && !isComm(r);

const indexes = new WeakMap<CellRef, IntervalIndex<MemoryRegion>>();

/** Root regions that share bytes with [start, end) (clipped to it), in the root's order. */
function rootOverlaps(root: CellRef, start: bigint, end: bigint): { q: MemoryRegion; start: bigint; end: bigint }[] {
  // The root's regions are indexed once per check: each cell region then costs a binary search.
  let ix = indexes.get(root);
  if (!ix) indexes.set(root, (ix = intervalIndex(root.model.mem_regions.filter(live).map((q) => ({ start: q.phys_start, end: q.phys_start + q.size, item: q })))));
  return overlapping(ix, start, end).map((o) => ({ q: o.item, start: o.start > start ? o.start : start, end: o.end < end ? o.end : end }));
}

/**
 * Why the root keeps [R ∩ Q] after cell create, or undefined when the hypervisor removes it.
 * A sub-page cell region only unregisters the root's sub-page handler that contains its start
 * (mmio_subpage_unregister → mmio_region_unregister(root, phys_start)); a page-wise one only
 * unmaps the root's page tables (arch_unmap_memory_region).
 */
function keptBecause(r: MemoryRegion, q: MemoryRegion): string | undefined {
  const rSub = physSubpage(r);
  const qSub = physSubpage(q);
  if (!rSub && !qSub) return undefined;
  if (rSub && qSub) {
    if (q.phys_start <= r.phys_start && r.phys_start < q.phys_start + q.size) return undefined;
    return 'the root traps it as a sub-page region that does not contain this region\'s start, and cell create only removes the root\'s sub-page handler at that start (mmio_subpage_unregister)';
  }
  if (rSub) return 'the root maps the page page-wise, and cell create only removes a root sub-page handler for a sub-page region (unmap_from_root_cell → mmio_subpage_unregister), never the root\'s page mapping';
  return 'the root traps it as a sub-page region, and cell create only unmaps the root\'s page tables for a page-wise region (arch_unmap_memory_region), never its sub-page handler';
}

export const memorySubpageRoot: Rule = {
  id: 'memory-subpage-root',
  defaultSeverity: 'warning',
  docs: '#memory-subpage-root',
  description: 'An exclusive (not ROOTSHARED) region of a cell and the root\'s region for the same bytes differ in being sub-page: cell create does not take it from the root, which keeps full access.',
  check(ctx) {
    const root = ctx.root;
    if (!root) return [];
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      for (const r of c.model.mem_regions) {
        if (!live(r) || isRootShared(r)) continue;
        // One finding per cell region, naming every root region that keeps access.
        const kept = rootOverlaps(root, r.phys_start, r.phys_start + r.size)
          .map((o) => ({ ...o, why: keptBecause(r, o.q) }))
          .filter((o): o is typeof o & { why: string } => o.why !== undefined);
        if (!kept.length) continue;
        const first = kept[0];
        const others = kept.length > 1 ? ` (and ${kept.slice(1).map((o) => regionLabel(o.q)).join(', ')})` : '';
        const data: RootAccessData = { file: c.file, index: r.$index, rootIndex: first.q.$index, single: kept.length === 1 };
        out.push({
          code: 'memory-subpage-root',
          severity: 'warning',
          message: `${regionLabel(r)} ${span(r.phys_start, r.size)} is exclusive to ${cellLabel(c)}, but the root cell keeps full access to ${span(first.start, first.end - first.start)} (${humanSize(first.end - first.start)}) through its ${regionLabel(first.q)} ${span(first.q.phys_start, first.q.size)}${others}: ${first.why}`,
          loc: nodeLoc(c, r, 'phys_start', 'mem_regions'),
          related: kept.map((o) => ({ loc: nodeLoc(root, o.q, 'phys_start', 'mem_regions'), message: `${regionLabel(o.q)} of the root cell, which keeps access to ${span(o.start, o.end - o.start)}` })),
          data,
        });
      }
    }
    return out;
  },
  fixes: rootAccessFixes,
};

export const memoryLoadableReadonly: Rule = {
  id: 'memory-loadable-readonly',
  defaultSeverity: 'error',
  docs: '#memory-loadable-readonly',
  description: 'A LOADABLE region lies over a root region without JAILHOUSE_MEM_WRITE: at cell load the root gets it back read-only and cannot write the image.',
  check(ctx) {
    const root = ctx.root;
    if (!root) return [];
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      for (const r of c.model.mem_regions) {
        if (!live(r) || !has(r.flags, MEM.LOADABLE)) continue;
        const overlaps = rootOverlaps(root, r.phys_start, r.phys_start + r.size);
        overlaps.forEach((o, k) => {
          if (has(o.q.flags, MEM.WRITE)) return;
          // remap_to_root_cell maps the root's regions in order: a later writable one over the
          // same bytes replaces this mapping.
          if (overlaps.slice(k + 1).some((l) => has(l.q.flags, MEM.WRITE) && l.start <= o.start && o.end <= l.end)) return;
          out.push({
            code: 'memory-loadable-readonly',
            severity: 'error',
            message: `${regionLabel(r)} ${span(r.phys_start, r.size)} is JAILHOUSE_MEM_LOADABLE, but the root cell's ${regionLabel(o.q)} ${span(o.q.phys_start, o.q.size)} over ${span(o.start, o.end - o.start)} is not writable: at cell load the hypervisor maps it back into the root with the root's flags (remap_to_root_cell), so the driver's write of the image is an access the hypervisor cannot handle ("FATAL"), and it parks the root's CPU`,
            loc: nodeLoc(c, r, 'phys_start', 'mem_regions'),
            related: [{ loc: nodeLoc(root, o.q, 'flags', 'mem_regions'), message: `${regionLabel(o.q)} of the root cell, without JAILHOUSE_MEM_WRITE` }],
          });
        });
      }
    }
    return out;
  },
};
