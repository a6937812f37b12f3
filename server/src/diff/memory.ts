// Memory and cache regions. Regions are paired (docs/model-json.md, "jhcell diff"): identical
// regions first, then the same physical start, then the same virtual start and size (a region
// moved in physical memory), then the same name from the source comment (moved and resized).
// Whatever stays unpaired is added or removed.
import type { CacheRegionJson, MemoryRegionJson } from '../binary/modelJson';
import { ChangeList, quoted } from './changes';
import { big, enumText, field, flagsField, flagsText, sizeField, sizeText } from './format';
import { matchBy } from './match';
import type { FieldChange } from './types';

const MEM = 'jailhouse_memory';

/** `size 0x1000 (4 KiB), virt 0x0, flags READ|WRITE`: a region as a whole. */
export function regionDetail(r: MemoryRegionJson): string {
  const parts = [`size ${sizeText(big(r.size))}`];
  if (r.virt_start !== r.phys_start) parts.push(`virt ${r.virt_start}`);
  parts.push(`flags ${flagsText(MEM, 'flags', big(r.flags))}`);
  return parts.join(', ');
}

/** The fields of a memory region that differ (also the hypervisor memory of a system). */
export function regionFields(ra: MemoryRegionJson, rb: MemoryRegionJson): FieldChange[] {
  const fields: FieldChange[] = [];
  field('phys_start', ra.phys_start, rb.phys_start, fields);
  field('virt_start', ra.virt_start, rb.virt_start, fields);
  sizeField('size', big(ra.size), big(rb.size), fields);
  flagsField('flags', MEM, big(ra.flags), big(rb.flags), fields);
  return fields;
}

export function diffMemory(list: ChangeList): void {
  const a = list.a.json.memory_regions;
  const b = list.b.json.memory_regions;
  const nameA = (_: MemoryRegionJson, i: number) => list.a.elements?.memory_regions?.[i]?.name;
  const nameB = (_: MemoryRegionJson, j: number) => list.b.elements?.memory_regions?.[j]?.name;
  const whole = (r: MemoryRegionJson) => `${r.phys_start} ${r.virt_start} ${r.size} ${r.flags}`;
  const phys = (r: MemoryRegionJson) => r.phys_start;
  const virtSize = (r: MemoryRegionJson) => `${r.virt_start} ${r.size}`;
  const m = matchBy(a, b, [whole, phys, virtSize, nameA], [whole, phys, virtSize, nameB]);
  const subject = (i: number | undefined, j: number | undefined, r: MemoryRegionJson) =>
    `region ${quoted(list.nameOf('memory_regions', i, j))}${r.phys_start}`;
  for (const [i, j] of m.pairs) {
    list.changed('memory', subject(i, j, a[i]), regionFields(a[i], b[j]), list.locA('memory_regions', i), list.locB('memory_regions', j));
  }
  for (const i of m.onlyA) list.removed('memory', subject(i, undefined, a[i]), regionDetail(a[i]), list.locA('memory_regions', i));
  for (const j of m.onlyB) list.added('memory', subject(undefined, j, b[j]), regionDetail(b[j]), list.locB('memory_regions', j));
}

const CACHE = 'jailhouse_cache';

function cacheDetail(c: CacheRegionJson): string {
  return `${enumText(CACHE, 'type', big(c.type))}, size ${big(c.size)}, flags ${flagsText(CACHE, 'flags', big(c.flags))}`;
}

/** Cache partitions: paired by type and first unit, then by first unit alone. */
export function diffCache(list: ChangeList): void {
  const a = list.a.json.cache_regions;
  const b = list.b.json.cache_regions;
  const m = matchBy(a, b, [(c) => `${c.type} ${c.start} ${c.size}`, (c) => `${c.type} ${c.start}`, (c) => c.start]);
  const subject = (i: number | undefined, j: number | undefined, c: CacheRegionJson) =>
    `cache region ${quoted(list.nameOf('cache_regions', i, j))}start ${big(c.start)}`;
  for (const [i, j] of m.pairs) {
    const ca = a[i];
    const cb = b[j];
    const fields: FieldChange[] = [];
    field('start', `${big(ca.start)}`, `${big(cb.start)}`, fields);
    field('size', `${big(ca.size)}`, `${big(cb.size)}`, fields);
    field('type', enumText(CACHE, 'type', big(ca.type)), enumText(CACHE, 'type', big(cb.type)), fields);
    flagsField('flags', CACHE, big(ca.flags), big(cb.flags), fields);
    field('padding', `${ca.padding}`, `${cb.padding}`, fields);
    list.changed('cache', subject(i, j, ca), fields, list.locA('cache_regions', i), list.locB('cache_regions', j));
  }
  for (const i of m.onlyA) list.removed('cache', subject(i, undefined, a[i]), cacheDetail(a[i]), list.locA('cache_regions', i));
  for (const j of m.onlyB) list.added('cache', subject(undefined, j, b[j]), cacheDetail(b[j]), list.locB('cache_regions', j));
}

