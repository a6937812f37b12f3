// Inlay hints: the element index before each region (PCI devices and ivshmem refer to regions
// by index), the end address and human size after each region's size, the CPU list after a
// bitmap word.
import type { Doc } from './context';
import { cpuList, hex, humanSize } from './format';
import { contains } from './nodes';
import { CONSTANTS_BY_NAME } from '../schema';

const COMM_REGION = CONSTANTS_BY_NAME.get('JAILHOUSE_MEM_COMM_REGION')!.value;

export interface Hint {
  offset: number;
  label: string;
  tooltip?: string;
  /** Put the hint before the text at `offset` (index) or after (annotations). */
  side: 'before' | 'after';
}

export interface HintOptions {
  regionIndex?: boolean;
  regionEnd?: boolean;
  cpuList?: boolean;
}

export function inlayHints(doc: Doc, range: { start: number; end: number }, opts: HintOptions = {}): Hint[] {
  const model = doc.analysis.model;
  if (!model) return [];
  const file = doc.file;
  const inRange = (o: number) => o >= range.start && o <= range.end;
  const out: Hint[] = [];
  const seenLoc = new Set<string>();
  for (const r of model.mem_regions) {
    const loc = r.$loc;
    if (!loc || loc.file !== file) continue;
    // Regions produced by one macro invocation share its location: one index hint for the lot.
    const key = `${loc.start}:${loc.end}`;
    const first = !seenLoc.has(key);
    seenLoc.add(key);
    if (opts.regionIndex !== false && first && inRange(loc.start)) {
      const group = model.mem_regions.filter((o) => o.$loc && o.$loc.start === loc.start && o.$loc.end === loc.end).map((o) => o.$index);
      out.push({ offset: loc.start, label: group.length > 1 ? `[${group[0]}-${group[group.length - 1]}]` : `[${r.$index}]`, side: 'before', tooltip: 'mem_regions index' });
    }
    if (opts.regionEnd === false || r.size === 0n) continue;
    const sizeLoc = r.$fieldLoc.size;
    const at = sizeLoc && sizeLoc.file === file && contains(loc, file, sizeLoc.start) && !(sizeLoc.start === loc.start && sizeLoc.end === loc.end) ? sizeLoc.end : undefined;
    if (at === undefined || !inRange(at)) continue;
    // A communication region has no physical side: its guest address is what matters.
    const comm = (r.flags & COMM_REGION) !== 0n;
    const end = (comm ? r.virt_start : r.phys_start) + r.size - 1n;
    out.push({ offset: at, label: `→ ${comm ? 'virt ' : ''}${hex(end)} (${humanSize(r.size)})`, side: 'after', tooltip: `phys ${hex(r.phys_start)}–${hex(end)}, virt ${hex(r.virt_start)}–${hex(r.virt_start + r.size - 1n)}` });
  }
  if (opts.cpuList !== false) {
    model.cpusLoc.forEach((loc, i) => {
      if (!loc || loc.file !== file || !inRange(loc.end)) return;
      const list = cpuList([model.cpus[i]]).replace(/\d+/g, (d) => String(Number(d) + 64 * i));
      out.push({ offset: loc.end, label: `CPUs ${list}`, side: 'after' });
    });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
