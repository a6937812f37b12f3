// What `jhcell diff` and the editor compare: a `.c` source, a `.cell` image (told apart by the
// signature, as `jhcell dump` does), or a file as a git revision holds it (`REV:path`, read with
// `git show`, its `#include "…"` files from the same revision).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { imageKind, NOT_A_CONFIG } from '../binary/decode';
import { elfProblem, MAX_IMAGE_BYTES, readHead } from '../binary/imageFile';
import type { Analysis, EngineOptions } from '../core/analysis';
import { analyze } from '../engine/analyze';
import { displayPath } from '../util/paths';
import { MAX_SOURCE_BYTES } from '../util/source';
import { sideFromAnalysis, sideFromImage } from './side';
import type { DiffSide } from './types';


export interface Loaded {
  side: DiffSide;
  /** The source's analysis (its diagnostics are the caller's to print). */
  analysis?: Analysis;
  /** What the reader could not do as asked, one sentence each. */
  notes: string[];
}

export type LoadResult = Loaded | { error: string };

export interface LoadOptions extends Pick<EngineOptions, 'defines' | 'includeDirs' | 'readFile'> {
  /** Where relative paths and revisions are resolved; default: the process's. */
  cwd?: string;
}

/** A side from a command-line argument: an existing file, else `REV:path`. */
export function loadSide(spec: string, opts: LoadOptions = {}): LoadResult {
  const cwd = opts.cwd ?? process.cwd();
  const file = path.resolve(cwd, spec);
  const colon = spec.indexOf(':');
  if (!existsSync(file) && colon > 0) return loadRevision(spec.slice(0, colon), spec.slice(colon + 1), { ...opts, cwd }, spec);
  const read = readBytes(file, MAX_SOURCE_BYTES);
  if (typeof read === 'string') return { error: read };
  const loaded = fromBytes(spec, file, read, opts);
  if ('side' in loaded) loaded.side.fileName = (p) => displayPath(p, cwd);
  return loaded;
}

/** A side from bytes: an image when they carry its signature, else C source. */
export function fromBytes(label: string, file: string, bytes: Uint8Array, opts: LoadOptions, notes: string[] = []): LoadResult {
  const elf = elfProblem(bytes);
  if (elf) return { error: elf };
  if (imageKind(bytes)) {
    if (bytes.length > MAX_IMAGE_BYTES) return { error: `image of ${bytes.length} bytes is too large to be a Jailhouse config` };
    const r = sideFromImage(label, bytes);
    if ('error' in r) return r;
    return { side: r.side, notes: [...notes, ...r.problems.map((p) => `${label}: ${p}`)] };
  }
  if (!looksLikeText(bytes)) return { error: `${NOT_A_CONFIG}: a binary file without the JHSYS or JHCLL signature of an image` };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return fromText(label, file, text, opts, notes);
}

/** A side from C text, `file` being where it lives (its includes are found beside it). */
export function fromText(label: string, file: string, text: string, opts: LoadOptions, notes: string[] = []): LoadResult {
  const analysis = analyze(file, text, { defines: opts.defines, includeDirs: opts.includeDirs, readFile: opts.readFile });
  const r = sideFromAnalysis(label, analysis);
  if ('error' in r) return { error: r.error };
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  const more = r.problems.map((p) => `${label}: ${p}`);
  if (errors) more.push(`${label} has ${errors} error${errors === 1 ? '' : 's'}: its values may not be what the compiler builds`);
  return { side: r.side, analysis, notes: [...notes, ...more] };
}

/**
 * `REV:path` through git, in the repository holding the path (or the working directory): a
 * path starting with `./` or `../` is relative to the working directory, any other first as
 * git reads it (from the top of the repository), then relative to the working directory.
 */
export function loadRevision(rev: string, file: string, opts: LoadOptions & { cwd: string }, label = `${rev}:${file}`): LoadResult {
  if (!rev || !file) return { error: `${label}: expected REV:path (e.g. HEAD:configs/arm64/board.c)` };
  const onDisk = path.resolve(opts.cwd, file);
  const probe = existsSync(path.dirname(onDisk)) ? path.dirname(onDisk) : opts.cwd;
  const top = git(probe, ['rev-parse', '--show-toplevel']);
  if (top.error !== undefined) return { error: `${label}: not in a git repository (${top.error})` };
  const root = top.out.toString('utf8').trim();
  const cwdRel = path.relative(root, onDisk).split(path.sep).join('/');
  const candidates = /^\.\.?\//.test(file) || path.isAbsolute(file) ? [cwdRel] : [...new Set([file, cwdRel])];
  let rel: string | undefined;
  let shown: Buffer | undefined;
  let why = '';
  for (const c of candidates) {
    if (c.startsWith('../')) continue;
    const r = git(root, ['show', `${rev}:${c}`]);
    if (r.error === undefined) {
      rel = c;
      shown = r.out;
      break;
    }
    why ||= r.error;
  }
  if (rel === undefined || !shown) return { error: `${label}: cannot read from git: ${why || 'the path is outside the repository'}` };
  if (shown.length > MAX_SOURCE_BYTES) return { error: `${label}: too large (${shown.length} bytes)` };
  const gitRel = rel;
  const absolute = path.join(root, ...gitRel.split('/'));
  const served = new Map<string, string | undefined>([[absolute, shown.toString('utf8')]]);
  const readFile = (p: string): string | undefined => {
    if (served.has(p)) return served.get(p);
    const r = path.relative(root, p);
    let text: string | undefined;
    if (!r.startsWith('..') && !path.isAbsolute(r)) {
      const g = git(root, ['show', `${rev}:${r.split(path.sep).join('/')}`]);
      text = g.error === undefined ? g.out.toString('utf8') : undefined;
    }
    served.set(p, text);
    return text;
  };
  const loaded = fromBytes(label, absolute, new Uint8Array(shown), { ...opts, readFile });
  if ('error' in loaded) return { error: `${label}: ${loaded.error}` };
  loaded.side.fileName = (p) => {
    const r = path.relative(root, p);
    return !r.startsWith('..') && !path.isAbsolute(r) ? `${rev}:${r.split(path.sep).join('/')}` : p;
  };
  // Files the engine had to take from the disk: not in the revision, or outside the repository.
  for (const f of loaded.analysis?.files.keys() ?? []) {
    if (f.startsWith('<') || served.get(f) !== undefined) continue;
    const r = path.relative(root, f);
    const where = r.startsWith('..') || path.isAbsolute(r) ? 'is outside the repository' : `is not in ${rev}`;
    loaded.notes.push(`${label}: ${f} ${where}; it was read from the disk`);
  }
  return loaded;
}

function git(cwd: string, args: string[]): { out: Buffer; error?: undefined } | { out?: undefined; error: string } {
  const r = spawnSync('git', ['-C', cwd, ...args], { maxBuffer: MAX_SOURCE_BYTES + 1024, timeout: 20000 });
  if (r.error) return { error: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : r.error.message };
  if (r.status !== 0) return { error: r.stderr.toString('utf8').trim().replace(/^fatal: /, '') || `git ${args[0]} failed` };
  return { out: r.stdout };
}

/** NUL bytes in the first KiB: a binary file, not C text. */
function looksLikeText(bytes: Uint8Array): boolean {
  return !bytes.subarray(0, 1024).includes(0);
}

/** A regular file's bytes (at most `max`), or why not. */
export function readBytes(file: string, max: number): Uint8Array | string {
  const r = readHead(file, max);
  if (typeof r === 'string') return `${file}: ${r}`;
  return r.size > max ? `${file}: too large (${r.size} bytes)` : r.bytes;
}
