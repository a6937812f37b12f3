// The preprocessed token stream rendered back to text with a source map: what the device-tree
// importer reads (dtc runs cpp in assembler mode and lexes the text it prints).
import type { SourceFile } from '../util/source';
import { TK, type Token } from './lexer';
import { preprocess, type PreprocessOptions, type PreprocessResult } from './preprocessor';

/** A piece of preprocessed text and where it came from. */
export interface TextSegment {
  /** Offset in the output where this piece starts. */
  out: number;
  file: string;
  src: number;
  /** false: macro expansion text; every offset in it maps to the (outermost) invocation. */
  exact: boolean;
}

export interface PreprocessTextResult extends Omit<PreprocessResult, 'tokens'> {
  text: string;
  /** In output order; a binary search finds the piece of any output offset. */
  segments: TextSegment[];
}

/**
 * Preprocesses to text, as `cpp` prints it, for languages that lex on their own after cpp (device
 * trees): tokens adjacent in the source stay adjacent, each line of the main file's own text
 * keeps its columns, and every source line break is kept (a macro call spread over lines is
 * printed on one line and its line breaks follow it), so the line count is the main file's.
 */
export function preprocessToText(file: string, text: string, options: PreprocessOptions = {}): PreprocessTextResult {
  const { tokens, ...rest } = preprocess(file, text, options);
  return { ...rest, ...renderTokens(tokens, rest.files, file) };
}

function renderTokens(tokens: Token[], files: Map<string, SourceFile>, mainFile: string): { text: string; segments: TextSegment[] } {
  const parts: string[] = [];
  // Offsets before the first token (line breaks) belong to the main file's start.
  const segments: TextSegment[] = [{ out: 0, file: mainFile, src: 0, exact: true }];
  let len = 0;
  /** Per file: the source offset up to which its line breaks have been printed. */
  const linesDone = new Map<string, number>();
  const newlines = (src: string, from: number, to: number) => {
    let n = 0;
    for (let i = src.indexOf('\n', from); i >= 0 && i < to; i = src.indexOf('\n', i + 1)) n++;
    return n;
  };
  // The previous token when it was printed from its own place in a file (columns can continue).
  let prevFile: string | undefined;
  let prevEnd = 0;
  const segment = (out: number, file: string, src: number, exact: boolean) => {
    const last = segments[segments.length - 1];
    if (last && last.file === file && last.exact === exact && (exact ? last.src + (out - last.out) === src : last.src === src)) return;
    segments.push({ out, file, src, exact });
  };
  for (const t of tokens) {
    if (t.kind === TK.EOF) break;
    const own = t.loc === undefined;
    // Where the token stands in a file: its own place, or the macro call that produced it.
    const file = own ? t.file : t.loc!.file;
    const at = own ? t.start : t.loc!.start;
    const done = linesDone.get(file);
    let sep = '';
    if (t.bol && (done === undefined || at > done)) {
      // First on a source line: the line breaks since the last line printed from this file,
      // then the line's indentation.
      const src = files.get(file)?.text ?? '';
      const nl = newlines(src, done ?? 0, at);
      linesDone.set(file, at);
      const lineStart = src.lastIndexOf('\n', at - 1) + 1;
      sep = '\n'.repeat(nl === 0 && len > 0 ? 1 : nl);
      segment(len + sep.length, file, lineStart, true);
      sep += ' '.repeat(at - lineStart);
      if (!own) segment(len + sep.length, file, at, false);
    } else if (own && t.file === prevFile && (t.start === prevEnd || (t.space && t.start > prevEnd && !(files.get(t.file)?.text ?? '\n').slice(prevEnd, t.start).includes('\n')))) {
      sep = ' '.repeat(t.start - prevEnd);
    } else {
      if (t.space || t.bol) sep = ' ';
      segment(len + sep.length, file, at, own);
    }
    parts.push(sep, t.text);
    len += sep.length + t.text.length;
    prevFile = own ? t.file : undefined;
    prevEnd = t.end;
  }
  const main = files.get(mainFile)?.text ?? '';
  const tail = newlines(main, linesDone.get(mainFile) ?? 0, main.length);
  if (tail) {
    segment(len, mainFile, main.length, true);
    parts.push('\n'.repeat(tail));
  }
  return { text: parts.join(''), segments };
}
