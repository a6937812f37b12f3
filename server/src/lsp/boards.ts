// The board in the language server: set by the client through the `jailhouse/setBoard`
// notification (or `initializationOptions.board`), and fed to board-aware completion, hover
// and diagnostics. Hook-up points in handlers.ts / session.ts are single calls to the
// functions below.
import type { Connection } from 'vscode-languageserver/node';
import { boardCompletions } from '../features/boards/complete';
import type { BoardFeatureContext } from '../rules/boards/context';
import { BOARD_DIAG_CODES } from '../rules/boards/diagnostics';
import { boardHover } from '../features/boards/hover';
import { boardFromValue } from '../boards/load';
import type { Diag } from '../core/diagnostics';
import type { CompletionEntry } from '../features/completion';
import type { Doc, FeatureContext } from '../features/context';
import type { HoverResult } from '../features/hover';
import { checkSystem } from './checker';
import type { System } from '../workspace';
import type { BoardState, Session } from './session';

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

/** The board the session checks against: the session holds it, these handlers set it. */
export function boardState(session: Session): BoardState {
  return session.board;
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


/** The board findings among what the server publishes for a system (one pipeline: checkSystem). */
export function boardSystemDiagnostics(session: Session, sys: System): Diag[] {
  const board: readonly string[] = BOARD_DIAG_CODES;
  return checkSystem(sys, session.settings, session.boardChoice()).filter((d) => board.includes(d.code));
}
