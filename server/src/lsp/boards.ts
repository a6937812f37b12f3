// The board in the language server: set by the client through the `jailhouse/setBoard`
// notification (or `initializationOptions.board`), and fed to board-aware completion, hover
// and diagnostics. Hook-up points in handlers.ts / session.ts are single calls to the
// functions below.
import type { Connection } from 'vscode-languageserver/node';
import { boardCompletions } from '../features/boards/complete';
import type { BoardFeatureContext } from '../rules/boards/context';
import { boardDiagnostics } from '../rules/boards/diagnostics';
import { boardFixes } from '../rules/boards/fixes';
import { boardHover } from '../features/boards/hover';
import { boardMismatchDiagnostic } from '../rules/boards/mismatch';
import { boardFromValue } from '../boards/load';
import type { Board } from '../boards/types';
import type { Analysis } from '../core/analysis';
import type { Diag } from '../core/diagnostics';
import type { CompletionEntry } from '../features/completion';
import type { Doc, FeatureContext } from '../features/context';
import type { HoverResult } from '../features/hover';
import type { FixOut } from './checker';
import type { System } from '../workspace';
import type { Session } from './session';

export const SET_BOARD = 'jailhouse/setBoard';
export const GET_BOARD = 'jailhouse/getBoard';

export interface SetBoardParams {
  /** A board description (the JSON form), a bundled id or file path, or null to clear. */
  board: unknown;
  /** Directory relative paths are resolved from (the workspace folder). */
  baseDir?: string;
}

export interface BoardInfo {
  id?: string;
  name?: string;
  arch?: string;
  devices?: number;
  problems: string[];
}

interface BoardState {
  board?: Board;
  problems: string[];
}

const STATES = new WeakMap<Session, BoardState>();

export function boardState(session: Session): BoardState {
  let s = STATES.get(session);
  if (!s) STATES.set(session, (s = { problems: [] }));
  return s;
}

function setBoard(session: Session, value: unknown, baseDir?: string): BoardState {
  const r = boardFromValue(value, { baseDir, includeDirs: session.settings.includeDirs });
  const s = boardState(session);
  s.board = r.board;
  s.problems = r.problems;
  for (const p of r.problems) session.log(`board: ${p}`);
  if (r.board) session.log(`board: ${r.board.name} (${r.board.devices.length} devices)`);
  return s;
}

/** Call from onInitialize with params.initializationOptions (reads its `board`). */
export function initBoard(session: Session, initializationOptions: unknown): void {
  const init = (initializationOptions ?? {}) as { board?: unknown; boardBaseDir?: string };
  if (init.board !== undefined) setBoard(session, init.board, init.boardBaseDir);
}

/** Call once after the session exists: the board notification and its query request. */
export function registerBoardHandlers(connection: Connection, session: Session): void {
  connection.onNotification(SET_BOARD, (raw: unknown) => {
    const p = raw as SetBoardParams | undefined;
    try {
      setBoard(session, p?.board ?? null, p?.baseDir);
      session.recheckAll();
    } catch (e) {
      connection.console.error(`setBoard failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  });
  connection.onRequest(GET_BOARD, (): BoardInfo => {
    const s = boardState(session);
    return s.board ? { id: s.board.id, name: s.board.name, arch: s.board.arch, devices: s.board.devices.length, problems: s.problems } : { problems: s.problems };
  });
}

export function boardContext(session: Session, ctx: FeatureContext): BoardFeatureContext {
  return { board: boardState(session).board, system: ctx.system };
}

/** Completion entries of the board, to append to the other features' entries. */
export function boardCompletionEntries(session: Session, doc: Doc, offset: number, ctx: FeatureContext): CompletionEntry[] {
  return boardCompletions(doc, offset, boardContext(session, ctx));
}

/** The hover with the board's part in front (or the board's part alone). */
export function withBoardHover(session: Session, doc: Doc, offset: number, ctx: FeatureContext, h: HoverResult | undefined): HoverResult | undefined {
  const b = boardHover(doc, offset, boardContext(session, ctx));
  if (!b) return h;
  if (!h) return b;
  // What the address is on the board comes first: it is what a hover on an address is for.
  return { markdown: `${b.markdown}\n\n---\n\n${h.markdown}`, loc: h.loc };
}

/** Board diagnostics of every file of a system, with the user's severity overrides applied. */
export function boardSystemDiagnostics(session: Session, sys: System): Diag[] {
  const out: Diag[] = [];
  const system = { root: sys.root, cells: sys.cells };
  const overrides = session.settings.severity;
  const board = boardState(session).board;
  // A chosen board that is not this system's machine: said once, on the root config.
  const mismatch = boardMismatchDiagnostic(sys.root, board);
  const found = [...(mismatch ? [mismatch] : []), ...[sys.root, ...sys.cells].filter((x): x is Analysis => !!x).flatMap((a) => boardDiagnostics(a, { board, system }))];
  for (const d of found) {
    const level = overrides[d.code];
    if (level === 'off') continue;
    out.push(level ? { ...d, severity: level } : d);
  }
  return out;
}

/** Quick fixes of a board diagnostic (empty for every other diagnostic). */
export function boardFixesFor(diag: Diag, sys: System): FixOut[] {
  if (!diag.code.startsWith('board-')) return [];
  const a = [sys.root, ...sys.cells].find((x) => x?.file === diag.loc.file);
  return a ? boardFixes(diag, a) : [];
}
