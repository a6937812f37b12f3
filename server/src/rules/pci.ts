// PCI rules (docs/format.md §5.6): pci-caps-range, pci-type, pci-shared, pci-msix, pci-mmconfig.
import { cellPairs, pairNote } from './context';
import { PCI_TYPE } from '../core/flags';
import { bdfText, cellLabel, hex, regionLabel } from './format';
import { nodeLoc } from './locate';
import type { CellRef, Diag, Rule } from './types';

const devices = (c: CellRef) => c.model.pci_devices.filter((d) => d.$loc);

export const pciCapsRange: Rule = {
  id: 'pci-caps-range',
  defaultSeverity: 'error',
  docs: '#pci-caps-range',
  description: 'caps_start + num_caps of a device must stay within num_pci_caps.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const n = c.model.cell.num_pci_caps;
      for (const d of devices(c)) {
        if (d.num_caps === 0n || d.caps_start + d.num_caps <= n) continue;
        out.push({
          code: 'pci-caps-range',
          severity: 'error',
          message: `device ${bdfText(d.bdf)} uses capabilities ${d.caps_start}..${d.caps_start + d.num_caps - 1n} but the cell has only ${n} (num_pci_caps); the hypervisor reads past the array`,
          loc: nodeLoc(c, d, d.$fieldLoc.num_caps ? 'num_caps' : 'caps_start', 'pci_devices'),
        });
      }
    }
    return out;
  },
};

export const pciType: Rule = {
  id: 'pci-type',
  defaultSeverity: 'error',
  docs: '#pci-type',
  description: 'A PCI device type outside 1..3 is treated as a physical device.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const d of devices(c)) {
        if (d.type >= PCI_TYPE.DEVICE && d.type <= PCI_TYPE.IVSHMEM) continue;
        out.push({
          code: 'pci-type',
          severity: 'error',
          message: `device ${bdfText(d.bdf)} has type ${d.type}; use JAILHOUSE_PCI_TYPE_DEVICE, _BRIDGE or _IVSHMEM (anything else is handled as a physical device)`,
          loc: nodeLoc(c, d, 'type', 'pci_devices'),
        });
      }
    }
    return out;
  },
};

export const pciShared: Rule = {
  id: 'pci-shared',
  defaultSeverity: 'error',
  docs: '#pci-shared',
  description: 'The same physical PCI device is assigned to two non-root cells.',
  check(ctx) {
    const out: Diag[] = [];
    const phys = ctx.cells.map((c) => ({ c, devs: new Map(devices(c).filter((d) => d.type !== PCI_TYPE.IVSHMEM).map((d) => [`${d.domain}:${d.bdf}`, d])) }));
    for (const [{ c: a, devs: pa }, { c: b, devs: pb }, sev] of cellPairs(ctx, phys, (x) => x.c, 'error')) {
      for (const [k, da] of pa) {
        const db = pb.get(k);
        if (!db) continue;
        for (const [x, y, dx, dy] of [[a, b, da, db], [b, a, db, da]] as const) {
          out.push({
            code: 'pci-shared',
            severity: sev,
            message: `PCI device ${dx.domain.toString(16).padStart(4, '0')}:${bdfText(dx.bdf)} is also assigned to ${cellLabel(y)}; a device can belong to one cell only${pairNote(ctx, x, y)}`,
            loc: nodeLoc(x, dx, 'bdf', 'pci_devices'),
            related: [{ loc: nodeLoc(y, dy, 'bdf', 'pci_devices'), message: `same device in ${cellLabel(y)}` }],
          });
        }
      }
    }
    return out;
  },
};

/**
 * ARM (docs/format.md §5.6): guests find PCI devices only through the config-space window Jailhouse
 * emulates at pci_mmconfig_base (published in the communication region), and the root's
 * virtual PCI host for ivshmem is built there and covers bus 0 only when pci_is_virtual is set.
 */
export const pciMmconfig: Rule = {
  id: 'pci-mmconfig',
  defaultSeverity: 'warning',
  docs: '#pci-mmconfig',
  description: 'ARM: a cell with PCI devices needs the system\'s pci_mmconfig_base; with a virtual PCI host, root ivshmem devices must be on bus 0.',
  check(ctx) {
    const root = ctx.root;
    const p = root?.model.system?.platform_info;
    if (!root || !p || (root.model.arch !== 'arm' && root.model.arch !== 'arm64')) return [];
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const devs = devices(c).filter((d) => !c.isRoot || d.type === PCI_TYPE.IVSHMEM);
      if (p.pci_mmconfig_base === 0n && devs.length) {
        out.push({
          code: 'pci-mmconfig',
          severity: 'warning',
          message: c.isRoot
            ? `${cellLabel(c)} has ${devs.length === 1 ? 'an ivshmem device' : `${devs.length} ivshmem devices`} but pci_mmconfig_base is 0: the driver has no window for the virtual PCI host that would show ${devs.length === 1 ? 'it' : 'them'} to Linux`
            : `${cellLabel(c)} lists ${devs.length === 1 ? 'a PCI device' : `${devs.length} PCI devices`} (${devs.map((d) => bdfText(d.bdf)).join(', ')}) but the system's pci_mmconfig_base is 0: on ARM the guest has no config space to find ${devs.length === 1 ? 'it' : 'them'}`,
          loc: nodeLoc(c, devs[0], 'bdf', 'pci_devices'),
          related: [{ loc: nodeLoc(root, p, 'pci_mmconfig_base'), message: 'pci_mmconfig_base of the system configuration' }],
        });
      }
      if (!c.isRoot || p.pci_mmconfig_base === 0n || p.pci_is_virtual === 0n) continue;
      for (const d of devs) {
        if (d.bdf >> 8n === 0n) continue;
        out.push({
          code: 'pci-mmconfig',
          severity: 'warning',
          message: `ivshmem device ${bdfText(d.bdf)} of ${cellLabel(c)} is on bus ${(d.bdf >> 8n).toString(16).padStart(2, '0')}, but the virtual PCI host of the root (pci_is_virtual) covers bus 00 only: Linux never sees it`,
          loc: nodeLoc(c, d, 'bdf', 'pci_devices'),
          related: [{ loc: nodeLoc(root, p, 'pci_is_virtual'), message: 'pci_is_virtual of the system configuration' }],
        });
      }
    }
    return out;
  },
};

export const pciMsix: Rule = {
  id: 'pci-msix',
  defaultSeverity: 'error',
  docs: '#pci-msix',
  description: 'MSI-X table description is inconsistent, or a memory region maps the MSI-X table.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const d of devices(c)) {
        if (d.type === PCI_TYPE.IVSHMEM || d.msix_address === 0n) continue;
        if (d.msix_region_size === 0n || d.msix_region_size < 16n * d.num_msix_vectors) {
          out.push({
            code: 'pci-msix',
            severity: 'error',
            message: `device ${bdfText(d.bdf)} has an MSI-X table at ${hex(d.msix_address)} but msix_region_size ${hex(d.msix_region_size, 1)} is smaller than ${16n * d.num_msix_vectors} bytes (16 per vector × ${d.num_msix_vectors})`,
            loc: nodeLoc(c, d, 'msix_region_size', 'pci_devices'),
          });
        }
        const end = d.msix_address + (d.msix_region_size || 16n * d.num_msix_vectors || 1n);
        for (const r of c.model.mem_regions) {
          if (r.size === 0n || r.phys_start >= end || d.msix_address >= r.phys_start + r.size) continue;
          out.push({
            code: 'pci-msix',
            severity: 'warning',
            message: `${regionLabel(r)} maps the MSI-X table of device ${bdfText(d.bdf)} at ${hex(d.msix_address)}; the cell would bypass MSI-X interception`,
            loc: nodeLoc(c, r, 'phys_start', 'mem_regions'),
            related: [{ loc: nodeLoc(c, d, 'msix_address', 'pci_devices'), message: `MSI-X table of ${bdfText(d.bdf)}` }],
          });
        }
      }
    }
    return out;
  },
};
