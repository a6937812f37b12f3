// A new non-root cell from a system (root + its cells): what it can take (cellChoices, for the
// wizard) and the config itself (generateCell, for `jhcell new cell` and the wizard).
// Problems with the options or the system are thrown as CellProblem with a sentence a user can
// act on. docs/generate.md "New cell".
import * as path from 'node:path';
import type { Board } from '../boards/types';
import type { System } from '../workspace/system';
import { cellSite, CellProblem } from './cellSite';
import { planCell } from './cellPlan';
import { cellText } from './cellText';
import type { CellChoices, CellOptions, GeneratedConfig } from './types';

export { CellProblem } from './cellSite';
export { boardForRoot, matchingBoards } from './cellBoard';

export function cellChoices(system: System, board?: Board): CellChoices {
  const site = cellSite(system, board);
  const out: CellChoices = {
    arch: site.root.arch ?? 'unknown',
    freeCpus: site.freeCpus,
    allCpus: site.allCpus,
    freeRam: site.freeRam.map((p) => ({ start: p.start, size: p.end - p.start })),
    devices: site.devices.map((d) => ({ name: d.name, windows: d.windows, irqs: d.irqs, rootShared: d.rootShared, ...(d.takenBy ? { takenBy: d.takenBy } : {}) })),
    ivshmemLinks: site.links.map((l) => ({ bdf: l.bdf, ...(l.name ? { name: l.name } : {}) })),
  };
  if (site.cellArea) out.cellArea = { start: site.cellArea.phys_start, size: site.cellArea.size, ...(site.cellArea.$name ? { name: site.cellArea.$name } : {}) };
  if (site.cellAreaProblem) out.cellAreaProblem = site.cellAreaProblem;
  return out;
}

/** A file name beside the root: `<root>-<name>.c`, so the workspace groups it with its root by name. */
function fileNameFor(rootFile: string, name: string): string {
  const base = path.basename(rootFile).replace(/\.c$/i, '');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'cell';
  return slug.startsWith(`${base}-`) ? `${slug}.c` : `${base}-${slug}.c`;
}

export function generateCell(system: System, options: CellOptions, board?: Board): GeneratedConfig {
  const site = cellSite(system, board);
  if (site.root.arch !== 'arm' && site.root.arch !== 'arm64' && site.root.arch !== 'x86') throw new CellProblem(`the root's architecture is not one Jailhouse knows`, 'system');
  const plan = planCell(site, options);
  const text = cellText(plan, { arch: site.root.arch === 'arm' ? 'arm' : 'arm64', rootFile: path.basename(site.rootFile), rootName: site.root.cell.name });
  return { text, fileName: fileNameFor(site.rootFile, plan.name), notes: plan.notes };
}
