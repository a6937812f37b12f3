// How a grouping reads to the user, in one place for every front end (`jhcell check` notes,
// status bar, header hover): "checked with root X (<why>)".
import * as path from 'node:path';
import type { Grouping } from './system';

/** The why of a cell's grouping, e.g. `inferred from content: irqchip 0xfec00000, …`. */
export function groupingWhy(g: Grouping, declaredIn?: string): string {
  switch (g.reason) {
    case 'declared':
      return `declared in ${declaredIn ? path.basename(declaredIn) : 'jailhouse-cells.json'}`;
    case 'explicit':
      return 'named together on the command line';
    case 'folder':
      return 'the only system config in its folder';
    case 'prefix':
      return 'file name prefix';
    case 'content':
      return `inferred from content: ${(g.evidence ?? []).join(', ')}`;
    case 'none':
      return g.why ?? 'no system configuration was found for it';
  }
}

/** One line: `checked with root qemu-x86.c (file name prefix)` / `checked without a root cell: …`. */
export function groupingLine(g: Grouping, root: string | undefined, declaredIn?: string, show: (f: string) => string = path.basename): string {
  if (g.reason === 'none' || !root) return `checked without a root cell: ${groupingWhy(g, declaredIn)}`;
  return `checked with root ${show(root)} (${groupingWhy(g, declaredIn)})`;
}
