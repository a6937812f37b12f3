// pci-end-bus (docs/format.md §5.6): the hypervisor intercepts the MMCONFIG window only for
// buses 0..pci_mmconfig_end_bus ((end_bus + 1) MiB at pci_mmconfig_base, hypervisor/pci.c
// pci_init / pci_cell_init). A device listed on a higher bus is outside what a cell reaches
// through it, whichever cell lists it.
import { pciEndBusFix } from './fixes/pci';
import { PCI_TYPE } from '../core/flags';
import { bdfText, cellLabel } from './format';
import { nodeLoc } from './locate';
import type { Diag, Rule } from './types';

const two = (v: bigint) => v.toString(16).padStart(2, '0');

export const pciEndBus: Rule = {
  id: 'pci-end-bus',
  defaultSeverity: 'warning',
  docs: '#pci-end-bus',
  description: 'A PCI device of any cell is on a bus above the system\'s pci_mmconfig_end_bus, outside the configuration window the hypervisor emulates.',
  check(ctx) {
    const root = ctx.root;
    const p = root?.model.system?.platform_info;
    if (!root || !p || p.pci_mmconfig_base === 0n) return [];
    const arm = root.model.arch === 'arm' || root.model.arch === 'arm64';
    const end = p.pci_mmconfig_end_bus;
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const d of c.model.pci_devices) {
        const bus = d.bdf >> 8n;
        if (!d.$loc || bus <= end) continue;
        // pci-mmconfig already says that the root's virtual host covers bus 00 only.
        if (arm && c.isRoot && p.pci_is_virtual !== 0n && d.type === PCI_TYPE.IVSHMEM) continue;
        const window = `the hypervisor emulates configuration space only for buses 00..${two(end)} (pci_mmconfig_end_bus: ${end + 1n} MiB at pci_mmconfig_base, hypervisor/pci.c)`;
        const effect = arm
          ? 'the guest\'s configuration accesses to it fall outside that window and it never finds the device'
          : 'MMCONFIG accesses to it fall outside the intercepted window (the cell stops on the unmapped access) and only ports 0xcf8/0xcfc reach it';
        out.push({
          code: 'pci-end-bus',
          severity: 'warning',
          message: `device ${bdfText(d.bdf)} of ${cellLabel(c)} is on bus ${two(bus)}, but ${window}: ${effect}`,
          loc: nodeLoc(c, d, 'bdf', 'pci_devices'),
          related: [{ loc: nodeLoc(root, p, 'pci_mmconfig_end_bus'), message: 'pci_mmconfig_end_bus of the system configuration' }],
          data: { file: c.file, index: d.$index, bus: Number(bus) },
        });
      }
    }
    return out;
  },
  fixes: pciEndBusFix,
};
