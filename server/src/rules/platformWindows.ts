// The MMIO windows the hypervisor intercepts, as `jailhouse config check` sizes them (docs/format.md §5.4.5).
// Memory regions mapping them bypass the emulation. Exported for the memory-map view too.
import type { ConfigModel } from '../core/model';
import { bitIds } from '../util/format';

export interface PlatformWindow {
  /** Short name used in messages: `GIC distributor (GICD)`. */
  name: string;
  start: bigint;
  size: bigint;
  /** A window made of one frame per CPU (the GICv3 redistributors): frame n belongs to CPU n. */
  frame?: bigint;
}

/** The frames of `w` that [start, end) touches, as CPU numbers (inclusive range). */
export function framesHit(w: PlatformWindow, start: bigint, end: bigint): [number, number] | undefined {
  if (!w.frame) return undefined;
  const from = start > w.start ? start : w.start;
  const to = end < w.start + w.size ? end : w.start + w.size;
  if (from >= to) return undefined;
  return [Number((from - w.start) / w.frame), Number((to - 1n - w.start) / w.frame)];
}

const MiB = 1n << 20n;
/** One GICv3 redistributor: RD_base + SGI_base, 64 KiB each (hypervisor/arch/arm-common/gic-v3.c). */
const GICR_FRAME = 0x20000n;

export function platformWindows(root: ConfigModel): PlatformWindow[] {
  const sys = root.system;
  if (!sys) return [];
  const out: PlatformWindow[] = [];
  const add = (name: string, start: bigint, size: bigint, frame?: bigint) => {
    if (start !== 0n && size > 0n) out.push(frame ? { name, start, size, frame } : { name, start, size });
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
      // gicv3_init maps, and gicv3_cell_init traps, one redistributor frame for every CPU of
      // the system (the root's CPU set) up to the highest one, in sequence from gicr_base.
      // 0x20000 per frame; GICv4 hardware has 0x40000, which no config field tells.
      const cpus = bitIds(root.cpus);
      const frames = BigInt(cpus.length ? cpus[cpus.length - 1] + 1 : 1);
      add('GIC redistributors (GICR)', a.gicr_base, frames * GICR_FRAME, GICR_FRAME);
    }
  } else if (root.arch === 'x86') {
    add('local APIC (xAPIC)', 0xfee00000n, 0x1000n);
    for (const chip of root.irqchips) if (chip.$loc) add(`IOAPIC at 0x${chip.address.toString(16)}`, chip.address, 0x1000n);
  }
  return out;
}
