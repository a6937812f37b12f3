// The map as a plain-text report: ranges by address with owner and notes, gaps, shared memory,
// conflicts, then the CPU and interrupt grids. For terminals, CI logs and diffs.
import { basename } from 'node:path';
import { hexAddr, humanSize } from './format';
import type { GridConflict, MemoryMap, Place } from './types';

/** "at a.c:12, b.c:40": where the parties of a conflict declare it. */
function at(places: Place[]): string[] {
  return places.length ? [`at ${places.map((p) => `${basename(p.file)}:${p.line}`).join(', ')}`] : [];
}

/** "3", "2-3", "33, 140-141": ascending numbers with runs joined. */
function runs(ns: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; i++) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    out.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`);
    i = j;
  }
  return out.join(', ');
}

/**
 * Grid conflicts said once each: the checks report a shared CPU or interrupt from both cells
 * and one finding covers several numbers, so the same conflict sits on many cells of the grid.
 */
function gridFindings(items: { ns: number[]; conflict: GridConflict }[], noun: [string, string], indent: string): string[] {
  const groups = new Map<string, { ns: number[]; conflict: GridConflict }>();
  for (const { ns, conflict } of items) {
    const key = `${conflict.code}\0${conflict.severity}\0${conflict.message}`;
    const g = groups.get(key);
    if (g) {
      g.ns.push(...ns);
      for (const p of conflict.places) if (!g.conflict.places.some((q) => q.file === p.file && q.line === p.line)) g.conflict.places.push(p);
    } else groups.set(key, { ns: [...ns], conflict: { ...conflict, places: [...conflict.places] } });
  }
  const out: string[] = [];
  for (const { ns, conflict: c } of groups.values()) {
    const sorted = [...new Set(ns)].sort((a, b) => a - b);
    out.push(`${indent}${sorted.length === 1 ? noun[0] : noun[1]} ${runs(sorted)}: ${c.severity}: ${c.message} [${c.code}]`);
    for (const line of at(c.places)) out.push(`${indent}  ${line}`);
  }
  return out;
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}

export function renderText(map: MemoryMap): string {
  const lane = (id: string) => map.lanes.find((l) => l.id === id)?.label ?? id;
  const out: string[] = [map.title, '='.repeat(map.title.length), ''];
  const gaps = map.gaps;
  let next = 0;
  const rows: string[][] = [['start', 'end', 'size', 'owner', 'region', 'notes']];
  for (const r of map.ranges) {
    while (next < gaps.length && gaps[next].end <= r.start) {
      const g = gaps[next++];
      rows.push([hexAddr(g.start), hexAddr(g.end - 1n), humanSize(g.end - g.start), '-', '(unmapped)', '']);
    }
    const notes: string[] = [];
    if (r.cls !== 'ram' && r.cls !== 'window' && r.cls !== 'hypervisor') notes.push(r.cls);
    if (r.virt !== undefined && r.virt !== r.start) notes.push(`virt ${hexAddr(r.virt)}`);
    if (r.sharedWith.length) notes.push(`shared with ${r.sharedWith.map(lane).join(', ')}`);
    for (const c of r.conflicts) notes.push(`${map.conflicts[c].severity.toUpperCase()} #${c + 1}`);
    rows.push([hexAddr(r.start), hexAddr(r.end - 1n), humanSize(r.end - r.start), lane(r.lane), r.name, notes.join('; ')]);
  }
  // Pushed one by one: a spread of 100k lines would overflow the stack.
  if (map.ranges.length) for (const line of table(rows)) out.push(line);
  else out.push('(no physical memory ranges)');

  if (map.comm.length) {
    out.push('', 'Communication regions (guest-physical):');
    for (const c of map.comm) out.push(`  ${lane(c.lane)}: ${c.name} at ${hexAddr(c.virt)} (${humanSize(c.size)})`);
  }
  if (map.conflicts.length) {
    out.push('', 'Conflicts:');
    for (const c of map.conflicts) {
      out.push(`  #${c.id + 1} ${c.severity}: ${c.message} [${c.code}]`);
      for (const line of at(c.places)) out.push(`     ${line}`);
    }
    if (map.conflictsTruncated) out.push(`  (only the first ${map.conflicts.length} are listed)`);
  }

  const cells = map.lanes.filter((l) => l.kind === 'root' || l.kind === 'cell');
  if (map.cpus.cpus.length) {
    out.push('', 'CPUs:');
    const head = ['cell', ...map.cpus.cpus.map(String)];
    const bad = new Map(map.cpus.conflicts.map((c) => [c.cpu, c.conflict]));
    const body = map.cpus.rows.map((r) => [lane(r.lane), ...map.cpus.cpus.map((cpu) => (r.cpus.includes(cpu) ? (bad.get(cpu)?.lanes.includes(r.lane) ? '!' : 'x') : '.'))]);
    out.push(...table([head, ...body]).map((l) => '  ' + l));
    out.push(...gridFindings(map.cpus.conflicts.map((c) => ({ ns: [c.cpu], conflict: c.conflict })), ['CPU', 'CPUs'], '  '));
  }
  if (map.irqs.columns.length) {
    out.push('', `Interrupts (${map.irqs.unit === 'INTID' ? 'GIC INTIDs' : 'IOAPIC pins'}):`);
    for (const chip of map.irqs.chips) {
      out.push(`  ${chip.label}`);
      const cols = map.irqs.columns.filter((c) => c.chip === chip.address);
      const rows2 = cells.map((l) => [
        l.label,
        cols.filter((c) => c.lanes.includes(l.id)).map((c) => (c.first === c.last ? `${c.first}` : `${c.first}-${c.last}`) + (c.conflict?.lanes.includes(l.id) ? '!' : '')).join(' ') || '-',
      ]);
      out.push(...table(rows2).map((l) => '    ' + l));
      const unit: [string, string] = map.irqs.unit === 'INTID' ? ['INTID', 'INTIDs'] : ['pin', 'pins'];
      const bad = cols.flatMap((c) => (c.conflict ? [{ ns: Array.from({ length: c.last - c.first + 1 }, (_, k) => c.first + k), conflict: c.conflict }] : []));
      out.push(...gridFindings(bad, unit, '    '));
    }
  }
  if (map.notes.length) out.push('', ...map.notes.map((n) => `note: ${n}`));
  return out.join('\n') + '\n';
}
