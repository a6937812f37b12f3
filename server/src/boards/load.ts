// Turns what a user names as the board — a bundled id, a board JSON file or a device tree —
// into a board description. Shared by the CLI and the language server (the VS Code client
// only names the board; the server reads it).
import { isAbsolute, resolve } from 'node:path';
import { isDtsPath } from './dtsPath';
import { formatDtsDiag, type DtsDiag } from './dts/diag';
import { importDtsFile } from './dts/import';
import { defaultReadFile } from './dts/preprocess';
import { BoardError, boardFromJson, parseBoardJson } from './json';
import { bundledBoard, bundledBoardIds } from './registry';
import type { Board } from './types';

export { isDtsPath };

export interface LoadOptions {
  /** Directory relative paths are taken from. */
  baseDir?: string;
  /** Include directories for device-tree imports. */
  includeDirs?: string[];
  readFile?: (path: string) => string | undefined;
}

export interface LoadResult {
  board?: Board;
  /** Problems, as `file:line:col: severity: message` lines (device trees) or plain sentences. */
  problems: string[];
  /** Device-tree diagnostics, when the board came from a DTS. */
  dtsDiags?: DtsDiag[];
}


export function loadBoard(spec: string, opts: LoadOptions = {}): LoadResult {
  const s = spec.trim();
  if (!s) return { problems: ['no board given'] };
  const bundled = bundledBoard(s);
  if (bundled) return { board: bundled, problems: [] };
  const looksLikePath = s.includes('/') || s.includes('\\') || /\.(json|dtsi?)$/i.test(s);
  if (!looksLikePath) return { problems: [`unknown board '${s}' (bundled: ${bundledBoardIds().join(', ')})`] };
  const path = isAbsolute(s) ? s : resolve(opts.baseDir ?? process.cwd(), s);
  if (isDtsPath(path)) {
    const r = importDtsFile(path, { includeDirs: opts.includeDirs, readFile: opts.readFile });
    const problems = r.diags.filter((d) => d.severity === 'error').map(formatDtsDiag);
    return { board: r.board, problems, dtsDiags: r.diags };
  }
  const text = (opts.readFile ?? defaultReadFile)(path);
  if (text === undefined) return { problems: [`cannot read ${path}`] };
  try {
    return { board: parseBoardJson(text, path), problems: [] };
  } catch (e) {
    if (e instanceof BoardError) return { problems: [e.message] };
    throw e;
  }
}

/** A board given inline (initialization options, notification): a description object, or a spec string. */
export function boardFromValue(v: unknown, opts: LoadOptions = {}): LoadResult {
  if (v === undefined || v === null || v === '') return { problems: [] };
  if (typeof v === 'string') return loadBoard(v, opts);
  try {
    return { board: boardFromJson(v, 'board'), problems: [] };
  } catch (e) {
    if (e instanceof BoardError) return { problems: [e.message] };
    throw e;
  }
}
