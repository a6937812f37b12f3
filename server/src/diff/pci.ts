// PCI devices, paired by bus/device/function (then by domain among devices of one bdf), and the
// ivshmem links among them: a device of type ivshmem on either side is reported under
// `ivshmem`, with its peers, peer id, protocol and the memory its regions describe, compared by
// address and size rather than by index (docs/format.md §5.7).
import { protocolName } from '../binary/listing';
import type { ModelJson, PciCapJson, PciDeviceJson } from '../binary/modelJson';
import { PCI_TYPE } from '../core/flags';
import { constantsOfGroup } from '../schema';
import { bdfText, humanSize } from '../util/format';
import type { ChangeList } from './changes';
import { big, enumText, field, flagsText, groupOf, hexText, setField } from './format';
import { matchBy } from './match';
import type { FieldChange, Resource } from './types';

const DEV = 'jailhouse_pci_device';
const CAP = 'jailhouse_pci_capability';
const isIvshmem = (d: PciDeviceJson) => BigInt(d.type) === PCI_TYPE.IVSHMEM;

/** A capability id by name: `MSI`, `EXT ERR` (extended ones have bit 15 set, docs/format.md §3.6). */
function capName(id: number): string {
  const ext = (id & 0x8000) !== 0;
  const prefix = ext ? 'PCI_EXT_CAP_ID_' : 'PCI_CAP_ID_';
  const k = constantsOfGroup(groupOf(CAP, 'id')).find((c) => c.value === BigInt(id & 0x7fff) && c.name.startsWith(prefix));
  const name = k ? k.name.slice(prefix.length) : hexText(id & 0x7fff);
  return ext ? `EXT ${name}` : name;
}

/** `MSI 0x50 len 0xe WRITE`: one capability entry. */
function capText(c: PciCapJson): string {
  const flags = big(c.flags) ? ` ${flagsText(CAP, 'flags', big(c.flags))}` : '';
  return `${capName(c.id)} ${c.start} len ${c.len}${flags}`;
}

/** The capability entries a device points at (as many of them as the image holds). */
function capsOf(json: ModelJson, d: PciDeviceJson): string[] {
  return json.pci_caps.slice(d.caps_start, d.caps_start + d.num_caps).map(capText);
}

/** The `2 + peers` regions of an ivshmem device (state, common, one output per peer), by address and size. */
function shmemRegions(json: ModelJson, d: PciDeviceJson): string {
  const n = 2 + d.shmem_peers;
  const regions = json.memory_regions.slice(d.shmem_regions_start, d.shmem_regions_start + n);
  const parts = regions.map((r) => (big(r.size) ? `${r.phys_start} (${humanSize(big(r.size))})` : 'empty'));
  if (regions.length < n) parts.push(`${n - regions.length} missing`);
  return parts.join(', ');
}

function msiText(d: PciDeviceJson): string[] {
  const out: string[] = [];
  if (d.num_msi_vectors) out.push(`MSI ${d.num_msi_vectors}${d.msi_64bits ? ' 64-bit' : ''}${d.msi_maskable ? ' maskable' : ''}`);
  if (d.num_msix_vectors) out.push(`MSI-X ${d.num_msix_vectors} @ ${d.msix_address} size ${d.msix_region_size}`);
  return out;
}

function deviceDetail(json: ModelJson, d: PciDeviceJson): string {
  if (isIvshmem(d)) {
    return [
      `peer ${d.shmem_dev_id} of ${d.shmem_peers}`,
      `protocol ${protocolName(big(d.shmem_protocol))}`,
      `regions ${shmemRegions(json, d)}`,
      ...msiText(d),
    ].join(', ');
  }
  const caps = capsOf(json, d);
  return [
    enumText(DEV, 'type', BigInt(d.type)),
    ...(d.domain ? [`domain ${d.domain}`] : []),
    ...(d.iommu ? [`IOMMU ${d.iommu}`] : []),
    ...msiText(d),
    ...(caps.length ? [`caps ${caps.join('; ')}`] : []),
  ].join(', ');
}

function deviceFields(ja: ModelJson, jb: ModelJson, x: PciDeviceJson, y: PciDeviceJson): FieldChange[] {
  const fields: FieldChange[] = [];
  field('type', enumText(DEV, 'type', BigInt(x.type)), enumText(DEV, 'type', BigInt(y.type)), fields);
  field('domain', `${x.domain}`, `${y.domain}`, fields);
  field('iommu', `${x.iommu}`, `${y.iommu}`, fields);
  x.bar_mask.forEach((m, k) => field(`bar_mask[${k}]`, m, y.bar_mask[k], fields));
  const ca = capsOf(ja, x);
  const cb = capsOf(jb, y);
  const added = cb.filter((c) => !ca.includes(c));
  const removed = ca.filter((c) => !cb.includes(c));
  setField('pci_caps', ca.join('; ') || 'none', cb.join('; ') || 'none', added.join('; '), removed.join('; '), fields);
  field('num_msi_vectors', `${x.num_msi_vectors}`, `${y.num_msi_vectors}`, fields);
  field('msi_64bits', `${x.msi_64bits}`, `${y.msi_64bits}`, fields);
  field('msi_maskable', `${x.msi_maskable}`, `${y.msi_maskable}`, fields);
  field('num_msix_vectors', `${x.num_msix_vectors}`, `${y.num_msix_vectors}`, fields);
  field('msix_region_size', x.msix_region_size, y.msix_region_size, fields);
  field('msix_address', x.msix_address, y.msix_address, fields);
  if (isIvshmem(x) || isIvshmem(y)) {
    field('shmem_dev_id', `${x.shmem_dev_id}`, `${y.shmem_dev_id}`, fields);
    field('shmem_peers', `${x.shmem_peers}`, `${y.shmem_peers}`, fields);
    field('shmem_protocol', protocolName(big(x.shmem_protocol)), protocolName(big(y.shmem_protocol)), fields);
    field('shmem_regions', shmemRegions(ja, x), shmemRegions(jb, y), fields);
  }
  return fields;
}

export function diffPci(list: ChangeList): void {
  const ja = list.a.json;
  const jb = list.b.json;
  const a = ja.pci_devices;
  const b = jb.pci_devices;
  const m = matchBy(a, b, [(d) => `${d.bdf} ${d.domain}`, (d) => `${d.bdf}`]);
  const subject = (i: number | undefined, j: number | undefined, d: PciDeviceJson) => {
    const name = list.nameOf('pci_devices', i, j);
    return `${isIvshmem(d) ? 'ivshmem ' : 'device '}${bdfText(d.bdf)}${d.domain ? ` domain ${d.domain}` : ''}${name ? ` "${name}"` : ''}`;
  };
  const resource = (...ds: PciDeviceJson[]): Resource => (ds.some(isIvshmem) ? 'ivshmem' : 'pci');
  for (const [i, j] of m.pairs) {
    list.changed(resource(a[i], b[j]), subject(i, j, b[j]), deviceFields(ja, jb, a[i], b[j]), list.locA('pci_devices', i), list.locB('pci_devices', j));
  }
  for (const i of m.onlyA) list.removed(resource(a[i]), subject(i, undefined, a[i]), deviceDetail(ja, a[i]), list.locA('pci_devices', i));
  for (const j of m.onlyB) list.added(resource(b[j]), subject(undefined, j, b[j]), deviceDetail(jb, b[j]), list.locB('pci_devices', j));
}
