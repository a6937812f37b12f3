// The MMIO windows the hypervisor intercepts, as `jailhouse config check` sizes them (docs/format.md §5.4.5).
// Memory regions mapping them bypass the emulation. Exported for the memory-map view too.
import type { ConfigModel } from '../core/model';

export interface PlatformWindow {
  /** Short name used in messages: `GIC distributor (GICD)`. */
  name: string;
  start: bigint;
  size: bigint;
}

const MiB = 1n << 20n;

export function platformWindows(root: ConfigModel): PlatformWindow[] {
  const sys = root.system;
  if (!sys) return [];
  const out: PlatformWindow[] = [];
  const add = (name: string, start: bigint, size: bigint) => {
    if (start !== 0n && size > 0n) out.push({ name, start, size });
  };
  const p = sys.platform_info;
  if (p.pci_mmconfig_base !== 0n) add('PCI MMCONFIG space', p.pci_mmconfig_base, (p.pci_mmconfig_end_bus + 1n) * MiB);
  p.iommu_units.forEach((u, i) => {
    if (u.type !== 0n) add(`IOMMU unit ${i}`, u.base, u.size);
  });
  if (root.arch === 'arm' || root.arch === 'arm64') {
    const a = p.arm;
    if (a.gic_version === 2n) {
      add('GIC distributor (GICD)', a.gicd_base, 0x1000n);
      add('GIC CPU interface (GICC)', a.gicc_base, 0x2000n);
      add('GIC hypervisor interface (GICH)', a.gich_base, 0x2000n);
      add('GIC virtual CPU interface (GICV)', a.gicv_base, 0x2000n);
    } else if (a.gic_version === 3n) {
      add('GIC distributor (GICD)', a.gicd_base, 0x10000n);
      add('GIC redistributor (GICR)', a.gicr_base, 0x20000n);
    }
  } else if (root.arch === 'x86') {
    add('local APIC (xAPIC)', 0xfee00000n, 0x1000n);
    for (const chip of root.irqchips) if (chip.$loc) add(`IOAPIC at 0x${chip.address.toString(16)}`, chip.address, 0x1000n);
  }
  return out;
}
