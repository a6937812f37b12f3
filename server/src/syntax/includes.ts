// File I/O of the preprocessor: which file an `#include` names, where it is found (the
// including file's folder, -I folders, the built-in headers), and reading it from disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFile } from '../util/source';
import { BUILTIN_PREFIX, builtinHeader } from './builtinHeaders';
import { TK, type Token } from './lexer';
import { LIMITS, type PreprocessOptions } from './ppOptions';

/** Reads a file for the engine: regular files only, bounded size; undefined when unreadable. */
export function readSourceFile(p: string): { text?: string; error?: string } {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return { error: `'${p}' is not a regular file` };
    if (st.size > LIMITS.maxFileBytes) return { error: `'${p}' is too large (${st.size} bytes; the limit is ${LIMITS.maxFileBytes})` };
    const fd = fs.openSync(p, 'r');
    try {
      const buf = Buffer.alloc(Math.min(st.size, LIMITS.maxFileBytes) + 1);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      if (n > LIMITS.maxFileBytes) return { error: `'${p}' is too large` };
      return { text: buf.subarray(0, n).toString('utf8') };
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    return { error: `cannot read '${p}': ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

/** The file an include line (already macro-expanded) names: `"FILE"` or `<FILE>` as written. */
export function includeSpec(toks: Token[], files: ReadonlyMap<string, SourceFile>): { spec: string; angled: boolean } | undefined {
  const first = toks[0];
  if (first?.kind === TK.String) return { spec: first.text.slice(1, -1), angled: false };
  if (first?.text === '<') {
    const close = toks.findIndex((t) => t.text === '>');
    if (close > 0) {
      const fileText = files.get(first.file)?.text;
      const spec = fileText && toks[close].file === first.file ? fileText.slice(first.end, toks[close].start) : toks.slice(1, close).map((t) => t.text).join('');
      return { spec, angled: true };
    }
  }
  return undefined;
}

/** Finds an included file; undefined when it is nowhere, `error` when it is there but unreadable. */
export function resolveInclude(opts: PreprocessOptions, spec: string, angled: boolean, from: string): { path: string; text?: string; error?: string } | undefined {
  const builtin = opts.builtinHeaders !== false;
  if (angled && builtin) {
    const text = builtinHeader(spec) ?? opts.extraHeaders?.(spec);
    if (text !== undefined) return { path: BUILTIN_PREFIX + spec, text };
  }
  const dirs: string[] = [];
  if (!angled && !from.startsWith('<')) dirs.push(path.dirname(from));
  dirs.push(...(opts.includeDirs ?? []));
  for (const dir of dirs) {
    const p = path.resolve(dir, spec);
    const viaReader = opts.readFile?.(p);
    if (viaReader !== undefined) return { path: p, text: viaReader };
    if (fs.existsSync(p)) {
      const r = readSourceFile(p);
      return { path: p, text: r.text, error: r.error };
    }
  }
  if (!angled) {
    const text = (builtin ? builtinHeader(spec) : undefined) ?? opts.extraHeaders?.(spec);
    if (text !== undefined) return { path: BUILTIN_PREFIX + spec, text };
  }
  if (angled && !builtin) {
    const text = opts.extraHeaders?.(spec);
    if (text !== undefined) return { path: BUILTIN_PREFIX + spec, text };
  }
  return undefined;
}
