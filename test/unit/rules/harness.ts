// Fixture harness: a fixture is a folder holding one system (root + cells, optionally a
// jailhouse-cells.json); every expected finding is a marker comment at the end of the line
// where the diagnostic starts. Marker syntax (entries separated by commas outside quotes):
//
//   //! CODE[:SEVERITY][@COLUMN][ "KEY WORDS"…][, CODE…]
//
//   .virt_start = 0, //! memory-overlap:warning@18 '#5 "RAM"' "guest address space"
//   .cpus = cpus, //! cpu-shared:error@3 "CPU 3"
//   .shmem_regions_start = 0, //! ivshmem, ivshmem
//
// One entry per diagnostic (repeat a code for two findings on one line). SEVERITY, when
// given, must match; COLUMN is the 1-based column where the diagnostic starts (a tab counts
// as one, as in LSP positions); each quoted phrase (in "…" or '…', whichever it does not
// contain) must occur in the message as written (case matters). What a marker leaves out is
// not checked, so it says as much as the finding needs to be recognised.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundledBoard } from '../../../server/src/boards/registry';
import type { Board } from '../../../server/src/boards/types';
import { checkSystem } from '../../../server/src/rules';
import type { Diag, System } from '../../../server/src/rules';
import { positionAt } from '../../../server/src/util/source';
import { diskHost, loadSystems, type WorkspaceHost } from '../../../server/src/workspace';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/rules');

export function fixtureNames(): string[] {
  return fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory()).sort();
}

export interface Finding {
  file: string;
  line: number;
  code: string;
  severity?: string;
  /** 1-based; on a marker, only when it says one. */
  column?: number;
  /** Phrases the message must contain (markers only). */
  words?: string[];
  /** The diagnostic's message (actual findings only). */
  message?: string;
}

export const key = (f: Finding, withSeverity: boolean) => `${path.basename(f.file)}:${f.line}: ${f.code}${withSeverity && f.severity ? ':' + f.severity : ''}`;

/** The entries of one marker's text (what follows `//!`); throws on a marker that does not parse. */
export function parseMarker(text: string): Omit<Finding, 'file' | 'line'>[] {
  const out: Omit<Finding, 'file' | 'line'>[] = [];
  const entry = /\s*([a-z0-9-]+)(?::([a-z]+))?(?:@(\d+))?((?:\s*(?:"[^"]*"|'[^']*'))*)\s*(,|$)/y;
  let at = 0;
  while (at < text.length && text.slice(at).trim()) {
    entry.lastIndex = at;
    const m = entry.exec(text);
    if (!m) throw new Error(`bad marker '//! ${text}' at '${text.slice(at)}'`);
    const words = [...m[4].matchAll(/"([^"]*)"|'([^']*)'/g)].map((w) => w[1] ?? w[2]);
    if (words.some((w) => !w)) throw new Error(`empty key words in marker '//! ${text}'`);
    out.push({ code: m[1], severity: m[2], column: m[3] ? Number(m[3]) : undefined, words: words.length ? words : undefined });
    at = entry.lastIndex;
    if (!m[5]) break;
  }
  return out;
}

export function expectedOf(dir: string, texts?: Map<string, string>): Finding[] {
  const out: Finding[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.c'))) {
    const file = path.join(dir, f);
    const text = texts?.get(file) ?? fs.readFileSync(file, 'utf8');
    text.split('\n').forEach((l, i) => {
      const m = /\/\/!\s*(.*)$/.exec(l);
      if (!m) return;
      for (const e of parseMarker(m[1])) out.push({ file, line: i + 1, ...e });
    });
  }
  return out;
}

/** Whether the actual finding `a` is one the marker entry `e` describes. */
export function answers(e: Finding, a: Finding): boolean {
  return a.file === e.file && a.line === e.line && a.code === e.code && (!e.severity || a.severity === e.severity)
    && (e.column === undefined || a.column === e.column) && (e.words ?? []).every((w) => a.message?.includes(w));
}

/**
 * Pairs every marker entry with a distinct actual finding it describes (a bipartite matching,
 * so two markers on one line cannot both claim the same finding). Returns the entries left
 * without one, each with the findings of its line for the failure message.
 */
export function unanswered(expected: Finding[], actual: Finding[]): Finding[] {
  const owner = new Map<number, number>();
  const tryClaim = (ei: number, seen: Set<number>): boolean => {
    for (let ai = 0; ai < actual.length; ai++) {
      if (seen.has(ai) || !answers(expected[ei], actual[ai])) continue;
      seen.add(ai);
      const prev = owner.get(ai);
      if (prev === undefined || tryClaim(prev, seen)) { owner.set(ai, ei); return true; }
    }
    return false;
  };
  return expected.filter((_, ei) => !tryClaim(ei, new Set()));
}

export function hostWith(overrides: Map<string, string>): WorkspaceHost {
  return { readFile: (f) => overrides.get(path.resolve(f)) ?? diskHost.readFile(f), readDir: diskHost.readDir };
}

export function loadFixture(dir: string, host: WorkspaceHost = diskHost): System[] {
  const decl = path.join(dir, 'jailhouse-cells.json');
  const r = loadSystems([dir], { declaration: fs.existsSync(decl) ? decl : false, host });
  if (r.problems.length) throw new Error(`declaration problems: ${JSON.stringify(r.problems)}`);
  return r.systems;
}

/** The board a fixture's board-* rules check against: its `board` file names a bundled one. */
export function boardOf(s: System): Board | undefined {
  const first = s.root?.file ?? s.cells[0]?.file;
  const file = first && path.join(path.dirname(first), 'board');
  if (!file || !fs.existsSync(file)) return undefined;
  const id = fs.readFileSync(file, 'utf8').trim();
  const board = bundledBoard(id);
  if (!board) throw new Error(`${file}: no bundled board '${id}'`);
  return board;
}

export function diagsOf(systems: System[]): Diag[] {
  const out: Diag[] = [];
  for (const s of systems) for (const list of checkSystem(s, { board: boardOf(s) }).values()) out.push(...list);
  return out;
}

export function findingsOf(systems: System[], diags: Diag[]): Finding[] {
  const files = new Map<string, { path: string; text: string }>();
  for (const s of systems) for (const a of [...(s.root ? [s.root] : []), ...s.cells]) for (const [k, v] of a.files) files.set(k, v);
  return diags.map((d) => {
    const p = positionAt(files.get(d.loc.file) ?? { path: d.loc.file, text: '' }, d.loc.start);
    return { file: d.loc.file, line: p.line + 1, column: p.character + 1, code: d.code, severity: d.severity, message: d.message };
  });
}

const STABLE_KEYS = ['file', 'index', 'space', 'other', 'field', 'member', 'intid', 'kind', 'name'];

/** Whether `after` still holds the finding `d` (same rule, same target), whatever its wording. */
export function stillReported(d: Diag, after: Diag[]): boolean {
  const pick = (x: Diag) => {
    const data = (x.data ?? {}) as Record<string, unknown>;
    return JSON.stringify(STABLE_KEYS.filter((k) => k in data).map((k) => [k, data[k]]));
  };
  const mine = pick(d);
  const cpus = (x: Diag) => ((x.data as { cpus?: number[] } | undefined)?.cpus ?? []);
  return after.some((x) => {
    if (x.code !== d.code || x.loc.file !== d.loc.file) return false;
    if (d.code.startsWith('cpu-')) return cpus(x).some((c) => cpus(d).includes(c));
    return pick(x) === mine && (mine !== '[]' || x.message === d.message);
  });
}
