// Resources that are sets rather than lists: CPUs, the interrupts of each interrupt controller,
// I/O ports and stream IDs. How they are split into entries does not matter to the target, so
// only members added and removed are reported (as ranges), never a changed entry layout.
import type { IrqchipJson } from '../binary/modelJson';
import { bitIds, rangeList } from '../util/format';
import { subtract, union, type Span } from '../util/spans';
import type { ChangeList } from './changes';
import { big, hexText, setField } from './format';
import type { FieldChange } from './types';

const minus = (x: readonly number[], y: ReadonlySet<number>): number[] => x.filter((v) => !y.has(v));

export function diffCpus(list: ChangeList): void {
  const a = list.a.json.cpus;
  const b = list.b.json.cpus;
  const added = minus(b, new Set(a));
  const removed = minus(a, new Set(b));
  const la = list.a.fieldLoc?.('cpus');
  const lb = list.b.fieldLoc?.('cpus');
  if (added.length) list.added('cpus', `${added.length === 1 ? 'CPU' : 'CPUs'} ${rangeList(added)}`, '', lb);
  if (removed.length) list.removed('cpus', `${removed.length === 1 ? 'CPU' : 'CPUs'} ${rangeList(removed)}`, '', la);
}

/** Interrupt numbers of an irqchip entry (bit n of the bitmap is `pin_base + n`, docs/format.md §5.5). */
function pins(c: IrqchipJson): number[] {
  return bitIds(c.pin_bitmap.map(big), 32).map((k) => c.pin_base + k);
}

interface Chip {
  pins: Set<number>;
  ids: Set<number>;
  /** The first entry at this address, for names and locations. */
  first: number;
}

function chips(list: IrqchipJson[]): Map<string, Chip> {
  const out = new Map<string, Chip>();
  list.forEach((c, i) => {
    const chip = out.get(c.address) ?? { pins: new Set(), ids: new Set(), first: i };
    for (const p of pins(c)) chip.pins.add(p);
    chip.ids.add(c.id);
    out.set(c.address, chip);
  });
  return out;
}

const sorted = (s: Iterable<number>): number[] => [...s].sort((x, y) => x - y);

/** Interrupt controllers by address; several entries at one address are one controller. */
export function diffIrqchips(list: ChangeList): void {
  // ARM's irqchip bits are GIC INTIDs (shared peripheral interrupts from 32), x86's IOAPIC pins.
  const word = (list.b.json.arch ?? list.a.json.arch) === 'x86' ? 'pins' : 'SPIs';
  const ca = chips(list.a.json.irqchips);
  const cb = chips(list.b.json.irqchips);
  const addresses = [...new Set([...ca.keys(), ...cb.keys()])].sort((x, y) => (big(x) < big(y) ? -1 : big(x) > big(y) ? 1 : 0));
  for (const addr of addresses) {
    const x = ca.get(addr);
    const y = cb.get(addr);
    const name = list.nameOf('irqchips', x?.first, y?.first);
    const subject = `irqchip ${name ? `"${name}" ` : ''}${addr}`;
    const la = x && list.locA('irqchips', x.first);
    const lb = y && list.locB('irqchips', y.first);
    if (!x && y) {
      list.added('irqchips', subject, `${word} ${rangeList(sorted(y.pins))}`, lb);
    } else if (x && !y) {
      list.removed('irqchips', subject, `${word} ${rangeList(sorted(x.pins))}`, la);
    } else if (x && y) {
      const fields: FieldChange[] = [];
      const added = sorted(minus(sorted(y.pins), x.pins));
      const removed = sorted(minus(sorted(x.pins), y.pins));
      setField(word, rangeList(sorted(x.pins)), rangeList(sorted(y.pins)), added.length ? rangeList(added) : '', removed.length ? rangeList(removed) : '', fields);
      const ids = (s: Set<number>) => sorted(s).map((v) => hexText(v)).join(', ');
      if (ids(x.ids) !== ids(y.ids)) fields.push({ field: 'id', from: ids(x.ids), to: ids(y.ids) });
      list.changed('irqchips', subject, fields, la, lb);
    }
  }
}

const portsText = ({ start: x, end: y }: Span): string => (y - x === 1n ? hexText(x) : `${hexText(x)}-${hexText(y - 1n)}`);

/** x86 port ranges, as a set of ports: one line per contiguous range added or removed. */
export function diffPio(list: ChangeList): void {
  const ivs = (side: 'a' | 'b') => list[side].json.pio_regions.map((p): Span => ({ start: big(p.base), end: big(p.base) + big(p.length) }));
  const a = ivs('a');
  const b = ivs('b');
  const ma = union(a);
  const mb = union(b);
  // The element a range lies in names it (`PIO_RANGE(0x3f8, 8), /* serial */`).
  const owner = (ivl: Span[], x: bigint) => ivl.findIndex((r) => x >= r.start && x < r.end);
  for (const iv of subtract(ma, mb)) {
    const i = owner(a, iv.start);
    const name = i >= 0 ? list.a.elements?.pio_regions?.[i]?.name : undefined;
    list.removed('pio', `ports ${portsText(iv)}${name ? ` ("${name}")` : ''}`, '', i >= 0 ? list.locA('pio_regions', i) : undefined);
  }
  for (const iv of subtract(mb, ma)) {
    const j = owner(b, iv.start);
    const name = j >= 0 ? list.b.elements?.pio_regions?.[j]?.name : undefined;
    list.added('pio', `ports ${portsText(iv)}${name ? ` ("${name}")` : ''}`, '', j >= 0 ? list.locB('pio_regions', j) : undefined);
  }
}

/** `0x1-0x3, 0xf003`: sorted ids as hex ranges. */
function hexRanges(ids: number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < ids.length; ) {
    let e = k;
    while (e + 1 < ids.length && ids[e + 1] === ids[e] + 1) e++;
    parts.push(e === k ? hexText(ids[k]) : `${hexText(ids[k])}-${hexText(ids[e])}`);
    k = e + 1;
  }
  return parts.join(', ');
}

/** Stream IDs as a set of words (for an MMU-500 entry: `id | mask_out << 16`): one line for those added, one for those removed. */
export function diffStreamIds(list: ChangeList): void {
  const a = list.a.json.stream_ids;
  const b = list.b.json.stream_ids;
  const removed = sorted(new Set(minus(a, new Set(b))));
  const added = sorted(new Set(minus(b, new Set(a))));
  const subject = (ids: number[]) => `stream ID${ids.length === 1 ? '' : 's'} ${hexRanges(ids)}`;
  if (removed.length) list.removed('stream-ids', subject(removed), '', list.locA('stream_ids', a.indexOf(removed[0])));
  if (added.length) list.added('stream-ids', subject(added), '', list.locB('stream_ids', b.indexOf(added[0])));
}
