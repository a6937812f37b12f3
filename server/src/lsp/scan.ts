// Finds the Jailhouse configs under the workspace folders for "check workspace". Bounded in
// depth and count so a huge tree cannot stall the server.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SKIP = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test', 'build']);

export function findCFiles(roots: string[], maxFiles = 5000, maxDepth = 8): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (out.length >= maxFiles || depth > maxDepth) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= maxFiles) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) walk(p, depth + 1);
      } else if (e.isFile() && e.name.endsWith('.c')) out.push(p);
    }
  };
  for (const r of roots) walk(r, 0);
  return out;
}
