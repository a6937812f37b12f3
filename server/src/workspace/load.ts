// From paths on disk (files or folders) to analysed systems ready for checkSystem().
import * as path from 'node:path';
import { analyze } from '../engine/analyze';
import type { Analysis, EngineOptions } from '../core/analysis';
import type { System } from './system';
import { DECLARATION_FILE, parseDeclaration, type Declaration, type DeclarationProblem } from './declaration';
import { checkedKind, detectConfig } from '../syntax/configKind';
import { groupSystems, type ConfigKind } from './discover';
import { groupByContent } from './infer';
import { diskHost, type WorkspaceHost } from './host';
import { walkCFiles } from './walk';

/** `.c` files under each path (folders recursively); plain files are taken as given. */
export function expandPaths(paths: string[], host: WorkspaceHost = diskHost): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    if (host.readDir?.(abs)) files.push(...walkCFiles([abs], { maxDepth: 8 }, host).files);
    else if (host.readFile(abs) !== undefined) files.push(abs);
    else missing.push(p);
  }
  return { files, missing };
}

/** The nearest jailhouse-cells.json at or above `start` (a file or folder). */
export function findDeclaration(start: string, host: WorkspaceHost = diskHost): string | undefined {
  let dir = path.resolve(start);
  if (!host.readDir?.(dir)) dir = path.dirname(dir);
  for (;;) {
    const f = path.join(dir, DECLARATION_FILE);
    if (host.readFile(f) !== undefined) return f;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function readDeclaration(file: string, host: WorkspaceHost = diskHost): { declaration?: Declaration; problems: DeclarationProblem[] } {
  const text = host.readFile(file);
  if (text === undefined) return { problems: [{ file, message: 'cannot read the declaration' }] };
  return parseDeclaration(file, text);
}

/** Groups files into systems, each of the kind the one detector gives (a wrapper config: that of the config it includes). */
export function discoverSystems(files: string[], host: WorkspaceHost = diskHost, declaration?: Declaration): System<string>[] {
  const read = (f: string) => host.readFile(f);
  const kindOf = (f: string): ConfigKind | undefined => {
    const t = host.readFile(f);
    return t === undefined ? undefined : checkedKind(detectConfig(f, t, read));
  };
  return groupSystems(files, kindOf, declaration);
}

/** Analyses each file once (an unreadable file becomes an analysis with an `include` error). */
function analyzer(options: EngineOptions, host: WorkspaceHost): (file: string) => Analysis {
  const cache = new Map<string, Analysis>();
  const opts: EngineOptions = { readFile: (f) => host.readFile(f), ...options };
  return (f: string): Analysis => {
    let a = cache.get(f);
    if (!a) {
      const text = host.readFile(f);
      a =
        text === undefined
          ? { file: f, diagnostics: [{ code: 'include', severity: 'error', message: `cannot read ${f}`, loc: { file: f, start: 0, end: 0 } }], files: new Map([[f, { path: f, text: '' }]]), macros: new Map(), macroUses: [], includes: [] }
          : analyze(f, text, opts);
      cache.set(f, a);
    }
    return a;
  };
}

/** Analyses every file of the groups once and assembles the systems. */
export function analyzeSystems(groups: System<string>[], options: EngineOptions = {}, host: WorkspaceHost = diskHost, get = analyzer(options, host)): System[] {
  return groups.map((g) => ({ root: g.root ? get(g.root) : undefined, cells: g.cells.map(get), sets: g.sets, declaredIn: g.declaredIn, grouping: g.grouping }));
}

/**
 * Files named together on the command line form one system: with exactly one system config
 * among the named files, every named cell is checked with it (reason `explicit`), whatever
 * names or content would say; a declaration naming the cell under that root keeps `declared`.
 */
function groupExplicit(groups: System<string>[], named: string[]): System<string>[] {
  const roots = named.filter((f) => groups.some((g) => g.root === f));
  if (roots.length !== 1) return groups;
  const root = roots[0];
  const cells = named.filter((f) => f !== root && groups.some((g) => g.cells.includes(f)));
  if (!cells.length) return groups;
  const out = groups.map((g) => ({ ...g, cells: [...g.cells], grouping: { ...g.grouping } }));
  const home = out.find((g) => g.root === root)!;
  for (const c of cells) {
    if (home.cells.includes(c) && home.grouping[c]?.reason === 'declared') continue;
    for (const g of out) {
      if (g === home || !g.cells.includes(c)) continue;
      g.cells = g.cells.filter((x) => x !== c);
      g.sets = g.sets?.map((set) => set.filter((x) => x !== c));
      delete g.grouping[c];
    }
    if (!home.cells.includes(c)) home.cells.push(c);
    home.grouping[c] = { reason: 'explicit' };
  }
  return out.filter((g) => g.root || g.cells.length);
}

/** The host, each file read at most once: kind detection and analysis both read every config. */
function readOnce(host: WorkspaceHost): WorkspaceHost {
  const texts = new Map<string, string | undefined>();
  return {
    readFile(file) {
      if (texts.has(file)) return texts.get(file);
      const t = host.readFile(file);
      texts.set(file, t);
      return t;
    },
    readDir: host.readDir && ((dir) => host.readDir!(dir)),
  };
}

/**
 * Everything from paths: expand folders, find the declaration (explicit, or the nearest
 * jailhouse-cells.json above the first path), group, analyse. A file named on its own pulls in
 * its system: the root of a cell and the other cells of that root, found in the file's folder.
 */
export function loadSystems(
  paths: string[],
  options: EngineOptions & { declaration?: string | false; host?: WorkspaceHost } = {},
): { systems: System[]; problems: DeclarationProblem[]; missing: string[]; groups: System<string>[] } {
  const host = readOnce(options.host ?? diskHost);
  const { files, missing } = expandPaths(paths, host);
  const problems: DeclarationProblem[] = [];
  let declaration: Declaration | undefined;
  const declFile = options.declaration === false ? undefined : (options.declaration ?? (paths[0] ? findDeclaration(paths[0], host) : undefined));
  if (declFile) {
    const r = readDeclaration(declFile, host);
    problems.push(...r.problems);
    declaration = r.declaration;
  }
  // Context for named files: their folders' configs, so a lone cell still meets its root.
  const named = new Set(files);
  const context = new Set(files);
  for (const p of paths) {
    const abs = path.resolve(p);
    if (!host.readDir?.(abs) && abs.endsWith('.c')) for (const f of expandPaths([path.dirname(abs)], host).files) context.add(f);
  }
  for (const d of declaration?.systems ?? []) {
    if ([d.root, ...d.cells].some((f) => named.has(f))) {
      context.add(d.root);
      for (const c of d.cells) context.add(c);
    }
  }
  const get = analyzer({ defines: options.defines, includeDirs: options.includeDirs }, host);
  const explicit = paths.map((p) => path.resolve(p)).filter((f) => named.has(f) && !host.readDir?.(f));
  const grouped0 = groupExplicit(discoverSystems([...context], host, declaration), explicit);
  const groups = groupByContent(grouped0, (f) => get(f).model).filter((g) => [g.root, ...g.cells].some((f) => f && named.has(f)));
  // A file named on the command line that is no recognisable config is still analysed on its
  // own, so the user hears why (folders only contribute the configs they hold).
  const grouped = new Set(groups.flatMap((g) => [g.root, ...g.cells]));
  for (const p of paths) {
    const abs = path.resolve(p);
    if (named.has(abs) && !grouped.has(abs)) groups.push({ cells: [abs], grouping: { [abs]: { reason: 'none', why: 'not recognised as a cell or system configuration' } } });
  }
  return { systems: analyzeSystems(groups, {}, host, get), problems, missing, groups };
}
