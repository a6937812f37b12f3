// How the differ writes values: decoded through the schema's constant groups (the listing's
// helpers, so `jhcell dump` and `jhcell diff` name a flag the same way), sizes also in KiB/MiB.
import { enumName, flagNames } from '../binary/listing';
import { struct } from '../schema';
import { humanSize } from '../util/format';
import type { FieldChange } from './types';

export const big = (v: string | number): bigint => BigInt(v);

/** The constant group of a struct field (`jailhouse_memory.flags` → `mem-flags`). */
export function groupOf(structName: string, field: string): string {
  const g = struct(structName).fields.find((f) => f.name === field)?.constants;
  if (!g) throw new Error(`diff: no constant group for ${structName}.${field}`);
  return g;
}

export const flagsText = (structName: string, field: string, v: bigint): string => flagNames(groupOf(structName, field), v);
export const enumText = (structName: string, field: string, v: bigint): string => enumName(groupOf(structName, field), v);

/** `0x1000 (4 KiB)`. */
export const sizeText = (v: bigint): string => `0x${v.toString(16)}${v ? ` (${humanSize(v)})` : ''}`;

/** `+EXECUTE -DMA`: the named flags one value has and the other has not. */
export function flagDelta(structName: string, field: string, from: bigint, to: bigint): string {
  const group = groupOf(structName, field);
  const names = (v: bigint) => new Set(flagNames(group, v).split('|').filter((n) => n !== '0'));
  const a = names(from);
  const b = names(to);
  const plus = [...b].filter((n) => !a.has(n));
  const minus = [...a].filter((n) => !b.has(n));
  if (!plus.length && !minus.length) return '';
  return [...plus.map((n) => `+${n}`), ...minus.map((n) => `-${n}`)].join(' ');
}

/** A field change when the two texts differ. */
export function field(name: string, from: string, to: string, out: FieldChange[]): void {
  if (from !== to) out.push({ field: name, from, to });
}

/** A set-valued field (interrupts, capabilities): what was added and removed, as text. */
export function setField(name: string, from: string, to: string, added: string, removed: string, out: FieldChange[]): void {
  if (!added && !removed) return;
  out.push({ field: name, from, to, ...(added ? { added } : {}), ...(removed ? { removed } : {}) });
}

/** `size 0x1000 → 0x10000 (4 KiB → 64 KiB)`, `interrupts added 40-41, removed 80`. */
export function fieldText(f: FieldChange): string {
  const label = labelOf(f.field);
  if (f.added !== undefined || f.removed !== undefined) {
    const parts = [f.added ? `added ${f.added}` : '', f.removed ? `removed ${f.removed}` : ''].filter(Boolean);
    return `${label} ${parts.join('; ')}`;
  }
  return `${label} ${f.from} → ${f.to}${f.note ? ` (${f.note})` : ''}`;
}

/** A size-like field: hex on the line, human sizes in the note. */
export function sizeField(name: string, from: bigint, to: bigint, out: FieldChange[]): void {
  if (from !== to) out.push({ field: name, from: `0x${from.toString(16)}`, to: `0x${to.toString(16)}`, note: `${humanSize(from)} → ${humanSize(to)}` });
}

/** A flags field: decoded names on the line, what was added and removed in the note. */
export function flagsField(name: string, structName: string, from: bigint, to: bigint, out: FieldChange[], flagField = name): void {
  if (from === to) return;
  const delta = flagDelta(structName, flagField, from, to);
  out.push({ field: name, from: flagsText(structName, flagField, from), to: flagsText(structName, flagField, to), ...(delta ? { note: delta } : {}) });
}

export const hexText = (v: bigint | string | number): string => `0x${BigInt(v).toString(16)}`;

/** How the text output names a field (JSON keeps the contract key). */
const LABELS: Record<string, string> = {
  phys_start: 'phys',
  virt_start: 'virt',
  cpu_reset_address: 'cpu_reset_address',
  shmem_peers: 'peers',
  shmem_dev_id: 'peer id',
  shmem_protocol: 'protocol',
  shmem_regions: 'regions',
  num_msi_vectors: 'MSI vectors',
  msi_64bits: 'MSI 64-bit',
  msi_maskable: 'MSI maskable',
  num_msix_vectors: 'MSI-X vectors',
  msix_region_size: 'MSI-X region size',
  msix_address: 'MSI-X address',
  pci_caps: 'caps',
};

function labelOf(key: string): string {
  const bar = /^bar_mask\[(\d)\]$/.exec(key);
  if (bar) return `BAR${bar[1]} mask`;
  return LABELS[key] ?? key;
}
