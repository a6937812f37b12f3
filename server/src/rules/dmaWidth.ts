// memory-dma-width (docs/format.md §5.4.3, §5.8): guest addresses the x86 IOMMU page
// tables cannot express. VT-d maps only DMA regions and refuses a virt_start at or above its
// address width, which is 39 or 48 bits depending on the hardware (3- or 4-level tables) — the
// config cannot tell which, so above 2^39 is a warning and above 2^48 an error. The AMD-Vi
// hypervisor refuses any region (DMA or not) at or above 2^48.
import { dmaWidthFix } from './fixes/regions';
import { has, isComm, IOMMU_TYPE, MEM } from '../core/flags';
import { hex, regionLabel } from './format';
import { nodeLoc } from './locate';
import type { CellRef, Diag, Rule, RuleContext } from './types';

const BITS_39 = 1n << 39n;
const BITS_48 = 1n << 48n;

type Vendor = 'intel' | 'amd' | 'unknown';

/**
 * Which IOMMU driver the hypervisor runs: Intel needs at least one VT-d unit, so a root with
 * AMD units or none at all runs the AMD image. Without the root nothing is known.
 */
function vendorOf(ctx: RuleContext): Vendor {
  const p = ctx.root?.model.system?.platform_info;
  if (!p) return 'unknown';
  const types = p.iommu_units.filter((u) => u.type !== 0n).map((u) => u.type);
  if (types.includes(IOMMU_TYPE.INTEL)) return 'intel';
  return 'amd';
}

const failure = (c: CellRef) => (c.isRoot ? 'jailhouse enable fails (-E2BIG)' : 'cell create fails (-E2BIG)');

export const memoryDmaWidth: Rule = {
  id: 'memory-dma-width',
  defaultSeverity: 'error',
  docs: '#memory-dma-width',
  description: 'x86: a region whose guest address lies beyond what the IOMMU page tables cover (VT-d: DMA regions above 39 or 48 bits; AMD-Vi: any region above 48 bits).',
  check(ctx) {
    const vendor = vendorOf(ctx);
    const out: Diag[] = [];
    for (const c of ctx.all) {
      if (c.model.arch !== 'x86') continue;
      for (const r of c.model.mem_regions) {
        if (r.size === 0n || isComm(r)) continue;
        const dma = has(r.flags, MEM.DMA);
        const v = r.virt_start;
        const at = `${regionLabel(r)} at guest address ${hex(v)}`;
        const push = (severity: 'error' | 'warning', message: string) =>
          out.push({ code: 'memory-dma-width', severity, message, loc: nodeLoc(c, r, 'virt_start', 'mem_regions'), data: { file: c.file, index: r.$index, dma } });
        if (vendor === 'amd') {
          if (v >= BITS_48) push('error', `${at} lies beyond the 48 bits the AMD-Vi page tables cover: ${failure(c)}`);
          continue;
        }
        if (!dma) continue;
        const host = vendor === 'intel' ? 'VT-d' : 'VT-d (and AMD-Vi)';
        if (v >= BITS_48) push('error', `${at} is JAILHOUSE_MEM_DMA but lies beyond 48 bits, more than any ${host} IOMMU can map: ${failure(c)}`);
        else if (v >= BITS_39)
          push('warning', `${at} is JAILHOUSE_MEM_DMA but lies beyond 39 bits: VT-d units with a 39-bit address width (3-level page tables) refuse it and ${failure(c)}; only 48-bit hardware accepts it`);
      }
    }
    return out;
  },
  fixes: dmaWidthFix,
};
