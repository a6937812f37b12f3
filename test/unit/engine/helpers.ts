// Shared by the engine tests: fixture paths, running the engine, and comparing a model JSON
// against a hand-written expectation that lists only the values it asserts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, analyzeFile } from '../../../server/src/engine/analyze';
import type { Analysis, EngineOptions } from '../../../server/src/core/analysis';
import type { Diag } from '../../../server/src/core/diagnostics';
export { partialDiff } from './partialMatch';

export const FIXTURES = join(__dirname, '../../fixtures/engine');

export const fixturePath = (name: string): string => join(FIXTURES, name);
export const fixtureText = (name: string): string => readFileSync(fixturePath(name), 'utf8');

export { analyze, analyzeFile };

/** Analyses an in-memory source; includes of other in-memory files go through `files`. */
export function analyzeText(text: string, options: EngineOptions & { files?: Record<string, string> } = {}): Analysis {
  const { files, ...rest } = options;
  const path = '/virtual/test.c';
  const readFile = files ? (p: string) => files[p] : rest.readFile;
  return analyze(path, text, { ...rest, ...(readFile ? { readFile } : {}) });
}

export const codes = (a: Analysis): string[] => a.diagnostics.map((d) => d.code);
export const errors = (a: Analysis): Diag[] => a.diagnostics.filter((d) => d.severity === 'error');

/** The source text a diagnostic or value location covers. */
export function textAt(a: Analysis, loc: { file: string; start: number; end: number } | undefined): string | undefined {
  if (!loc) return undefined;
  const f = a.files.get(loc.file);
  return f?.text.slice(loc.start, loc.end);
}

export function describeDiags(a: Analysis): string {
  return a.diagnostics.map((d) => `${d.severity} ${d.code} [${d.loc.start},${d.loc.end}] ${d.message} «${textAt(a, d.loc) ?? ''}»`).join('\n');
}
