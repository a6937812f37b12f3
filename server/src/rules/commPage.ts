// Rules about a non-root cell that has no communication region (docs/format.md §5.4.2):
//  - test-device: x86 JAILHOUSE_CELL_TEST_DEVICE places its MMIO page one page after the
//    comm region; without one, cell create fails (arch/x86/test-device.c, -EINVAL).
//  - comm-region-missing: a cell that takes part in the message protocol (no PASSIVE_COMMREG)
//    can only answer through the comm region; hypervisor/control.c cell_exchange_message()
//    polls it until the reply, forever when msg_reply_timeout is 0.
// The size and count of an existing comm region are checked by comm-region (rules/regions.ts).
import { CELL_FLAG, has, isComm } from '../core/flags';
import { commPageFixes } from './fixes/commPage';
import type { RelatedInfo } from '../core/diagnostics';
import type { MemoryRegion } from '../core/model';
import { cellLabel, regionLabel } from './format';
import { cellFieldLoc, nodeLoc } from './locate';
import type { CellRef, Diag, Rule } from './types';

const noComm = (c: CellRef) => !c.model.mem_regions.some(isComm);

/** A comm region written past num_memory_regions: the hypervisor never reads it (count-mismatch). */
function uncounted(c: CellRef): MemoryRegion | undefined {
  return c.analysis.model?.mem_regions.slice(c.model.mem_regions.length).find(isComm);
}

function lacking(c: CellRef): { text: string; related?: RelatedInfo[] } {
  const r = uncounted(c);
  if (!r) return { text: 'has no JAILHOUSE_MEM_COMM_REGION region' };
  return {
    text: `has no JAILHOUSE_MEM_COMM_REGION region the hypervisor reads (${regionLabel(r)} lies past num_memory_regions)`,
    related: [{ loc: nodeLoc(c, r, 'flags', 'mem_regions'), message: `${regionLabel(r)}, not counted in num_memory_regions` }],
  };
}

export const testDevice: Rule = {
  id: 'test-device',
  defaultSeverity: 'error',
  docs: '#test-device',
  description: 'x86: a cell with JAILHOUSE_CELL_TEST_DEVICE needs a COMM_REGION region, or cell create fails with -EINVAL.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      if (c.model.arch !== 'x86' || !has(c.model.cell.flags, CELL_FLAG.TEST_DEVICE) || !noComm(c)) continue;
      out.push({
        code: 'test-device',
        severity: 'error',
        message: `${cellLabel(c)} sets JAILHOUSE_CELL_TEST_DEVICE but ${lacking(c).text}: the test device's page lies one page after the comm region, so with a hypervisor built with CONFIG_TEST_DEVICE \`jailhouse cell create\` fails with -EINVAL (hypervisor/arch/x86/test-device.c)`,
        loc: cellFieldLoc(c, 'flags'),
        related: lacking(c).related,
        data: { file: c.file, add: !uncounted(c) },
      });
    }
    return out;
  },
  fixes: commPageFixes,
};

export const commRegionMissing: Rule = {
  id: 'comm-region-missing',
  defaultSeverity: 'error',
  docs: '#comm-region-missing',
  description: 'A cell without JAILHOUSE_CELL_PASSIVE_COMMREG must have a COMM_REGION to answer the hypervisor; without one, msg_reply_timeout 0 hangs cell management forever.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      if (has(c.model.cell.flags, CELL_FLAG.PASSIVE_COMMREG) || !noComm(c)) continue;
      const forever = c.model.cell.msg_reply_timeout === 0n;
      const why = `${cellLabel(c)} answers the hypervisor's messages (no JAILHOUSE_CELL_PASSIVE_COMMREG) but ${lacking(c).text}, so it can never reply; the hypervisor polls for the reply while the root cell is suspended (hypervisor/control.c, cell_exchange_message)`;
      out.push({
        code: 'comm-region-missing',
        severity: forever ? 'error' : 'warning',
        message: forever
          ? `${why}, and msg_reply_timeout is 0 (no limit): once the cell runs, \`jailhouse cell destroy\`, \`cell load\`, \`cell start\`, creating or destroying any other cell and \`jailhouse disable\` wait forever, the root cell frozen meanwhile`
          : `${why}: once the cell runs, the next message (creating or destroying any cell, \`cell load\`, \`cell destroy\`) times out after msg_reply_timeout polls and the hypervisor stops the cell and marks it failed`,
        loc: cellFieldLoc(c, c.model.cell.$fieldLoc.msg_reply_timeout ? 'msg_reply_timeout' : 'flags'),
        related: lacking(c).related,
        data: { file: c.file, passive: true, add: !uncounted(c) },
      });
    }
    return out;
  },
  fixes: commPageFixes,
};
