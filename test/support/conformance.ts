// Comparing what the engine makes of a source with what the compiler made of it: the dump JSON
// of both (the contract) and the raw image bytes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../server/src/binary/decode';
import { encodeConfig } from '../../server/src/binary/encode';
import { sourceJson } from '../../server/src/binary/sourceJson';
import type { Analysis, EngineOptions } from '../../server/src/core/analysis';

export type AnalyzeFile = (path: string, options?: EngineOptions) => Analysis;

/** The engine's analyzeFile, or undefined while the engine is not there yet. */
export async function loadEngine(): Promise<AnalyzeFile | undefined> {
  const path = join(__dirname, '../../server/src/engine/analyze.ts');
  if (!existsSync(path)) return undefined;
  const mod = (await import(path)) as { analyzeFile?: AnalyzeFile };
  return mod.analyzeFile;
}

export interface Row {
  file: string;
  status: 'ok' | 'FAIL' | 'gcc-error' | 'skipped';
  detail: string;
}

/** Paths (a.b[3].c) where two JSON values differ, at most `limit`. */
export function jsonDiff(a: unknown, b: unknown, path = '', out: string[] = [], limit = 4): string[] {
  if (out.length >= limit) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) {
      out.push(`${path}: ${Array.isArray(a) ? 'array' : 'object'} vs ${Array.isArray(b) ? 'array' : 'object'}`);
      return out;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
      out.push(`${path}: ${a.length} vs ${b.length} elements`);
    }
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k, out, limit);
    }
    return out;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

/** Compares the engine's view of `file` (already analysed) with the compiler's image `bytes`. */
export function compare(file: string, analysis: Analysis, bytes: Uint8Array): Row {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (!analysis.model) {
    return { file, status: 'FAIL', detail: `engine found no config object${errors.length ? `: ${errors[0].message}` : ''}` };
  }
  const problems: string[] = [];
  if (errors.length) problems.push(`${errors.length} error diagnostic(s), first: ${errors[0].message} [${errors[0].code}]`);
  const ours = sourceJson(analysis.model, analysis.files);
  const theirs = decodeImage(bytes, file);
  if (!ours.json) problems.push(`source dump failed: ${ours.errors.join('; ')}`);
  if (!theirs.json) problems.push(`image dump failed: ${theirs.errors.join('; ')}`);
  if (ours.json && theirs.json) {
    const { source: _s, file: _f, ...a } = ours.json;
    const { file: _g, ...b } = theirs.json;
    const diff = jsonDiff(a, b);
    if (diff.length) problems.push(`JSON differs (source vs gcc): ${diff.join('; ')}`);
  }
  const encoded = encodeConfig(analysis.model);
  if (encoded.length !== bytes.length) {
    problems.push(`image size ${encoded.length} vs gcc ${bytes.length}`);
  } else {
    const at = encoded.findIndex((x, i) => x !== bytes[i]);
    if (at >= 0) problems.push(`bytes differ from offset ${at} (0x${at.toString(16)})`);
  }
  return { file, status: problems.length ? 'FAIL' : 'ok', detail: problems.join(' | ') };
}

export function table(rows: Row[]): string {
  const w = Math.max(...rows.map((r) => r.file.length), 4);
  const lines = rows.map((r) => `${r.file.padEnd(w)}  ${r.status.padEnd(9)}  ${r.detail}`);
  return [`${'file'.padEnd(w)}  ${'result'.padEnd(9)}  detail`, ...lines].join('\n');
}
