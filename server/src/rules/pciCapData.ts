// The MSI / MSI-X capability facts pci-msi-cap and its quick fix share (docs/format.md §5.6):
// which capability id serves which vectors, and the entries the hypervisor searches for a
// device (hypervisor/pci.c, pci_find_capability).
import type { PciCapability, PciDevice } from '../core/model';
import { CONSTANTS_BY_NAME } from '../schema';
import type { CellRef } from './types';

const constant = (name: string): bigint => CONSTANTS_BY_NAME.get(name)!.value;
export const CAP_MSI = constant('PCI_CAP_ID_MSI');
export const CAP_MSIX = constant('PCI_CAP_ID_MSIX');
export const PCICAPS_WRITE = constant('JAILHOUSE_PCICAPS_WRITE');

export interface MsiKind {
  id: bigint;
  name: 'MSI' | 'MSI-X';
  macro: 'PCI_CAP_ID_MSI' | 'PCI_CAP_ID_MSIX';
  vectors: (d: PciDevice) => bigint;
}

export const MSI_KINDS: MsiKind[] = [
  { id: CAP_MSI, name: 'MSI', macro: 'PCI_CAP_ID_MSI', vectors: (d) => d.num_msi_vectors },
  { id: CAP_MSIX, name: 'MSI-X', macro: 'PCI_CAP_ID_MSIX', vectors: (d) => d.num_msix_vectors },
];

/** The capability entries the hypervisor searches for a device (pci_find_capability). */
export function capsOf(c: CellRef, d: PciDevice): PciCapability[] {
  const out: PciCapability[] = [];
  for (let i = d.caps_start; i < d.caps_start + d.num_caps; i++) {
    const cap = c.model.pci_caps[Number(i)];
    if (cap) out.push(cap);
  }
  return out;
}

/** What the quick fix needs: the device, and which capability is missing or read-only. */
export interface MsiCapData {
  file: string;
  /** The device's index in pci_devices. */
  index: number;
  kind: string;
  /** Index into pci_caps of an entry without JAILHOUSE_PCICAPS_WRITE, when there is one. */
  readOnly?: number;
}
