// Compiling a config source into its `.cell` image with the host gcc + objcopy, as the
// upstream build does (docs/format.md §1.3), with a cache keyed by everything that can
// change the result, so reruns do not invoke the compiler again.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** configs/Makefile's compiler flags (KBUILD_CFLAGS of the configs) and OBJCOPYFLAGS (docs/format.md §1.3). */
export const UPSTREAM_CFLAGS = ['-Werror', '-Wall', '-Wextra', '-D__LINUX_COMPILER_TYPES_H'];
export const UPSTREAM_OBJCOPYFLAGS = ['-O', 'binary', '--remove-section=.note.gnu.property'];

/**
 * How upstream's build compiles configs/<arch>/*.c in the Jailhouse tree `src`: its include dirs,
 * the flags (the optional include/jailhouse/config.h is force-included), and the header contents
 * that decide the bytes (for a cache key: paths are not part of it).
 */
export function upstreamBuild(src: string, arch: string): { includeDirs: string[]; flags: string[]; keyExtra: string } {
  const includeDirs = [`hypervisor/arch/${arch}/include`, 'hypervisor/include', 'include'].map((d) => join(src, d));
  const configH = join(src, 'include/jailhouse/config.h');
  const flags = existsSync(configH) ? [...UPSTREAM_CFLAGS, '-include', configH] : UPSTREAM_CFLAGS;
  const headers = [
    `hypervisor/arch/${arch}/include/asm/types.h`,
    'hypervisor/include/jailhouse/types.h',
    'include/jailhouse/cell-config.h',
    'include/jailhouse/console.h',
    'include/jailhouse/pci_defs.h',
    'include/jailhouse/config.h',
  ];
  const keyExtra = headers.map((f) => (existsSync(join(src, f)) ? readFileSync(join(src, f), 'utf8') : '')).join('\0');
  return { includeDirs, flags, keyExtra };
}

export interface CompileOptions {
  includeDirs: string[];
  /** Flags before the include dirs, e.g. `-Werror -Wall -Wextra -D__LINUX_COMPILER_TYPES_H`. */
  flags: string[];
  /** Cached images live here; created when missing. */
  cacheDir: string;
  /**
   * Extra text folded into the cache key: the contents of the headers found through
   * `includeDirs` (their paths are not part of the key, so temporary folders still hit).
   */
  keyExtra?: string;
}

export interface CompileResult {
  bytes?: Uint8Array;
  /** Compiler or objcopy output when the build failed. */
  error?: string;
  cached: boolean;
}

let toolVersion: string | undefined;

export function haveGcc(): boolean {
  return spawnSync('gcc', ['--version']).status === 0 && spawnSync('objcopy', ['--version']).status === 0;
}

function gccVersion(): string {
  toolVersion ??= execFileSync('gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  return toolVersion;
}

/** The source plus every `#include "…"` it pulls in from beside it, recursively. */
function localSources(file: string, seen = new Set<string>()): string {
  if (seen.has(file) || !existsSync(file)) return '';
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  // Content only, not paths: the same source compiled from another folder hits the cache.
  let all = `${text}\0`;
  for (const m of text.matchAll(/^\s*#\s*include\s*"([^"]+)"/gm)) all += `${m[1]}\0${localSources(resolve(dirname(file), m[1]), seen)}`;
  return all;
}

export function compileConfig(file: string, opts: CompileOptions): CompileResult {
  const key = createHash('sha256')
    .update([gccVersion(), opts.flags.join(' '), opts.keyExtra ?? '', localSources(file)].join('\n'))
    .digest('hex');
  mkdirSync(opts.cacheDir, { recursive: true });
  const cell = join(opts.cacheDir, `${key}.cell`);
  const err = join(opts.cacheDir, `${key}.err`);
  if (existsSync(cell)) return { bytes: new Uint8Array(readFileSync(cell)), cached: true };
  if (existsSync(err)) return { error: readFileSync(err, 'utf8'), cached: true };

  const work = mkdtempSync(join(tmpdir(), 'jhcell-gcc-'));
  try {
    const obj = join(work, 'config.o');
    const out = join(work, 'config.cell');
    const includes = opts.includeDirs.flatMap((d) => ['-I', d]);
    const cc = spawnSync('gcc', [...opts.flags, ...includes, '-c', file, '-o', obj], { encoding: 'utf8' });
    if (cc.status !== 0) {
      const msg = (cc.stderr || cc.error?.message || 'gcc failed').trim();
      writeFileSync(err, msg);
      return { error: msg, cached: false };
    }
    const oc = spawnSync('objcopy', [...UPSTREAM_OBJCOPYFLAGS, obj, out], { encoding: 'utf8' });
    if (oc.status !== 0) {
      const msg = (oc.stderr || 'objcopy failed').trim();
      writeFileSync(err, msg);
      return { error: msg, cached: false };
    }
    const bytes = readFileSync(out);
    // Publish atomically so a concurrent run never reads half a file.
    writeFileSync(`${cell}.${process.pid}.tmp`, bytes);
    renameSync(`${cell}.${process.pid}.tmp`, cell);
    return { bytes: new Uint8Array(bytes), cached: false };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
