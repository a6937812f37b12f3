// The map as JSON (64-bit values as "0x…" strings, as in `jhcell dump --json`), plus `refs`:
// for every clickable element of the SVG (its data-ref), the source location to reveal.
import type { Loc } from '../util/source';
import { hex } from './format';
import type { MemoryMap } from './types';

/** A location as a front end wants it; `range` is filled when the file's text is known. */
export interface JsonLoc {
  file: string;
  start: number;
  end: number;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export type LocResolver = (loc: Loc) => JsonLoc;

const plain: LocResolver = (loc) => ({ file: loc.file, start: loc.start, end: loc.end });

/** The source location behind each `data-ref` of the SVG. */
export function mapRefs(map: MemoryMap): Map<string, Loc> {
  const refs = new Map<string, Loc>();
  for (const r of map.ranges) if (r.loc) refs.set(`r${r.id}`, r.loc);
  for (const l of map.lanes) if (l.file) refs.set(`lane:${l.id}`, { file: l.file, start: 0, end: 0 });
  for (const row of map.cpus.rows) if (row.loc) refs.set(`cpu:${row.lane}`, row.loc);
  map.irqs.locs.forEach((l, i) => refs.set(`irq${i}`, l.loc));
  map.comm.forEach((c, i) => c.loc && refs.set(`comm${i}`, c.loc));
  return refs;
}

export function mapToJson(map: MemoryMap, resolve: LocResolver = plain): unknown {
  const refs: Record<string, JsonLoc> = {};
  for (const [k, loc] of mapRefs(map)) refs[k] = resolve(loc);
  return {
    title: map.title,
    arch: map.arch,
    lanes: map.lanes,
    ranges: map.ranges.map((r) => ({
      id: r.id,
      lane: r.lane,
      start: hex(r.start),
      end: hex(r.end),
      size: hex(r.end - r.start),
      ...(r.virt !== undefined ? { virt: hex(r.virt) } : {}),
      ...(r.flags !== undefined ? { flags: hex(r.flags) } : {}),
      name: r.name,
      named: r.named,
      cls: r.cls,
      ...(r.index !== undefined ? { index: r.index } : {}),
      sharedWith: r.sharedWith,
      row: r.row,
      conflicts: r.conflicts,
    })),
    conflicts: map.conflicts.map((c) => ({ ...c, start: hex(c.start), end: hex(c.end) })),
    conflictsTruncated: map.conflictsTruncated,
    shared: map.shared.map((s) => ({ ...s, start: hex(s.start), end: hex(s.end) })),
    comm: map.comm.map((c) => ({ lane: c.lane, name: c.name, virt: hex(c.virt), size: hex(c.size) })),
    gaps: map.gaps.map((g) => ({ start: hex(g.start), end: hex(g.end) })),
    cpus: { cpus: map.cpus.cpus, rows: map.cpus.rows.map((r) => ({ lane: r.lane, cpus: r.cpus })), conflicts: map.cpus.conflicts },
    irqs: {
      unit: map.irqs.unit,
      chips: map.irqs.chips.map((c) => ({ ...c, address: hex(c.address) })),
      columns: map.irqs.columns.map((c) => ({ ...c, chip: hex(c.chip) })),
    },
    notes: map.notes,
    refs,
  };
}
