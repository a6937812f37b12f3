// The one walk for C files under folders, for `jhcell check <folder>` and the editor's "check
// workspace" alike. Bounded in depth and, when asked, in count, so a huge tree cannot stall
// either; what the bounds leave out is returned for the caller to say, not hidden.
import * as path from 'node:path';
import { diskHost, type WorkspaceHost } from './host';

/** Generated and package folders never hold configs; hidden folders (.git, …) are skipped too. */
const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', 'dist', 'out']);

export interface WalkLimits {
  /** Folders deeper than this below a root are not entered (a root is depth 0). */
  maxDepth: number;
  /** At most this many files; the walk stops at the next one. */
  maxFiles?: number;
  /** Folder names skipped besides SKIP_DIRS and hidden folders. */
  skipAlso?: readonly string[];
}

export interface FoundCFiles {
  /** In name order within each folder, so a bound keeps the same files on every machine. */
  files: string[];
  /** Set when maxFiles stopped the walk. */
  stoppedAt?: number;
  /** Folders not entered because they lie deeper than maxDepth. */
  tooDeep: string[];
}

/** `.c` files under the folders `roots`, recursively. */
export function walkCFiles(roots: readonly string[], limits: WalkLimits, host: WorkspaceHost = diskHost): FoundCFiles {
  const skip = new Set([...SKIP_DIRS, ...(limits.skipAlso ?? [])]);
  const maxFiles = limits.maxFiles ?? Infinity;
  const files: string[] = [];
  const tooDeep: string[] = [];
  let full = false;
  const walk = (dir: string, depth: number) => {
    if (depth > limits.maxDepth) {
      tooDeep.push(dir);
      return;
    }
    const entries = host.readDir?.(dir);
    if (!entries) return;
    for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
      if (full) return;
      const p = path.join(dir, e.name);
      if (e.dir) {
        if (!skip.has(e.name) && !e.name.startsWith('.')) walk(p, depth + 1);
      } else if (e.name.endsWith('.c')) {
        if (files.length >= maxFiles) full = true;
        else files.push(p);
      }
    }
  };
  for (const r of roots) if (!full) walk(r, 0);
  return { files, tooDeep, ...(full ? { stoppedAt: maxFiles } : {}) };
}
