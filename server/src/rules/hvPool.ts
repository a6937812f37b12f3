// A floor for the hypervisor's page pool: the pages `hypervisor_memory` must hold for a system,
// counted from the configs (docs/rules.md "hypervisor-memory" lists every part and where in
// the v0.12 hypervisor it comes from). Every part is a lower bound — what the configs cannot
// say (the image size of a build, CPU paging features, IOMMU hardware) is counted at its
// smallest — so a system below the floor is certainly too small.
import { memberSize } from '../binary/encode';
import { has, IOMMU_TYPE, isComm, isSubpage, MEM, PAGE, PCI_TYPE } from '../core/flags';
import type { MemoryRegion } from '../core/model';
import { bitIds } from '../util/format';
import type { CellRef, RuleContext } from './types';

export interface PoolPart {
  /** What the pages are for, as the message and docs name it. */
  what: string;
  pages: number;
}

export interface PoolEstimate {
  parts: PoolPart[];
  pages: number;
  bytes: bigint;
}

/** Smallest hypervisor image (code and data below `__page_pool`) of any v0.12 build. */
export const IMAGE_FLOOR_PAGES = 8;
/**
 * sizeof(struct per_cpu) in pages, at least: stack, private fields, and the page-aligned public
 * part holding the root table page (include/jailhouse/percpu.h); x86 adds the VMXON region and
 * VMCS, or the VMCB and host save area (arch/x86/include/asm/percpu.h).
 */
export const PER_CPU_FLOOR_PAGES = { x86: 6, arm: 4 } as const;
/** NUM_REMAP_BITMAP_PAGES (arch/asm/paging.h), taken from the pool in paging_init(). */
export const REMAP_BITMAP_PAGES = 4;
const BITS_PER_PAGE = 8 * 4096;
const GIB = 1n << 30n;
const MIB2 = 1n << 21n;

const pagesOf = (bytes: number): number => Math.ceil(bytes / Number(PAGE));

function configBytes(c: CellRef): number {
  return c.model.members.reduce((n, m) => n + memberSize(m.type), 0);
}

/**
 * Translation-table pages below the root table needed to map the regions (4 KiB granule):
 * one table per 1 GiB span holding anything mapped smaller than 1 GiB, one per 2 MiB span
 * holding anything mapped with 4 KiB pages. Blocks of 2 MiB and 1 GiB are assumed wherever
 * phys and virt allow them (paging_create() with PAGING_HUGE), which gives the fewest tables.
 */
export function tablePages(regions: readonly MemoryRegion[]): number {
  const l2 = new Set<bigint>();
  const l3 = new Set<bigint>();
  const addRange = (set: Set<bigint>, span: bigint, start: bigint, end: bigint) => {
    for (let i = start / span; i <= (end - 1n) / span; i++) set.add(i);
  };
  for (const r of regions) {
    if (r.size === 0n || isComm(r) || isSubpage(r)) continue;
    let virt = r.virt_start;
    let phys = r.phys_start - (r.phys_start % PAGE);
    const end = r.virt_start + r.size;
    while (virt < end) {
      const left = end - virt;
      const fits = (block: bigint) => (virt | phys) % block === 0n && left >= block;
      let step: bigint;
      if (fits(GIB)) step = (left / GIB) * GIB;
      else if (fits(MIB2)) {
        // 2 MiB blocks up to the next 1 GiB boundary (or the end).
        const toGib = GIB - (virt % GIB);
        step = ((left < toGib ? left : toGib) / MIB2) * MIB2;
        addRange(l2, GIB, virt, virt + step);
      } else {
        // 4 KiB pages up to the next 2 MiB boundary where both can meet it, else to the end.
        const toMib = MIB2 - (virt % MIB2);
        step = (virt - phys) % MIB2 === 0n && left > toMib ? toMib : left;
        addRange(l2, GIB, virt, virt + step);
        addRange(l3, MIB2, virt, virt + step);
      }
      virt += step;
      phys += step;
    }
  }
  return l2.size + l3.size;
}

function highestCpu(c: CellRef): number {
  const ids = bitIds(c.model.cpus);
  return ids.length ? Math.max(...ids) : -1;
}

/** Pages one cell takes from the pool when it is set up (the root at enable, others at create). */
function cellParts(c: CellRef, x86: boolean, vtd: boolean): PoolPart[] {
  const label = c.isRoot ? `root cell "${c.label}"` : `cell "${c.label}"`;
  const mapped = c.model.mem_regions.filter((r) => r.size > 0n);
  const parts: PoolPart[] = [];
  // control.c cell_create(): struct cell plus the copy of the cell's config (the root's lives in the image).
  if (!c.isRoot) parts.push({ what: `${label}: cell structure and its config copy`, pages: pagesOf(configBytes(c) + 1) });
  // Root table of the guest-physical tables (mmu_cell.c / vmx.c / svm.c) and the tables under it.
  parts.push({ what: `${label}: page tables of its memory regions`, pages: 1 + tablePages(mapped) });
  // mmio.c mmio_cell_init(): the MMIO dispatch array, one page at least.
  parts.push({ what: `${label}: MMIO dispatch`, pages: 1 });
  // pci.c pci_cell_init(): the device list, one page at least when there are devices.
  if (c.model.pci_devices.length) parts.push({ what: `${label}: PCI device list`, pages: 1 });
  if (x86) {
    // vcpu.c vcpu_cell_init(): the I/O permission bitmap (2 pages on VMX, 3 on SVM).
    parts.push({ what: `${label}: I/O bitmap`, pages: 2 });
    if (c.model.irqchips.length) parts.push({ what: `${label}: IOAPIC state`, pages: 1 });
    // vtd.c vtd_cell_init(): a second table tree for the DMA regions.
    if (vtd) parts.push({ what: `${label}: VT-d tables of its DMA regions`, pages: 1 + tablePages(mapped.filter((r) => has(r.flags, MEM.DMA))) });
  }
  return parts;
}

export function poolEstimate(ctx: RuleContext): PoolEstimate | undefined {
  const root = ctx.root;
  const sys = root?.model.system;
  if (!root || !sys) return undefined;
  const x86 = root.model.arch === 'x86';
  const units = sys.platform_info.iommu_units.filter((u) => u.type !== 0n);
  const vtd = x86 && units.some((u) => u.type === IOMMU_TYPE.INTEL);
  // driver/main.c: max_cpus is the highest root CPU + 1; each gets a struct per_cpu.
  const maxCpus = highestCpu(root) + 1;
  const parts: PoolPart[] = [
    { what: 'hypervisor image (smallest build)', pages: IMAGE_FLOOR_PAGES },
    { what: `per-CPU data (${maxCpus} × ${x86 ? PER_CPU_FLOOR_PAGES.x86 : PER_CPU_FLOOR_PAGES.arm} pages: highest root CPU + 1)`, pages: maxCpus * (x86 ? PER_CPU_FLOOR_PAGES.x86 : PER_CPU_FLOOR_PAGES.arm) },
    { what: 'system configuration copy', pages: pagesOf(configBytes(root)) },
    { what: 'remap pool bitmap', pages: REMAP_BITMAP_PAGES },
    { what: 'parking page table', pages: 1 },
  ];
  if (vtd) {
    // vtd.c vtd_init(): the interrupt remapping table (16 bytes per entry) and one invalidation queue page per unit.
    parts.push({ what: `VT-d interrupt remapping table (${sys.platform_info.x86.vtd_interrupt_limit} entries) and queues`, pages: pagesOf(16 * Number(sys.platform_info.x86.vtd_interrupt_limit)) + units.length });
  }
  // ivshmem.c: one link structure per shared-memory device (found by BDF), made by its first peer.
  const links = new Set(ctx.all.flatMap((c) => c.model.pci_devices.filter((d) => d.type === PCI_TYPE.IVSHMEM).map((d) => d.bdf)));
  if (links.size) parts.push({ what: `ivshmem links (${links.size})`, pages: links.size });
  for (const c of ctx.all) parts.push(...cellParts(c, x86, vtd));
  const used = parts.reduce((n, p) => n + p.pages, 0);
  // paging.c paging_init(): the pool's own used-bitmap, one bit per page of the pool.
  const bitmap = Math.max(1, Math.ceil(used / BITS_PER_PAGE));
  parts.push({ what: 'page pool bitmap', pages: bitmap });
  const pages = used + bitmap;
  return { parts, pages, bytes: BigInt(pages) * PAGE };
}
