// The board in the language server: set by the client through the `jailhouse/setBoard`
// notification (or `initializationOptions.board`), and fed to board-aware completion, hover
// and diagnostics. The server reads boards itself (bundled ids, board files, device trees), so
// clients only name one: it also lists the bundled boards and imports device trees for them.
// Hook-up points in handlers.ts / session.ts are single calls to the functions below.
import type { Connection } from 'vscode-languageserver/node';
import { boardCompletions } from '../features/boards/complete';
import type { BoardFeatureContext } from '../rules/boards/context';
import { BOARD_DIAG_CODES } from '../rules/boards/diagnostics';
import { boardHover } from '../features/boards/hover';
import { formatDtsDiag } from '../boards/dts/diag';
import { importDtsFile } from '../boards/dts/import';
import { boardToJson, stringifyBoard } from '../boards/json';
import { boardFromValue } from '../boards/load';
import { bundledBoards } from '../boards/registry';
import type { Board } from '../boards/types';
import type { Diag } from '../core/diagnostics';
import type { CompletionEntry } from '../features/completion';
import type { Doc, FeatureContext } from '../features/context';
import type { HoverResult } from '../features/hover';
import { checkSystem } from './checker';
import type { System } from '../workspace';
import {
  GetBoardRequest,
  ImportDeviceTreeRequest,
  ListBoardsRequest,
  SetBoardNotification,
  type BoardInfo,
  type BoardSummary,
  type ImportDeviceTreeParams,
  type ImportDeviceTreeResult,
  type SetBoardParams,
} from '../protocol/methods';
import { boardChoiceOf, type BoardState, type Session } from './session';


/** The board the session checks against: the session holds it, these handlers set it. */
export function boardState(session: Session): BoardState {
  // A session built by hand (a test's stand-in with settings and log) starts without one.
  return ((session as { board?: BoardState }).board ??= { problems: [] });
}

function setBoard(session: Session, value: unknown, baseDir?: string, includeDirs?: string[]): BoardState {
  const r = boardFromValue(value, { baseDir, includeDirs: includeDirs ?? session.settings.includeDirs });
  const s = boardState(session);
  s.board = r.board;
  s.problems = r.problems;
  for (const p of r.problems) session.log(`board: ${p}`);
  // A device tree's warnings too: the client no longer reads it, so they are said here.
  for (const d of r.dtsDiags ?? []) if (d.severity !== 'error') session.log(`board: ${formatDtsDiag(d)}`);
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
  const failed = (what: string, e: unknown) => connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  connection.onNotification(SetBoardNotification, (p: SetBoardParams | undefined) => {
    try {
      const dirs = Array.isArray(p?.includeDirs) ? p.includeDirs.filter((d): d is string => typeof d === 'string' && !!d) : undefined;
      setBoard(session, p?.board ?? null, typeof p?.baseDir === 'string' ? p.baseDir : undefined, dirs);
      session.recheckAll();
    } catch (e) {
      failed('setBoard', e);
    }
  });
  connection.onRequest(GetBoardRequest, (): BoardInfo => {
    const s = boardState(session);
    return s.board ? { ...boardSummary(s.board), problems: s.problems } : { problems: s.problems };
  });
  connection.onRequest(ListBoardsRequest, (): BoardSummary[] => {
    try {
      return bundledBoards().map(boardSummary);
    } catch (e) {
      failed('listBoards', e);
      return [];
    }
  });
  connection.onRequest(ImportDeviceTreeRequest, (p: ImportDeviceTreeParams | undefined): ImportDeviceTreeResult => {
    try {
      return importDeviceTree(p, session.settings.includeDirs);
    } catch (e) {
      failed('importDeviceTree', e);
      return { messages: [`the device tree could not be read: ${e instanceof Error ? e.message : String(e)}`], errors: 1 };
    }
  });
}

function boardSummary(b: Board): BoardSummary {
  return { id: b.id, name: b.name, ...(b.soc ? { soc: b.soc } : {}), arch: b.arch, devices: b.devices.length };
}

/** A device tree read into a board, with the board file's text for the client to save. */
export function importDeviceTree(p: ImportDeviceTreeParams | undefined, defaultIncludeDirs: string[]): ImportDeviceTreeResult {
  if (typeof p?.path !== 'string' || !p.path) return { messages: ['no device tree given'], errors: 1 };
  const dirs = Array.isArray(p.includeDirs) ? p.includeDirs.filter((d): d is string => typeof d === 'string' && !!d) : defaultIncludeDirs;
  const r = importDtsFile(p.path, { includeDirs: dirs });
  const messages = r.diags.map(formatDtsDiag);
  const errors = r.diags.filter((d) => d.severity === 'error').length;
  if (!r.board) return { messages: messages.length ? messages : [`${p.path}: nothing readable`], errors: Math.max(errors, 1) };
  return { board: boardSummary(r.board), text: `${stringifyBoard(boardToJson(r.board))}\n`, messages, errors };
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
  return checkSystem(sys, session.settings, boardChoiceOf(boardState(session))).filter((d) => board.includes(d.code));
}
