// Which files form a system: a system config plus the cell configs that run on it.
//   1. A declaration (jailhouse-cells.json) decides for the files it names.
//   2. Cells in a folder with exactly one system config belong to it.
//   3. Otherwise a cell belongs to the system whose file name is the longest prefix of its own
//      (`board.c` ↔ `board-linux-demo.c`), preferring the cell's own folder; failing that, to the
//      only system of its folder sharing at least two leading name segments.
//   4. Cells matching nothing form a system of their own, without root (their content may
//      still decide: see infer.ts).
// Every cell's group records which of these decided (`grouping`), so no front end checks a
// cell without its root silently.
import * as path from 'node:path';
import type { System } from './system';
import { ownConfigKind, type ConfigKind } from '../syntax/configKind';
import type { Declaration } from './declaration';

export type { ConfigKind } from '../syntax/configKind';


/**
 * The kind a text declares itself, by the one detector (syntax/configKind); a wrapper config
 * needs its file and includes: discoverSystems follows them.
 */
export function classify(text: string): ConfigKind | undefined {
  return ownConfigKind(text)?.kind;
}

const stem = (f: string) => path.basename(f).replace(/\.c$/, '');

function prefixOwner(cell: string, systems: string[]): string | undefined {
  const s = stem(cell);
  let best: string | undefined;
  let bestLen = -1;
  let bestSameDir = false;
  for (const sys of systems) {
    const p = stem(sys);
    if (!(s.length > p.length && s.startsWith(p) && /[-_.]/.test(s[p.length]))) continue;
    const sameDir = path.dirname(sys) === path.dirname(cell);
    if (p.length > bestLen || (p.length === bestLen && sameDir && !bestSameDir)) {
      best = sys;
      bestLen = p.length;
      bestSameDir = sameDir;
    }
  }
  return best ?? sharedSegmentsOwner(cell, systems);
}

/**
 * Fallback: the one system in the cell's folder sharing the most leading name segments, at
 * least two (`k3-am654-idk.c` ↔ `k3-am654-inmate-demo.c`); ties mean no owner.
 */
function sharedSegmentsOwner(cell: string, systems: string[]): string | undefined {
  const segs = stem(cell).split(/[-_]/);
  let best: string | undefined;
  let bestN = 1;
  let tie = false;
  for (const sys of systems) {
    if (path.dirname(sys) !== path.dirname(cell)) continue;
    const ss = stem(sys).split(/[-_]/);
    let n = 0;
    while (n < ss.length && n < segs.length && ss[n] === segs[n]) n++;
    if (n > bestN) {
      best = sys;
      bestN = n;
      tie = false;
    } else if (n === bestN && best) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * Groups config files into systems. `kindOf` classifies a file (the one detector,
 * syntax/configKind, as discoverSystems does); files it cannot classify are left out.
 */
export function groupSystems(files: string[], kindOf: (file: string) => ConfigKind | undefined, declaration?: Declaration): System<string>[] {
  const all = [...new Set(files.map((f) => path.resolve(f)))].sort();
  const groups: System<string>[] = [];
  const claimed = new Set<string>();
  const autoRoots: string[] = [];
  const byRoot = new Map<string, System<string>>();
  for (const d of declaration?.systems ?? []) {
    const g: System<string> = { root: d.root, cells: [...d.cells], sets: d.sets, declaredIn: declaration!.file, grouping: {} };
    for (const c of d.cells) g.grouping[c] = { reason: 'declared' };
    groups.push(g);
    byRoot.set(d.root, g);
    claimed.add(d.root);
    for (const c of d.cells) claimed.add(c);
    if (d.autoCells) autoRoots.push(d.root);
  }
  const kinds = new Map<string, ConfigKind | undefined>();
  for (const f of all) if (!claimed.has(f)) kinds.set(f, kindOf(f));
  const systems = [...all.filter((f) => kinds.get(f) === 'system'), ...autoRoots];
  for (const s of systems) {
    if (!byRoot.has(s)) {
      const g: System<string> = { root: s, cells: [], grouping: {} };
      groups.push(g);
      byRoot.set(s, g);
    }
  }
  // Declared roots count too: "the only system config in its folder" must be true as read.
  const perDir = new Map<string, string[]>();
  for (const s of new Set([...systems, ...byRoot.keys()])) perDir.set(path.dirname(s), [...(perDir.get(path.dirname(s)) ?? []), s]);
  for (const f of all) {
    if (kinds.get(f) !== 'cell') continue;
    const dirSystems = perDir.get(path.dirname(f)) ?? [];
    const owner = dirSystems.length === 1 ? dirSystems[0] : prefixOwner(f, systems);
    if (owner) {
      const g = byRoot.get(owner)!;
      g.cells.push(f);
      g.grouping[f] = { reason: dirSystems.length === 1 ? 'folder' : 'prefix' };
    } else groups.push({ cells: [f], grouping: { [f]: { reason: 'none', candidates: [...systems] } } });
  }
  return groups;
}
