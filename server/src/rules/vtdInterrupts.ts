// x86 VT-d interrupt remapping (docs/format.md §5.5, §5.8): what `jailhouse enable` reserves in
// the remapping table of vtd_interrupt_limit entries (rule vtd-interrupt-limit), and what
// irqchip-id shares with it: when a system uses VT-d, and what an IOAPIC's source id is.
import { IOMMU_TYPE, PCI_TYPE } from '../core/flags';
import type { Irqchip, PciDevice } from '../core/model';
import { vtdLimitFix } from './fixes/vtd';
import { bdfText, cellLabel, hex, nodeLabel, plural } from './format';
import { entries, irqsOf } from './irqchips';
import { nodeLoc } from './locate';
import type { CellRef, Diag, Rule, RuleContext } from './types';
import type { VtdLimitData } from './x86Data';

/** IOAPIC_MAX_PINS of the hypervisor: an IOAPIC with more pins fails `jailhouse enable` (-EIO). */
export const IOAPIC_MAX_PINS = 120;

/** The x86 root cell of a system whose IOMMU units (counted up to the first with base 0) are VT-d. */
export function vtdRoot(ctx: RuleContext): CellRef | undefined {
  const root = ctx.root;
  const units = root?.model.system?.platform_info.iommu_units;
  if (!root || root.model.arch !== 'x86' || !units) return undefined;
  let n = 0;
  while (n < units.length && units[n].base !== 0n) n++;
  return units.slice(0, n).some((u) => u.type === IOMMU_TYPE.INTEL) ? root : undefined;
}

/** The source id an IOAPIC entry reserves remapping entries with (vtd.c truncates `id` to u16). */
export const sourceId = (chip: Irqchip): bigint => chip.id & 0xffffn;

export interface IoapicNeed {
  chip: Irqchip;
  /** Pins the root lists (highest + 1): the hardware has at least these, it reports its own count. */
  pins: number;
}

export interface DeviceNeed {
  dev: PciDevice;
  vectors: number;
}

/**
 * The entries the root cell reserves at `jailhouse enable` (vtd_cell_init, iommu_add_pci_device):
 * one block per IOAPIC source id of as many entries as the IOAPIC has pins, and one block per
 * physical PCI device of max(num_msi_vectors, num_msix_vectors). A source id reserves once.
 * ivshmem devices are virtual and reserve nothing.
 */
export function rootNeed(root: CellRef): { ioapics: IoapicNeed[]; devices: DeviceNeed[]; total: number } {
  const seen = new Set<bigint>();
  const ioapics: IoapicNeed[] = [];
  for (const chip of entries(root)) {
    const id = sourceId(chip);
    // Only the first IOAPIC of a source id reserves, with its own pin count.
    if (seen.has(id)) continue;
    seen.add(id);
    ioapics.push({ chip, pins: Math.max(0, ...irqsOf(chip).map((p) => p + 1)) });
  }
  const devices: DeviceNeed[] = [];
  for (const dev of root.model.pci_devices) {
    if (!dev.$loc || dev.type === PCI_TYPE.IVSHMEM || seen.has(dev.bdf & 0xffffn)) continue;
    const vectors = Number(dev.num_msi_vectors > dev.num_msix_vectors ? dev.num_msi_vectors : dev.num_msix_vectors);
    if (vectors === 0) continue;
    seen.add(dev.bdf & 0xffffn);
    devices.push({ dev, vectors });
  }
  const total = ioapics.reduce((s, x) => s + x.pins, 0) + devices.reduce((s, x) => s + x.vectors, 0);
  return { ioapics, devices, total };
}

/**
 * The limit the quick fix writes: room for every IOAPIC at the most pins the hypervisor accepts
 * plus every vector, rounded up to a power of two (what `jailhouse config create` computes for
 * one IOAPIC), so the hardware's real pin count cannot make it short.
 */
export function safeLimit(need: { ioapics: IoapicNeed[]; devices: DeviceNeed[] }): number {
  const n = need.ioapics.length * IOAPIC_MAX_PINS + need.devices.reduce((s, x) => s + x.vectors, 0);
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export const vtdInterruptLimit: Rule = {
  id: 'vtd-interrupt-limit',
  defaultSeverity: 'error',
  docs: '#vtd-interrupt-limit',
  description: 'x86 VT-d: vtd_interrupt_limit is smaller than the interrupt-remapping entries the root cell reserves at `jailhouse enable` (its IOAPIC pins plus the MSI/MSI-X vectors of its physical PCI devices): enable fails with -E2BIG.',
  check(ctx) {
    const root = vtdRoot(ctx);
    const x86 = root?.model.system?.platform_info.x86;
    // Above 32768 the table cannot be built at all: the iommu rule reports that.
    if (!root || !x86 || x86.vtd_interrupt_limit > 32768n) return [];
    const need = rootNeed(root);
    const limit = x86.vtd_interrupt_limit;
    if (BigInt(need.total) <= limit) return [];
    const parts = [
      ...need.ioapics.map((x) => `${plural(x.pins, 'pin')} of the IOAPIC at ${hex(x.chip.address)}`),
      ...need.devices.map((x) => `${plural(x.vectors, 'vector')} of ${bdfText(x.dev.bdf)}`),
    ];
    const fix = safeLimit(need);
    const diag: Diag = {
      code: 'vtd-interrupt-limit',
      severity: 'error',
      message: `vtd_interrupt_limit is ${limit}, but ${cellLabel(root)} reserves at least ${need.total} interrupt-remapping entries at \`jailhouse enable\` (${parts.join(', ')}): the hypervisor finds no room for them (vtd_reserve_int_remap_region, VT-d) and enable fails with -E2BIG`,
      loc: nodeLoc(root, x86, 'vtd_interrupt_limit'),
      related: [
        ...need.ioapics.map((x) => ({ loc: nodeLoc(root, x.chip, 'pin_bitmap', 'irqchips'), message: `${nodeLabel('irqchip', x.chip)}: ${plural(x.pins, 'pin')} at least (the IOAPIC reports its own count)` })),
        ...need.devices.map((x) => ({ loc: nodeLoc(root, x.dev, x.dev.num_msix_vectors >= x.dev.num_msi_vectors ? 'num_msix_vectors' : 'num_msi_vectors', 'pci_devices'), message: `PCI device ${bdfText(x.dev.bdf)}: ${plural(x.vectors, 'vector')}` })),
      ],
    };
    if (fix <= 32768) diag.data = { file: root.file, limit: fix } satisfies VtdLimitData;
    return [diag];
  },
  fixes: vtdLimitFix,
};
