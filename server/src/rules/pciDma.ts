// pci-dma (docs/format.md §5.4.3, §5.6): the x86 IOMMUs (VT-d, AMD-Vi) and the TI PVU put only
// JAILHOUSE_MEM_DMA regions into a cell's DMA address space (hypervisor/arch/x86/vtd.c,
// amd/iommu.c, arch/arm64/ti-pvu.c); a cell that owns a physical device but no DMA region
// gives the device nothing to DMA into. ARM SMMUs reuse the CPU's stage-2 tables, where the
// flag means nothing, so only x86 and systems with a PVU are checked.
import { pciDmaFix } from './fixes/pci';
import { has, isComm, IOMMU_TYPE, MEM, PCI_TYPE } from '../core/flags';
import { bdfText, cellLabel } from './format';
import { nodeLoc } from './locate';
import type { Diag, Rule, RuleContext } from './types';

/** The unit that would fault the device's DMA, or undefined when DMA is not translated by flag. */
function translator(ctx: RuleContext, arch: string | undefined): string | undefined {
  const units = ctx.root?.model.system?.platform_info.iommu_units.filter((u) => u.type !== 0n) ?? [];
  if (arch === 'x86') {
    if (!ctx.root) return 'the IOMMU (VT-d or AMD-Vi, hypervisor/arch/x86/vtd.c, amd/iommu.c)';
    if (units.some((u) => u.type === IOMMU_TYPE.AMD)) return 'the AMD-Vi IOMMU (hypervisor/arch/x86/amd/iommu.c)';
    return 'the VT-d IOMMU (hypervisor/arch/x86/vtd.c)';
  }
  return units.some((u) => u.type === IOMMU_TYPE.PVU) ? 'the TI PVU (hypervisor/arch/arm64/ti-pvu.c)' : undefined;
}

export const pciDma: Rule = {
  id: 'pci-dma',
  defaultSeverity: 'warning',
  docs: '#pci-dma',
  description: 'x86 or TI PVU: a cell owns a physical PCI device but none of its memory regions is JAILHOUSE_MEM_DMA, so every DMA of the device faults.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const unit = translator(ctx, c.model.arch);
      if (!unit) continue;
      const phys = c.model.pci_devices.filter((d) => d.$loc && d.type !== PCI_TYPE.IVSHMEM && d.type !== PCI_TYPE.BRIDGE);
      if (!phys.length || c.model.mem_regions.some((r) => r.size > 0n && !isComm(r) && has(r.flags, MEM.DMA))) continue;
      const list = phys.map((d) => bdfText(d.bdf)).join(', ');
      out.push({
        code: 'pci-dma',
        severity: 'warning',
        message: `${cellLabel(c)} owns physical PCI device${phys.length > 1 ? 's' : ''} ${list} but none of its memory regions is JAILHOUSE_MEM_DMA: ${unit} maps only DMA regions for the cell's devices, so every DMA of ${phys.length > 1 ? 'these devices' : 'the device'} faults`,
        loc: nodeLoc(c, phys[0], 'bdf', 'pci_devices'),
        related: phys.slice(1).map((d) => ({ loc: nodeLoc(c, d, 'bdf', 'pci_devices'), message: `physical device ${bdfText(d.bdf)}` })),
        data: { file: c.file },
      });
    }
    return out;
  },
  fixes: pciDmaFix,
};
