// pci-msi-cap (docs/format.md §5.6): the hypervisor lets a cell write above the standard
// header of a physical device only inside a listed capability with JAILHOUSE_PCICAPS_WRITE
// (hypervisor/pci.c, pci_cfg_write_moderate). Reads pass through, so the guest still sees the
// device's MSI / MSI-X capability; enabling it is a rejected write, and a rejected config
// write stops the cell ("FATAL: Invalid PCI config write" / "Invalid PCI MMCONFIG write").
import { pciMsiCapFix } from './fixes/pci';
import { has, PCI_TYPE } from '../core/flags';
import { CAP_MSI, capsOf, MSI_KINDS, PCICAPS_WRITE, type MsiCapData } from './pciCapData';
import { bdfText, cellLabel, nodeLabel } from './format';
import { nodeLoc } from './locate';
import type { Diag, Rule } from './types';

export const pciMsiCap: Rule = {
  id: 'pci-msi-cap',
  defaultSeverity: 'error',
  docs: '#pci-msi-cap',
  description: 'A physical PCI device with MSI or MSI-X vectors lacks a writable MSI / MSI-X capability entry: the guest\'s enable write stops the cell.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const d of c.model.pci_devices) {
        if (!d.$loc || d.type === PCI_TYPE.IVSHMEM) continue;
        const caps = capsOf(c, d);
        for (const k of MSI_KINDS) {
          const n = k.vectors(d);
          if (n === 0n) continue;
          const same = caps.filter((cap) => cap.id === k.id);
          if (same.some((cap) => has(cap.flags, PCICAPS_WRITE))) continue;
          const ro = same[0];
          const field = k.id === CAP_MSI ? 'num_msi_vectors' : 'num_msix_vectors';
          const where = `device ${bdfText(d.bdf)} of ${cellLabel(c)}`;
          const what = ro
            ? `its ${k.name} capability (${nodeLabel('pci_caps', ro)}) lacks JAILHOUSE_PCICAPS_WRITE`
            : d.num_caps === 0n
              ? `it lists no capabilities (num_caps 0)`
              : `pci_caps[${d.caps_start}..${d.caps_start + d.num_caps - 1n}] hold no ${k.name} capability (${k.macro})`;
          const data: MsiCapData = { file: c.file, index: d.$index, kind: k.macro, readOnly: ro?.$index };
          out.push({
            code: 'pci-msi-cap',
            severity: 'error',
            message: `${where} has ${n} ${k.name} vector${n === 1n ? '' : 's'} but ${what}: the guest still sees the capability, and its ${k.name} enable write is rejected by the hypervisor (pci_cfg_write_moderate), which stops the cell with "FATAL: Invalid PCI config write"`,
            loc: ro ? nodeLoc(c, ro, 'flags', 'pci_caps') : nodeLoc(c, d, field, 'pci_devices'),
            related: ro ? [{ loc: nodeLoc(c, d, field, 'pci_devices'), message: `${k.name} vectors of ${bdfText(d.bdf)}` }] : undefined,
            data,
          });
        }
      }
    }
    return out;
  },
  fixes: pciMsiCapFix,
};
