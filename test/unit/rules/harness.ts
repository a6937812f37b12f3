// Fixture harness: a fixture is a folder holding one system (root + cells, optionally a
// jailhouse-cells.json); every expected finding is a `//! code[:severity][, …]` marker at the
// end of the line where the diagnostic starts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSystem } from '../../../server/src/rules';
import type { Diag, SystemUnderCheck } from '../../../server/src/rules';
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
}

export const key = (f: Finding, withSeverity: boolean) => `${path.basename(f.file)}:${f.line}: ${f.code}${withSeverity && f.severity ? ':' + f.severity : ''}`;

export function expectedOf(dir: string, texts?: Map<string, string>): Finding[] {
  const out: Finding[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.c'))) {
    const file = path.join(dir, f);
    const text = texts?.get(file) ?? fs.readFileSync(file, 'utf8');
    text.split('\n').forEach((l, i) => {
      const m = /\/\/!\s*(.*)$/.exec(l);
      if (!m) return;
      for (const part of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        const [code, severity] = part.split(':');
        out.push({ file, line: i + 1, code, severity });
      }
    });
  }
  return out;
}

export function hostWith(overrides: Map<string, string>): WorkspaceHost {
  return { readFile: (f) => overrides.get(path.resolve(f)) ?? diskHost.readFile(f), readDir: diskHost.readDir };
}

export function loadFixture(dir: string, host: WorkspaceHost = diskHost): SystemUnderCheck[] {
  const decl = path.join(dir, 'jailhouse-cells.json');
  const r = loadSystems([dir], { declaration: fs.existsSync(decl) ? decl : false, host });
  if (r.problems.length) throw new Error(`declaration problems: ${JSON.stringify(r.problems)}`);
  return r.systems;
}

export function diagsOf(systems: SystemUnderCheck[]): Diag[] {
  const out: Diag[] = [];
  for (const s of systems) for (const list of checkSystem(s).values()) out.push(...list);
  return out;
}

export function findingsOf(systems: SystemUnderCheck[], diags: Diag[]): Finding[] {
  const files = new Map<string, { path: string; text: string }>();
  for (const s of systems) for (const a of [...(s.root ? [s.root] : []), ...s.cells]) for (const [k, v] of a.files) files.set(k, v);
  return diags.map((d) => ({ file: d.loc.file, line: positionAt(files.get(d.loc.file) ?? { path: d.loc.file, text: '' }, d.loc.start).line + 1, code: d.code, severity: d.severity }));
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
