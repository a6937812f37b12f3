// `diffConfigs(a, b)`: what changed from config A to config B, in resource terms (regions,
// CPUs, interrupts, ports, PCI devices, ivshmem links, stream IDs, header and platform fields),
// never in bytes or lines. Both sides are the image's view (the model JSON), so a source, its
// compiled `.cell` and an older revision compare alike; names from comments only label changes.
import { ChangeList } from './changes';
import { diffHeader, diffKind, diffPlatform } from './fields';
import { diffCache, diffMemory } from './memory';
import { diffPci } from './pci';
import { diffCpus, diffIrqchips, diffPio, diffStreamIds } from './sets';
import { RESOURCES, type DiffResult, type DiffSide } from './types';

export function diffConfigs(a: DiffSide, b: DiffSide): DiffResult {
  const notes: string[] = [];
  const list = new ChangeList(a, b);
  diffKind(list, notes);
  diffHeader(list);
  diffCpus(list);
  diffMemory(list);
  diffCache(list);
  diffIrqchips(list);
  diffPio(list);
  diffPci(list);
  diffStreamIds(list);
  diffPlatform(list);
  const order = (r: string) => RESOURCES.indexOf(r as (typeof RESOURCES)[number]);
  // Stable: within a resource, changes stay in the order they were found (A's order, then added).
  const changes = list.changes.map((c, k) => ({ c, k })).sort((p, q) => order(p.c.resource) - order(q.c.resource) || p.k - q.k).map((x) => x.c);
  const bytesEqual = sameBytes(a.bytes, b.bytes);
  if (!changes.length && !bytesEqual) {
    notes.push(`the images differ in ${differingBytes(a.bytes, b.bytes)}, in nothing compared here (the order of elements, unused fields or bytes past the last section)`);
  }
  return { changes, notes, bytesEqual };
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function differingBytes(x: Uint8Array, y: Uint8Array): string {
  let n = Math.abs(x.length - y.length);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) n++;
  const size = x.length === y.length ? '' : ` (${x.length} vs ${y.length} bytes long)`;
  return `${n} byte${n === 1 ? '' : 's'}${size}`;
}
