// Cell names (docs/format.md §5.2): present, at most 31 characters, unique among cells that coexist.
import { CELL_NAME_MAXLEN as MAX } from '../schema';
import { cellPairs, pairNote } from './context';
import { cellLabel } from './format';
import { cellFieldLoc } from './locate';
import type { CellRef, Diag, Rule } from './types';

const nameOf = (c: CellRef): string => c.model.cell.name ?? '';

export const name: Rule = {
  id: 'name',
  defaultSeverity: 'error',
  docs: '#name',
  description: `Cell names must be non-empty, at most ${MAX} characters, and unique among the cells of a system (the root included).`,
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const n = nameOf(c);
      const loc = cellFieldLoc(c, 'name');
      if (!n) out.push({ code: 'name', severity: 'error', message: `the ${c.isRoot ? 'root ' : ''}cell has no name; jailhouse needs one to address it`, loc });
      else if (n.length > MAX)
        out.push({ code: 'name', severity: 'error', message: `cell name "${n}" has ${n.length} characters; at most ${MAX} fit (the driver cuts it to "${n.slice(0, MAX)}")`, loc });
      else if (/^\d+$/.test(n))
        out.push({ code: 'name', severity: 'information', message: `cell name "${n}" is a number; the jailhouse tool reads a numeric argument as a cell id unless --name is given`, loc });
    }
    for (const [a, b, sev] of cellPairs(ctx, ctx.all, (x) => x, 'error')) {
      const n = nameOf(a).slice(0, MAX);
      if (!n || n !== nameOf(b).slice(0, MAX)) continue;
      for (const [x, y] of [[a, b], [b, a]]) {
        out.push({
          code: 'name',
          severity: sev,
          message: `${cellLabel(y)} has the same name "${n}"; cell create fails with "exists"${pairNote(ctx, x, y)}`,
          loc: cellFieldLoc(x, 'name'),
          related: [{ loc: cellFieldLoc(y, 'name'), message: `name of ${y.file}` }],
        });
      }
    }
    return out;
  },
};
