// pio-shared (docs/format.md §5.9): the hypervisor takes a cell's port ranges away from the root
// cell only (vcpu_cell_init); nothing keeps two non-root cells from both opening a port.
import { pioSharedFix } from './fixes/pio';
import { cellPairs, pairNote } from './context';
import { cellLabel, hex } from './format';
import { nodeLoc } from './locate';
import type { PioRegion } from '../core/model';
import type { CellRef, Diag, Rule } from './types';
import type { PioSharedData } from './x86Data';

const portSpan = (start: bigint, end: bigint) => (end - start === 1n ? hex(start, 4) : `${hex(start, 4)}-${hex(end - 1n, 4)}`);

/** Written port ranges that open at least one port. */
const ranges = (c: CellRef): PioRegion[] => c.model.pio_regions.filter((p) => p.$loc && p.length > 0n);

export const pioShared: Rule = {
  id: 'pio-shared',
  defaultSeverity: 'error',
  docs: '#pio-shared',
  description: 'x86: two non-root cells open the same I/O ports: both drive the device behind them at the same time (the hypervisor takes ports away from the root cell only).',
  check(ctx) {
    const pm = ctx.root?.model.system?.platform_info.x86.pm_timer_address ?? 0n;
    // The PM timer's four ports are open to every cell anyway (read-only counter).
    const onlyPmTimer = (s: bigint, e: bigint) => pm !== 0n && s >= pm && e <= pm + 4n;
    const cells = ctx.cells.filter((c) => c.model.arch === 'x86' && ranges(c).length);
    const out: Diag[] = [];
    for (const [a, b, sev] of cellPairs(ctx, cells, (c) => c, 'error')) {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        for (const p of ranges(x)) {
          const hits = ranges(y)
            .map((q) => ({ q, s: p.base > q.base ? p.base : q.base, e: p.base + p.length < q.base + q.length ? p.base + p.length : q.base + q.length }))
            .filter((h) => h.s < h.e && !onlyPmTimer(h.s, h.e));
          if (!hits.length) continue;
          out.push({
            code: 'pio-shared',
            severity: sev,
            message: `ports ${hits.map((h) => portSpan(h.s, h.e)).join(', ')} of port range ${portSpan(p.base, p.base + p.length)} are also open to ${cellLabel(y)}: both cells drive the device behind them at the same time (a UART prints both cells' output interleaved and loses input), because the hypervisor takes a cell's ports away from the root cell only, never from another cell (vcpu_cell_init)${pairNote(ctx, x, y)}`,
            loc: nodeLoc(x, p, 'base', 'pio_regions'),
            related: hits.map((h) => ({ loc: nodeLoc(y, h.q, 'base', 'pio_regions'), message: `port range ${portSpan(h.q.base, h.q.base + h.q.length)} of ${cellLabel(y)}` })),
            data: { file: x.file, index: p.$index } satisfies PioSharedData,
          });
        }
      }
    }
    return out;
  },
  fixes: pioSharedFix,
};
