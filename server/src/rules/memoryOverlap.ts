// memory-overlap, memory-overlap-cells, memory-overlap-hypervisor, memory-overlap-platform:
// the overlap checks of `jailhouse config check` (docs/format.md §5.4.5) plus the cross-cell one it lacks.
import type { MemoryRegion } from '../core/model';
import { overlapFixes, type OverlapData } from './fixes/overlap';
import { pairNote, pairSeverity } from './context';
import { isComm, isRootShared, PCI_TYPE } from '../core/flags';
import { cellLabel, hex, humanSize, regionLabel, span } from './format';
import { overlapsAcross, overlapsWindows, overlapsWithin, type Interval } from './intervals';
import { nodeLoc } from './locate';
import { framesHit, platformWindows, type PlatformWindow } from './platformWindows';
import type { CellRef, Diag, Rule, RuleContext, Severity } from './types';

interface Reg {
  c: CellRef;
  r: MemoryRegion;
  g: number;
}

const phys = (x: Reg): Interval<Reg> => ({ start: x.r.phys_start, end: x.r.phys_start + x.r.size, item: x });
const virt = (x: Reg): Interval<Reg> => ({ start: x.r.virt_start, end: x.r.virt_start + x.r.size, item: x });

function regionsOf(c: CellRef, g: number): Reg[] {
  return c.model.mem_regions.filter((r) => r.size > 0n).map((r) => ({ c, r, g }));
}

const common = (a: Interval<unknown>, b: Interval<unknown>): bigint =>
  (a.end < b.end ? a.end : b.end) - (a.start > b.start ? a.start : b.start);

function data(x: Reg, space: 'phys' | 'virt', other: { start: bigint; end: bigint }, extra: Partial<OverlapData> = {}): OverlapData {
  return { file: x.c.file, index: x.r.$index, space, other: { start: hex(other.start, 1), end: hex(other.end, 1) }, ...extra };
}

const fixes = (d: Diag, ctx: RuleContext) => overlapFixes(d, ctx);

export const memoryOverlap: Rule = {
  id: 'memory-overlap',
  defaultSeverity: 'warning',
  docs: '#memory-overlap',
  description: 'Two memory regions of one cell overlap, physically or in the cell\'s address space.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const regs = regionsOf(c, 0);
      for (const [space, iv] of [['phys', phys], ['virt', virt]] as const) {
        const word = space === 'phys' ? 'physically' : 'in the guest address space';
        for (const [a, b] of overlapsWithin(regs.map(iv))) {
          const n = common(a, b);
          for (const [x, y] of [[b, a], [a, b]]) {
            out.push({
              code: 'memory-overlap',
              severity: 'warning',
              message: `${regionLabel(x.item.r)} ${span(x.start, x.end - x.start)} overlaps ${regionLabel(y.item.r)} ${span(y.start, y.end - y.start)} ${word} (${humanSize(n)} in common)`,
              loc: nodeLoc(c, x.item.r, space === 'phys' ? 'phys_start' : 'virt_start', 'mem_regions'),
              related: [{ loc: nodeLoc(c, y.item.r, space === 'phys' ? 'phys_start' : 'virt_start', 'mem_regions'), message: `overlapping ${regionLabel(y.item.r)}` }],
              data: data(x.item, space, y),
            });
          }
        }
      }
    }
    return out;
  },
  fixes,
};

/** Region indices of each ivshmem link in a cell, keyed by region index → link bdf. */
function ivshmemRegions(c: CellRef): Map<number, bigint> {
  const m = new Map<number, bigint>();
  for (const d of c.model.pci_devices) {
    if (d.type !== PCI_TYPE.IVSHMEM) continue;
    const start = Number(d.shmem_regions_start);
    const n = 2 + Number(d.shmem_peers);
    for (let i = start; i < start + n && i < c.model.mem_regions.length; i++) m.set(i, d.bdf);
  }
  return m;
}

export const memoryOverlapCells: Rule = {
  id: 'memory-overlap-cells',
  defaultSeverity: 'error',
  docs: '#memory-overlap-cells',
  description: 'A memory region of one non-root cell overlaps a region of another non-root cell (not shared memory).',
  check(ctx) {
    const links = ctx.cells.map(ivshmemRegions);
    const items: Interval<Reg>[] = [];
    ctx.cells.forEach((c, g) => {
      for (const x of regionsOf(c, g)) if (!isComm(x.r)) items.push(phys(x));
    });
    const linkOf = (x: Reg) => links[x.g].get(x.r.$index);
    const cls = (x: Reg) => {
      const l = linkOf(x);
      return l !== undefined ? `shm:${l}` : isRootShared(x.r) ? 'shared' : 'own';
    };
    const exempt = (a: Reg, b: Reg) => {
      if (isRootShared(a.r) && isRootShared(b.r)) return true;
      const la = linkOf(a);
      return la !== undefined && la === linkOf(b);
    };
    const out: Diag[] = [];
    for (const [a, b] of overlapsAcross(items, (x) => x.g, cls, exempt)) {
      const sev = pairSeverity(ctx, a.item.c, b.item.c, 'error');
      if (!sev) continue;
      const n = common(a, b);
      const sameRange = a.start === b.start && a.end === b.end;
      for (const [x, y] of [[a, b], [b, a]]) {
        const hint = sameRange && isRootShared(y.item.r) !== isRootShared(x.item.r) ? ' (to share it, both cells must mark it JAILHOUSE_MEM_ROOTSHARED)' : '';
        out.push({
          code: 'memory-overlap-cells',
          severity: sev,
          message: `${regionLabel(x.item.r)} ${span(x.start, x.end - x.start)} overlaps ${regionLabel(y.item.r)} of ${cellLabel(y.item.c)} ${span(y.start, y.end - y.start)} (${humanSize(n)} in common)${hint}${pairNote(ctx, x.item.c, y.item.c)}`,
          loc: nodeLoc(x.item.c, x.item.r, 'phys_start', 'mem_regions'),
          related: [{ loc: nodeLoc(y.item.c, y.item.r, 'phys_start', 'mem_regions'), message: `${regionLabel(y.item.r)} of ${cellLabel(y.item.c)}` }],
          data: data(x.item, 'phys', y, { otherFile: y.item.c.file, otherIndex: y.item.r.$index, sameRange }),
        });
      }
    }
    return out;
  },
  fixes,
};

export const memoryOverlapHypervisor: Rule = {
  id: 'memory-overlap-hypervisor',
  defaultSeverity: 'error',
  docs: '#memory-overlap-hypervisor',
  description: 'A memory region overlaps the hypervisor\'s own memory (error in non-root cells, warning in the root cell).',
  check(ctx) {
    const hv = ctx.root?.model.system?.hypervisor_memory;
    if (!ctx.root || !hv || hv.size === 0n) return [];
    const win: Interval<null> = { start: hv.phys_start, end: hv.phys_start + hv.size, item: null };
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const sev: Severity = c.isRoot ? 'warning' : 'error';
      const items = regionsOf(c, 0).filter((x) => !isComm(x.r)).map(phys);
      for (const [w, i] of overlapsWindows(items, [win])) {
        out.push({
          code: 'memory-overlap-hypervisor',
          severity: sev,
          message: `${regionLabel(i.item.r)} ${span(i.start, i.end - i.start)} overlaps the hypervisor memory ${span(w.start, w.end - w.start)} (${humanSize(common(w, i))} in common): the cell could read and write the hypervisor`,
          loc: nodeLoc(c, i.item.r, 'phys_start', 'mem_regions'),
          related: [{ loc: nodeLoc(ctx.root, hv, 'phys_start'), message: 'hypervisor_memory of the system configuration' }],
          data: data(i.item, 'phys', w),
        });
      }
    }
    return out;
  },
  fixes,
};

/** Which CPUs' redistributor frames a region maps: the hypervisor traps each (gicv3_cell_init). */
function framesNote(w: PlatformWindow, i: { start: bigint; end: bigint }): string {
  const hit = framesHit(w, i.start, i.end);
  if (!hit || !w.frame) return '';
  const [a, b] = hit;
  const cpus = a === b ? `CPU ${a}` : `CPUs ${a}–${b}`;
  return ` — the redistributor frame${a === b ? '' : 's'} of ${cpus} (gicv3_cell_init traps one ${hex(w.frame, 1)} frame for every CPU of the system; a mapped frame escapes the trap and interrupt isolation is gone)`;
}

export const memoryOverlapPlatform: Rule = {
  id: 'memory-overlap-platform',
  defaultSeverity: 'warning',
  docs: '#memory-overlap-platform',
  description: 'A memory region maps a device the hypervisor emulates (GIC, APIC, IOAPIC, PCI MMCONFIG, IOMMU).',
  check(ctx) {
    const root = ctx.root;
    if (!root) return [];
    const wins = platformWindows(root.model).map((w) => ({ start: w.start, end: w.start + w.size, item: w }));
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const items = regionsOf(c, 0).filter((x) => !isComm(x.r)).map(phys);
      for (const [w, i] of overlapsWindows(items, wins)) {
        out.push({
          code: 'memory-overlap-platform',
          severity: 'warning',
          message: `${regionLabel(i.item.r)} ${span(i.start, i.end - i.start)} maps the ${w.item.name} ${span(w.start, w.end - w.start)}${framesNote(w.item, i)}, which the hypervisor must intercept; the cell would bypass its emulation`,
          loc: nodeLoc(c, i.item.r, 'phys_start', 'mem_regions'),
          related: [{ loc: nodeLoc(root, root.model.system?.platform_info ?? root.model.cell), message: `${w.item.name} of the system configuration` }],
          data: data(i.item, 'phys', w, framesHit(w.item, i.start, i.end)?.[0] ? { pastConfigCheck: true } : {}),
        });
      }
    }
    return out;
  },
  fixes,
};
