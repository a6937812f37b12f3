// Quick fixes for a cell without a communication region (test-device, comm-region-missing):
// add the region where it is free, or (comm-region-missing) declare the cell passive.
import { CELL_FLAG, has, PAGE } from '../../core/flags';
import type { MemoryRegion } from '../../core/model';
import { appendElement } from '../boards/fixes';
import { hex } from '../format';
import type { CellRef, Diag, Fix, RuleContext, TextEdit } from '../types';
import { addFlag } from './edit';

/** Upstream's places for the comm region (docs/format.md §5.4.2). */
const CONVENTIONAL = { x86: 0x100000n, arm: 0x80000000n };

const clear = (rs: MemoryRegion[], at: (r: MemoryRegion) => bigint, start: bigint, size: bigint) =>
  rs.every((r) => r.size === 0n || at(r) + r.size <= start || start + size <= at(r));

/**
 * Where the new region goes: upstream's address when it is free in the cell's guest space (with
 * the test device's page after it on x86), else the first page above the cell's regions.
 * phys_start is ignored for a comm region but memory-overlap counts it: 0 unless taken.
 */
function placement(c: CellRef): { virt: bigint; phys: bigint } | undefined {
  const rs = c.model.mem_regions;
  const span = c.model.arch === 'x86' && has(c.model.cell.flags, CELL_FLAG.TEST_DEVICE) ? 2n * PAGE : PAGE;
  const top = rs.reduce((m, r) => (r.virt_start + r.size > m ? r.virt_start + r.size : m), 0n);
  const above = ((top + PAGE - 1n) / PAGE) * PAGE;
  const virt = [c.model.arch === 'x86' ? CONVENTIONAL.x86 : CONVENTIONAL.arm, above].find((v) => clear(rs, (r) => r.virt_start, v, span));
  if (virt === undefined) return undefined;
  const phys = [0n, virt].find((p) => clear(rs, (r) => r.phys_start, p, PAGE));
  return phys === undefined ? undefined : { virt, phys };
}

export function commPageFixes(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; passive?: boolean; add?: boolean } | undefined;
  const c = ctx.cells.find((x) => x.file === d?.file);
  if (!d || !c) return [];
  const fixes: Fix[] = [];
  // A region written past the count is count-mismatch's to fix, not a second one.
  const at = d.add ? placement(c) : undefined;
  const edits = at
    ? appendElement(c.analysis, 'mem_regions', (ind) =>
        [
          `${ind}/* communication region */ {`,
          ...(at.phys !== 0n ? [`${ind}\t.phys_start = ${hex(at.phys)},`] : []),
          `${ind}\t.virt_start = ${hex(at.virt)},`,
          `${ind}\t.size = 0x00001000,`,
          `${ind}\t.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |`,
          `${ind}\t\tJAILHOUSE_MEM_COMM_REGION,`,
          `${ind}},`,
        ].join('\n'),
      )
    : undefined;
  if (at && edits) {
    const text: TextEdit[] = edits.map((e) => ({ loc: { file: e.file, start: e.start, end: e.end }, newText: e.newText }));
    fixes.push({ title: `Add a communication region at ${hex(at.virt)}`, edits: text, preferred: true });
  }
  if (d.passive) {
    const flag = addFlag(c, c.model.cell, 'flags', 'JAILHOUSE_CELL_PASSIVE_COMMREG');
    if (flag) fixes.push({ title: 'Declare the cell passive (JAILHOUSE_CELL_PASSIVE_COMMREG): shutdown requests are approved without asking it', edits: [flag], preferred: !fixes.length });
  }
  return fixes;
}
