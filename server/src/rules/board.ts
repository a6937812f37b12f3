// board-partial-device, board-device-uncovered, board-mismatch: the checks against a board
// (docs/rules.md "board-partial-device"). They run like every rule, so severities, the
// editor, `jhcell check --board` and fixesFor treat them alike; without a board in the context
// (CheckOptions.board) they report nothing. The geometry is in rules/boards/ (diagnostics.ts,
// mismatch.ts, fixes.ts; context.ts is shared with board hover and completion).
import type { Analysis } from '../core/analysis';
import { partialDevices, uncoveredDevices } from './boards/diagnostics';
import type { BoardFeatureContext } from './boards/context';
import { boardFixes } from './boards/fixes';
import { boardMismatchDiagnostic } from './boards/mismatch';
import type { Diag, Fix, Rule, RuleContext } from './types';

const members = (ctx: RuleContext): Analysis[] => [...(ctx.system.root ? [ctx.system.root] : []), ...ctx.system.cells];

/** What the board features see: the chosen board, or none (a cell falls back to its root's). */
function featureContext(ctx: RuleContext): BoardFeatureContext | undefined {
  if (!ctx.board) return undefined;
  return { board: ctx.board === 'root' ? undefined : ctx.board, system: ctx.system };
}

/** Every member's findings of one kind, in its own file. */
function perMember(find: (a: Analysis, b: BoardFeatureContext) => Diag[]) {
  return (ctx: RuleContext): Diag[] => {
    const b = featureContext(ctx);
    return b ? members(ctx).flatMap((a) => find(a, b)) : [];
  };
}

/** The fixes of a board finding, on the member it is in (diag.data says what to write). */
function fixes(diag: Diag, ctx: RuleContext): Fix[] {
  const a = members(ctx).find((x) => x.file === diag.loc.file);
  if (!a) return [];
  return boardFixes(diag, a).map((f) => ({
    title: f.title,
    preferred: f.preferred,
    edits: f.edits.map((e) => ({ loc: { file: e.file, start: e.start, end: e.end }, newText: e.newText })),
  }));
}

export const boardPartialDevice: Rule = {
  id: 'board-partial-device',
  defaultSeverity: 'information',
  docs: '#board-partial-device',
  description: "A memory region starts inside a device's register window on the board: the device's first registers are not mapped.",
  check: perMember(partialDevices),
  fixes,
};

export const boardDeviceUncovered: Rule = {
  id: 'board-device-uncovered',
  defaultSeverity: 'warning',
  docs: '#board-device-uncovered',
  description: "The cell is granted a device's interrupt but maps none of the device's registers on the board.",
  check: perMember(uncoveredDevices),
  fixes,
};

export const boardMismatch: Rule = {
  id: 'board-mismatch',
  defaultSeverity: 'warning',
  docs: '#board-mismatch',
  description: "The chosen board is not the machine of the system config: its architecture, interrupt controller addresses or RAM differ from the root cell's.",
  // Only a chosen board: the root cell's own description always fits its config. Said once,
  // on the root config.
  check(ctx) {
    if (!ctx.board || ctx.board === 'root') return [];
    const d = boardMismatchDiagnostic(ctx.system.root, ctx.board);
    return d ? [d] : [];
  },
};

export const BOARD_RULES: readonly Rule[] = [boardPartialDevice, boardDeviceUncovered, boardMismatch];
