// The one diagnostic of the grouping itself: a cell checked without a root cell. Checks that
// need the root (CPUs, memory, interrupts and devices the root must own) cannot run then, so
// the user hears it on the cell's header instead of seeing a clean file.
import type { Analysis } from '../core/analysis';
import type { Diag } from '../core/diagnostics';
import type { SeverityLevel } from '../core/diagnostics';
import type { System } from './system';
import { DECLARATION_FILE } from './declaration';
import { groupingWhy } from './reasons';

export const ROOT_DIAGNOSTICS = {
  'system-root': {
    level: 'information',
    description: 'A cell is checked without a root cell: no declaration, folder, file name or content decided which system config it runs on, so checks against the root did not run.',
  },
} as const;

export const ROOT_DIAG_CODES = Object.keys(ROOT_DIAGNOSTICS) as (keyof typeof ROOT_DIAGNOSTICS)[];

/** What the quick fixes need: the roots the user may pick (absolute paths, best first). */
export interface SystemRootData {
  candidates: string[];
}

/** Where a cell's header is declared (`struct jailhouse_cell_desc cell`), else the file start. */
export function headerLoc(a: Analysis): Diag['loc'] {
  const m = a.model?.members.find((x) => x.role === 'header');
  return m && m.loc.file === a.file ? m.loc : { file: a.file, start: 0, end: 0 };
}

/** `system-root` for every cell of the system that has no root, with the user's override applied. */
export function rootDiagnostics(system: System, severity: Record<string, SeverityLevel | undefined> = {}): Diag[] {
  const level = severity['system-root'] ?? ROOT_DIAGNOSTICS['system-root'].level;
  if (level === 'off' || system.root) return [];
  const out: Diag[] = [];
  for (const cell of system.cells) {
    if (cell.model?.kind !== 'cell') continue;
    const g = system.grouping?.[cell.file];
    const why = groupingWhy(g ?? { reason: 'none' });
    const data: SystemRootData = { candidates: g?.candidates ?? [] };
    out.push({
      code: 'system-root',
      severity: level,
      message: `checked without a root cell: ${why}. Checks against the root (CPUs, memory, interrupts, devices it must own) did not run; name the root in ${DECLARATION_FILE}`,
      loc: headerLoc(cell),
      data,
    });
  }
  return out;
}
