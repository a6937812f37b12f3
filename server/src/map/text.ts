// The map as a plain-text report: ranges by address with owner and notes, gaps, shared memory,
// conflicts, then the CPU and interrupt grids. For terminals, CI logs and diffs.
import { hexAddr, humanSize } from './format';
import type { MemoryMap } from './types';

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
    for (const c of map.conflicts) out.push(`  #${c.id + 1} ${c.severity}: ${c.message} [${c.code}]`);
    if (map.conflictsTruncated) out.push(`  (only the first ${map.conflicts.length} are listed)`);
  }

  const cells = map.lanes.filter((l) => l.kind === 'root' || l.kind === 'cell');
  if (map.cpus.cpus.length) {
    out.push('', 'CPUs:');
    const head = ['cell', ...map.cpus.cpus.map(String)];
    const bad = new Map(map.cpus.conflicts.map((c) => [c.cpu, c.conflict]));
    const body = map.cpus.rows.map((r) => [lane(r.lane), ...map.cpus.cpus.map((cpu) => (r.cpus.includes(cpu) ? (bad.get(cpu)?.lanes.includes(r.lane) ? '!' : 'x') : '.'))]);
    out.push(...table([head, ...body]).map((l) => '  ' + l));
    for (const c of map.cpus.conflicts) out.push(`  CPU ${c.cpu}: ${c.conflict.severity}: ${c.conflict.message} [${c.conflict.code}]`);
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
      for (const c of cols) if (c.conflict) out.push(`    ${c.conflict.severity}: ${c.conflict.message} [${c.conflict.code}]`);
    }
  }
  if (map.notes.length) out.push('', ...map.notes.map((n) => `note: ${n}`));
  return out.join('\n') + '\n';
}
