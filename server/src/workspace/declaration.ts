// The cell-set declaration (`jailhouse-cells.json`, schema in schemas/jailhouse-cells.schema.json):
// per system, the root file, its cells, and the sets of cells that run at the same time.
import * as path from 'node:path';

export const DECLARATION_FILE = 'jailhouse-cells.json';

export interface DeclaredSystem {
  /** Absolute paths. */
  root: string;
  cells: string[];
  sets?: string[][];
  /** Neither cells nor sets given: cells are found automatically, the root is fixed. */
  autoCells: boolean;
}

export interface Declaration {
  file: string;
  systems: DeclaredSystem[];
}

export interface DeclarationProblem {
  file: string;
  message: string;
}

/** Parses and validates a declaration; problems are reported, never thrown. */
export function parseDeclaration(file: string, text: string): { declaration?: Declaration; problems: DeclarationProblem[] } {
  const problems: DeclarationProblem[] = [];
  const bad = (message: string) => problems.push({ file, message });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    bad(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    return { problems };
  }
  const base = path.dirname(path.resolve(file));
  const abs = (p: string) => path.resolve(base, p);
  const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { systems?: unknown }).systems)) {
    bad('expected an object with a "systems" array');
    return { problems };
  }
  const obj = json as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!['$schema', 'version', 'systems'].includes(k)) bad(`unknown key "${k}"`);
  if (obj.version !== undefined && obj.version !== 1) bad(`unsupported version ${JSON.stringify(obj.version)} (expected 1)`);
  const systems: DeclaredSystem[] = [];
  (obj.systems as unknown[]).forEach((s, i) => {
    const where = `systems[${i}]`;
    if (typeof s !== 'object' || s === null) return bad(`${where}: expected an object`);
    const o = s as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['root', 'cells', 'sets'].includes(k)) bad(`${where}: unknown key "${k}"`);
    if (typeof o.root !== 'string') return bad(`${where}: "root" must be a path`);
    if (o.cells !== undefined && !isStrList(o.cells)) return bad(`${where}: "cells" must be a list of paths`);
    if (o.sets !== undefined && !(Array.isArray(o.sets) && o.sets.every(isStrList))) return bad(`${where}: "sets" must be a list of lists of paths`);
    const sets = (o.sets as string[][] | undefined)?.map((set) => set.map(abs));
    const cells = o.cells ? (o.cells as string[]).map(abs) : [...new Set(sets?.flat() ?? [])];
    for (const set of sets ?? []) for (const c of set) if (!cells.includes(c)) bad(`${where}: set member ${path.relative(base, c)} is not among the system's cells`);
    systems.push({ root: abs(o.root), cells, sets, autoCells: o.cells === undefined && o.sets === undefined });
  });
  return { declaration: { file: path.resolve(file), systems }, problems };
}

/**
 * The declaration text after making `cell` a cell of `root`'s system: `current` is the file's
 * text (undefined: a new file), `known` the cells the root has now (written out when its entry
 * found cells automatically, so declaring one cell does not drop the others). Everything else
 * in the file is kept. Undefined when `current` is not a declaration we can safely rewrite.
 */
export function declareCell(file: string, current: string | undefined, root: string, cell: string, known: string[] = []): string | undefined {
  const base = path.dirname(path.resolve(file));
  const rel = (p: string) => path.relative(base, p).split(path.sep).join('/');
  let json: { systems: Record<string, unknown>[] } & Record<string, unknown> = { version: 1, systems: [] };
  if (current !== undefined && current.trim()) {
    const parsed = parseDeclaration(file, current);
    if (!parsed.declaration) return undefined;
    json = JSON.parse(current);
  }
  const entry = json.systems.find((s) => typeof s.root === 'string' && path.resolve(base, s.root) === path.resolve(root));
  if (!entry) {
    json.systems.push({ root: rel(root), cells: [rel(cell)] });
  } else {
    const sets = Array.isArray(entry.sets) ? (entry.sets as string[][]) : undefined;
    const cells = Array.isArray(entry.cells) ? (entry.cells as string[]) : sets ? [...new Set(sets.flat())] : known.map(rel);
    if (!cells.some((c) => path.resolve(base, c) === path.resolve(cell))) cells.push(rel(cell));
    entry.cells = cells;
  }
  return `${JSON.stringify(json, null, 2)}\n`;
}
