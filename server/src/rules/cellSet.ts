// cell-set: once cell sets are declared, a cell of the system that is in none of them runs with
// the root cell alone (context.ts pairing), so no conflict with another cell is ever reported for
// it. That is a decision the user may not know they made: say it on the cell.
import * as path from 'node:path';
import { cellLabel } from './format';
import { cellFieldLoc } from './locate';
import type { Diag, Rule } from './types';

export const cellSet: Rule = {
  id: 'cell-set',
  defaultSeverity: 'information',
  docs: '#cell-set',
  description: 'Cell sets are declared but this cell is in none: it is checked as running with the root cell alone, against no other cell.',
  check(ctx) {
    const sets = ctx.system.sets;
    if (!sets) return [];
    const inSet = new Set(sets.flat().map((f) => path.resolve(f)));
    const where = ctx.system.declaredIn ? path.basename(ctx.system.declaredIn) : 'the cell-set declaration';
    return ctx.cells
      .filter((c) => !inSet.has(path.resolve(c.file)))
      .map(
        (c): Diag => ({
          code: 'cell-set',
          severity: 'information',
          message: `${cellLabel(c)} is in none of the cell sets of ${where}: it is checked as running with the root cell alone, and conflicts with the other cells are not reported. Add it to the set it runs in, or to a set of its own to say it runs alone`,
          loc: cellFieldLoc(c, 'name'),
          data: { file: c.file },
        }),
      );
  },
};
