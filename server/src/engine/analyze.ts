// The engine entry point: text → preprocessed tokens → syntax tree → evaluated model, with all
// diagnostics. Never throws: an unexpected failure becomes a diagnostic on the file.
import { evaluateConfig } from '../model/evaluate';
import { looksLikeJailhouseConfig } from '../syntax/configKind';
import { parseConfigStream } from '../syntax/parser';
import { preprocessStream, readSourceFile } from '../syntax/preprocessor';
import type { Analysis, EngineOptions } from '../core/analysis';
import type { Diag } from '../core/diagnostics';

export type { Analysis, EngineOptions } from '../core/analysis';

/** configs/arm/ is built by a 32-bit ARM compiler (ILP32); everything else is LP64. */
function sizeTFor(file: string, options: EngineOptions): 32 | 64 {
  if (options.dataModel) return options.dataModel === 'ilp32' ? 32 : 64;
  return /[\\/]arm[\\/][^\\/]+$/.test(file) ? 32 : 64;
}

export { looksLikeJailhouseConfig };

export function analyze(file: string, text: string, options: EngineOptions = {}): Analysis {
  const diagnostics: Diag[] = [];
  try {
    // The parser pulls tokens from the preprocessor as it goes, and the evaluator pulls the
    // initializer from the parser element by element: neither a token array of the whole file
    // nor its syntax tree is kept, so both are collected young.
    const stream = preprocessStream(file, text, options);
    const parsed = parseConfigStream(stream);
    const evalDiags: Diag[] = [];
    const model = parsed.decl ? evaluateConfig(parsed.decl, evalDiags, file, sizeTFor(file, options)) : undefined;
    parsed.finish();
    const pp = stream.result();
    for (const d of pp.diagnostics) diagnostics.push(d);
    for (const d of parsed.diagnostics) diagnostics.push(d);
    for (const d of evalDiags) diagnostics.push(d);
    if (!parsed.decl && looksLikeJailhouseConfig(text)) {
      diagnostics.push({ code: 'syntax', severity: 'error', message: 'no config object found: expected `struct { … } __attribute__((packed)) config = { … };`', loc: { file, start: 0, end: 0 } });
    }
    return { file, model, diagnostics: capped(dedupe(diagnostics)), files: pp.files, macros: pp.macros, macroUses: pp.uses, includes: pp.includes };
  } catch (e) {
    diagnostics.push({
      code: 'syntax',
      severity: 'error',
      message: `internal error while reading this file: ${e instanceof Error ? e.message : String(e)}`,
      loc: { file, start: 0, end: 0 },
    });
    return { file, diagnostics, files: new Map([[file, { path: file, text }]]), macros: new Map(), macroUses: [], includes: [] };
  }
}

/** Reads and analyses a file from disk (bounded size, regular files only). */
export function analyzeFile(file: string, options: EngineOptions = {}): Analysis {
  const text = options.readFile?.(file) ?? readSourceFile(file);
  if (typeof text === 'string') return analyze(file, text, options);
  if (text.text !== undefined) return analyze(file, text.text, options);
  return {
    file,
    diagnostics: [{ code: 'include', severity: 'error', message: text.error ?? `cannot read ${file}`, loc: { file, start: 0, end: 0 } }],
    files: new Map([[file, { path: file, text: '' }]]),
    macros: new Map(),
    macroUses: [],
    includes: [],
  };
}

function dedupe(ds: Diag[]): Diag[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.loc.file}:${d.loc.start}:${d.loc.end}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Beyond this many diagnostics in one file the rest is noise (and slows every front end). */
const MAX_DIAGNOSTICS = 200;

function capped(ds: Diag[]): Diag[] {
  if (ds.length <= MAX_DIAGNOSTICS) return ds;
  const kept = ds.slice(0, MAX_DIAGNOSTICS);
  const last = ds[MAX_DIAGNOSTICS];
  kept.push({ code: last.code, severity: 'error', message: `${ds.length - MAX_DIAGNOSTICS} more problems in this file are not shown`, loc: last.loc });
  return kept;
}
