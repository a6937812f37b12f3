// Source files and locations. A location is a pair of UTF-16 offsets into one file's text,
// converted to LSP line/character positions only when a front end needs them.

/**
 * Largest file read as source, 16 MiB, by the engine's includes, the workspace and the server
 * alike: real configs are a few hundred KiB, and a bound keeps a stray image or log from
 * stalling whoever reads it.
 */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

export interface SourceFile {
  /** Absolute path, or `<builtin>/jailhouse/…` for the built-in headers. */
  path: string;
  text: string;
  lineStarts?: number[];
}

export interface Loc {
  file: string;
  start: number;
  end: number;
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export function lineStarts(file: SourceFile): number[] {
  if (file.lineStarts) return file.lineStarts;
  const starts = [0];
  const t = file.text;
  for (let i = 0; i < t.length; i++) {
    const ch = t.charCodeAt(i);
    if (ch === 10) starts.push(i + 1);
    else if (ch === 13 && t.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  file.lineStarts = starts;
  return starts;
}

export function positionAt(file: SourceFile, offset: number): Position {
  const starts = lineStarts(file);
  offset = Math.max(0, Math.min(offset, file.text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

export function offsetAt(file: SourceFile, pos: Position): number {
  const starts = lineStarts(file);
  if (pos.line < 0) return 0;
  if (pos.line >= starts.length) return file.text.length;
  const lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1] : file.text.length;
  return Math.max(starts[pos.line], Math.min(starts[pos.line] + Math.max(0, pos.character), lineEnd));
}

export function rangeOf(file: SourceFile, loc: { start: number; end: number }): Range {
  return { start: positionAt(file, loc.start), end: positionAt(file, loc.end) };
}
