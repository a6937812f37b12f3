// Device-tree sources through the engine's C preprocessor, the way dtc has them preprocessed
// (`cpp -x assembler-with-cpp` plus dtc's `/include/`): `#address-cells` lines are text,
// dt-bindings headers come from -I directories or the built-in stand-ins. The result is text
// with a source map, because the DTS lexer is context sensitive (`cpu@0` vs `(32-1)`), and the
// engine's diagnostics become file:line ones in the importer's words.
import { basename, dirname, resolve } from 'node:path';
import type { Diag } from '../../core/diagnostics';
import type { IncludeRef } from '../../core/analysis';
import { preprocessToText, type TextSegment } from '../../syntax/ppText';
import { readSourceFile } from '../../syntax/includes';
import { BUILTIN_BINDINGS } from './bindings';
import { lineColOf, type DtsDiag } from './diag';

export interface PpOptions {
  includeDirs?: string[];
  /** Reads a file; default: the disk (bounded size). */
  readFile?: (path: string) => string | undefined;
  defines?: Record<string, string>;
}

export type Segment = TextSegment;

export interface PpResult {
  text: string;
  segments: Segment[];
  files: Map<string, string>;
  diags: DtsDiag[];
}

const UNCLOSED_QUOTE = new Set(['unterminated string', 'unterminated character constant']);

export function defaultReadFile(path: string): string | undefined {
  return readSourceFile(path).text;
}

export function preprocess(mainPath: string, mainText: string, opts: PpOptions = {}): PpResult {
  const r = preprocessToText(mainPath, mainText, {
    includeDirs: opts.includeDirs,
    readFile: opts.readFile ?? defaultReadFile,
    defines: opts.defines,
    builtinHeaders: false,
    extraHeaders: (spec) => BUILTIN_BINDINGS[spec],
    assembler: true,
    dtcInclude: true,
  });
  const files = new Map<string, string>();
  for (const [p, f] of r.files) files.set(p, f.text);
  const diags: DtsDiag[] = [];
  const seen = new Set<string>();
  for (const d of r.diagnostics) {
    // cpp in assembler mode passes an unmatched quote through; whether a DTS string is closed
    // is the DTS parser's to say (its strings may span lines, the C lexer's may not).
    if (d.code === 'syntax' && UNCLOSED_QUOTE.has(d.message)) continue;
    const dd = dtsDiag(d, r.includes, files, mainPath);
    const key = `${dd.file}:${dd.line}:${dd.column}:${dd.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diags.push(dd);
  }
  return { text: r.text, segments: r.segments, files, diags };
}

/**
 * An engine diagnostic as the importer reports it. Include problems point at their line (the
 * directive); a missing dt-bindings header is only a warning, since the importer reads none of
 * the clock or pin ids such headers define.
 */
function dtsDiag(d: Diag, includes: IncludeRef[], files: Map<string, string>, mainPath: string): DtsDiag {
  const text = files.get(d.loc.file) ?? '';
  const severity = d.severity === 'error' ? 'error' : 'warning';
  if (d.code !== 'include') return { severity, file: d.loc.file, ...lineColOf(text, d.loc.start), message: d.message };
  const lineStart = text.lastIndexOf('\n', d.loc.start - 1) + 1;
  const at = { file: d.loc.file, ...lineColOf(text, lineStart) };
  const idx = includes.findIndex((i) => i.loc.file === d.loc.file && i.loc.start === d.loc.start && i.target === undefined);
  const ref = includes[idx];
  if (ref && d.message.startsWith('cannot find include file')) {
    if (ref.spec.startsWith('dt-bindings/')) return { severity: 'warning', ...at, message: `${ref.spec} not found (add its directory with -I); its macros stay unexpanded` };
    return { severity, ...at, message: `cannot find include file "${ref.spec}"` };
  }
  if (ref && d.message.startsWith('cyclic #include')) return { severity, ...at, message: `include loop: ${loopOf(includes, idx, mainPath).join(' → ')}` };
  return { severity, ...at, message: d.message };
}

/** The files of an include loop, by name, from the file included again back to itself. */
function loopOf(includes: IncludeRef[], failed: number, mainPath: string): string[] {
  // The open files when the include failed: follow "who included this file" back to the main file.
  const open: string[] = [includes[failed].loc.file];
  for (let i = failed - 1; i >= 0 && open[0] !== mainPath; i--) if (includes[i].target === open[0]) open.unshift(includes[i].loc.file);
  const spec = includes[failed].spec;
  const again = resolve(dirname(open[open.length - 1]), spec);
  let from = open.indexOf(again);
  if (from < 0) from = open.findIndex((p) => p.endsWith('/' + spec));
  if (from < 0) from = 0;
  return [...open.slice(from), open[from]].map((p) => basename(p));
}

/** Maps an output offset back to its file and source offset. */
export function locate(pp: PpResult, offset: number): { file: string; offset: number } {
  const segs = pp.segments;
  if (segs.length === 0) return { file: '', offset: 0 };
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].out <= offset) lo = mid;
    else hi = mid - 1;
  }
  const s = segs[lo];
  return { file: s.file, offset: s.exact ? s.src + (offset - s.out) : s.src };
}
