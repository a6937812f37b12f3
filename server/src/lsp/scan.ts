// Finds the C files under the workspace folders for "check workspace". Bounded in depth and
// count so a huge tree cannot stall the server; what the bounds leave out is said, not hidden.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SKIP = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test', 'build']);

export interface CFiles {
  files: string[];
  /** What the bounds left out, as a sentence for the user; undefined when nothing was. */
  notChecked?: string;
}

export function findCFiles(roots: string[], maxFiles = 5000, maxDepth = 8): CFiles {
  const files: string[] = [];
  let full = false;
  const tooDeep: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > maxDepth) {
      tooDeep.push(dir);
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (full) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) walk(p, depth + 1);
      } else if (e.isFile() && e.name.endsWith('.c')) {
        if (files.length >= maxFiles) full = true;
        else files.push(p);
      }
    }
  };
  for (const r of roots) if (!full) walk(r, 0);
  const notes: string[] = [];
  if (full) notes.push(`only the first ${maxFiles} C files were looked at`);
  if (tooDeep.length) notes.push(`folders more than ${maxDepth} levels deep were skipped (${tooDeep.length}, e.g. ${tooDeep[0]})`);
  return { files, notChecked: notes.length ? notes.join('; ') : undefined };
}
