// Finding test inputs on disk.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every `.c` file under `dir`, depth first, names sorted: a stable order for sweeps. */
export function cSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...cSources(p));
    else if (name.endsWith('.c')) out.push(p);
  }
  return out;
}
