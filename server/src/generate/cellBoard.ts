// Which bundled boards a system config is for, so `jhcell new cell` can name devices as the
// board does without --board: the board must not disagree with the root (rules/boards/mismatch)
// and must share its GIC distributor address, the one address every ARM root writes down.
import * as path from 'node:path';
import type { ConfigModel } from '../core/model';
import type { Board } from '../boards/types';
import { boardMismatch } from '../rules/boards/mismatch';

export function matchingBoards(root: ConfigModel, boards: Board[]): Board[] {
  if (root.kind !== 'system' || !root.system || (root.arch !== 'arm' && root.arch !== 'arm64')) return [];
  const gicd = root.system.platform_info.arm.gicd_base;
  return boards.filter((b) => b.arch === root.arch && b.interruptController?.type === 'gic' && gicd !== 0n && b.interruptController.gicd === gicd && !boardMismatch(root, b).length);
}

/**
 * The one bundled board for a root: the only one that matches, or among several that match
 * (SoCs of one family share the GIC address) the one whose id starts with the root file's name
 * (`imx8mm.c` → imx8mm-evk). Otherwise none, and `why` says which matched.
 */
export function boardForRoot(root: ConfigModel, rootFile: string, boards: Board[]): { board?: Board; matched: Board[]; byName: boolean } {
  const matched = matchingBoards(root, boards);
  if (matched.length === 1) return { board: matched[0], matched, byName: false };
  const base = path.basename(rootFile).replace(/\.c$/i, '').toLowerCase();
  const named = matched.filter((b) => b.id.toLowerCase() === base || b.id.toLowerCase().startsWith(`${base}-`) || base.startsWith(`${b.id.toLowerCase()}-`));
  return named.length === 1 ? { board: named[0], matched, byName: true } : { matched, byName: false };
}
