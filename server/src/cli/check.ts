// `jhcell check`: every rule on the systems found in the given files and folders, printed as
// compiler-style text, JSON or SARIF 2.1.0. Exit 0 = no errors, 1 = errors, 2 = usage.
import * as path from 'node:path';
import { loadBoard } from '../boards/load';
import type { Board } from '../boards/types';
import type { Diag } from '../core/diagnostics';
import { checkSystem, diagnosticIds, parseSeverityOverride, type SeverityLevel } from '../rules';
import type { SourceFile } from '../util/source';
import { rangeOf } from '../util/source';
import { groupingLine, loadSystems, rootDiagnostics, type Grouping } from '../workspace';
import { definesOf, parseArgs, UsageError } from './args';
import { dropMirrorsByFile } from './mirrors';
import { displayPath } from '../util/paths';
import { membersOf } from '../workspace/system';

type Format = 'text' | 'json' | 'sarif';
type LoadedSystems = ReturnType<typeof loadSystems>;

export interface Entry {
  file: string;
  diags: Diag[];
  /** Cells: the system it was checked with, and why. */
  system?: CellSystem;
}

interface CellSystem {
  root?: string;
  grouping: Grouping;
  declaredIn?: string;
}

export async function run(args: string[]): Promise<number> {
  const p = parseArgs(args, ['--format', '--severity', '-D', '-I', '--declaration', '--board'], ['--no-declaration']);
  const format = (p.values.get('--format')?.at(-1) ?? 'text') as Format;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format '${format}' (text, json or sarif)`);
  const severity: Record<string, SeverityLevel> = {};
  for (const s of p.values.get('--severity') ?? []) {
    try {
      const [id, level] = parseSeverityOverride(s);
      severity[id] = level;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  if (!p.positional.length) throw new UsageError('no file or folder given');
  const boardSpec = p.values.get('--board')?.at(-1);
  let board: Board | undefined;
  if (boardSpec !== undefined) {
    const r = loadBoard(boardSpec, { includeDirs: p.values.get('-I') ?? [] });
    for (const pr of r.problems) process.stderr.write(`jhcell check: board ${boardSpec}: ${pr}\n`);
    if (!r.board) return 2;
    board = r.board;
  }
  const declaration = p.flags.has('--no-declaration') ? false : p.values.get('--declaration')?.at(-1);
  const loaded = loadSystems(p.positional, { defines: definesOf(p), includeDirs: p.values.get('-I') ?? [], declaration });
  for (const m of loaded.missing) process.stderr.write(`jhcell check: cannot read ${m}\n`);
  if (loaded.missing.length && !loaded.systems.length) return 2;

  const { entries, texts } = findingsOf(loaded, severity, board);
  const sf = (file: string): SourceFile => texts.get(file) ?? { path: file, text: '' };
  const out = format === 'json' ? toJson(entries, sf) : format === 'sarif' ? toSarif(entries, sf) : toText(entries, sf);
  process.stdout.write(out);
  const errors = entries.some((e) => e.diags.some((d) => d.severity === 'error'));
  return errors ? 1 : 0;
}

/** The findings of loaded systems by file, each conflict once, with the texts to place them: what `check` prints (`build --check` too). */
export function findingsOf(loaded: LoadedSystems, severity: Record<string, SeverityLevel>, board?: Board): { entries: Entry[]; texts: Map<string, SourceFile> } {
  const texts = new Map<string, SourceFile>();
  const byFile = new Map<string, Diag[]>();
  const cellSystems = new Map<string, CellSystem>();
  for (const sys of loaded.systems) {
    for (const c of sys.cells) {
      if (c.model?.kind === 'system' || cellSystems.has(c.file)) continue;
      cellSystems.set(c.file, { root: sys.root?.file, grouping: sys.grouping?.[c.file] ?? { reason: 'none' }, declaredIn: sys.declaredIn });
    }
    for (const a of membersOf(sys)) for (const [f, sf] of a.files) if (!texts.has(f)) texts.set(f, sf);
    // The board rules run only with --board: a config alone is not evidence of its machine.
    const found = checkSystem(sys, { severity, board });
    for (const d of rootDiagnostics(sys, severity)) found.set(d.loc.file, [...(found.get(d.loc.file) ?? []), d]);
    for (const [file, diags] of found) {
      const list = byFile.get(file) ?? [];
      for (const d of diags) if (!list.some((x) => same(x, d))) list.push(d);
      list.sort((a, b) => a.loc.start - b.loc.start || a.code.localeCompare(b.code));
      byFile.set(file, list);
    }
  }
  for (const pr of loaded.problems) {
    const list = byFile.get(pr.file) ?? [];
    list.push({ code: 'declaration', severity: 'error', message: pr.message, loc: { file: pr.file, start: 0, end: 0 } });
    byFile.set(pr.file, list);
  }
  // Each conflict once, at its first place (dropMirrors: the editor shows both sides).
  const entries: Entry[] = dropMirrorsByFile([...byFile].map(([file, diags]) => ({ file, diags, system: cellSystems.get(file) })).sort((a, b) => a.file.localeCompare(b.file)));
  return { entries, texts };
}

/** The same finding reached through two systems (a file shared by both). */
function same(a: Diag, b: Diag): boolean {
  return a.code === b.code && a.loc.start === b.loc.start && a.loc.end === b.loc.end && a.message === b.message;
}

// Hundreds of findings name a few dozen files: each name is worked out once (per working directory).
const displayed = new Map<string, string>();
let displayedCwd = '';
const display = (file: string): string => {
  const cwd = process.cwd();
  if (cwd !== displayedCwd) {
    displayed.clear();
    displayedCwd = cwd;
  }
  let d = displayed.get(file);
  if (d === undefined) displayed.set(file, (d = displayPath(file, cwd)));
  return d;
};

export function toText(entries: Entry[], sf: (f: string) => SourceFile): string {
  let s = '';
  const counts = { error: 0, warning: 0, other: 0 };
  let systems = '';
  for (const e of entries) {
    // Which root each cell was checked with: after the findings (whose notes follow them), before the summary.
    if (e.system) systems += `${display(e.file)}: note: ${groupingLine(e.system.grouping, e.system.root, e.system.declaredIn, display)}\n`;
    for (const d of e.diags) {
      const r = rangeOf(sf(d.loc.file), d.loc);
      s += `${display(d.loc.file)}:${r.start.line + 1}:${r.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]\n`;
      for (const rel of d.related ?? []) {
        const rr = rangeOf(sf(rel.loc.file), rel.loc);
        s += `${display(rel.loc.file)}:${rr.start.line + 1}:${rr.start.character + 1}: note: ${rel.message}\n`;
      }
      if (d.severity === 'error') counts.error++;
      else if (d.severity === 'warning') counts.warning++;
      else counts.other++;
    }
  }
  s += systems;
  const files = entries.length;
  s += `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}${counts.other ? `, ${counts.other} note${counts.other === 1 ? '' : 's'}` : ''} in ${files} file${files === 1 ? '' : 's'}\n`;
  return s;
}

function toJson(entries: Entry[], sf: (f: string) => SourceFile): string {
  const files = entries.map((e) => ({
    file: display(e.file),
    ...(e.system ? { system: systemJson(e.system) } : {}),
    diagnostics: e.diags.map((d) => ({
      range: rangeOf(sf(d.loc.file), d.loc),
      severity: d.severity,
      code: d.code,
      message: d.message,
      related: (d.related ?? []).map((r) => ({ file: display(r.loc.file), range: rangeOf(sf(r.loc.file), r.loc), message: r.message })),
    })),
  }));
  return JSON.stringify({ version: 1, files }, null, 2) + '\n';
}

/** A cell's `system` property (json, and per cell in SARIF): root, reason and what decided. */
function systemJson(s: CellSystem) {
  const g = s.grouping;
  return {
    root: s.root ? display(s.root) : null,
    reason: g.reason,
    ...(g.evidence ? { evidence: g.evidence } : {}),
    ...(g.reason === 'declared' && s.declaredIn ? { declaredIn: display(s.declaredIn) } : {}),
    ...(g.reason === 'none' ? { candidates: (g.candidates ?? []).map(display), why: groupingLine(g, undefined) } : {}),
  };
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function toSarif(entries: Entry[], sf: (f: string) => SourceFile): string {
  // Files under the working directory are given relative to %SRCROOT% (what code-scanning
  // services map onto the repository); others as absolute file URIs.
  const root = process.cwd();
  const fileUri = (f: string) => 'file://' + encodeURI(f.split(path.sep).join('/'));
  const artifact = (f: string) => {
    if (f.startsWith('<')) return { uri: encodeURI(f) };
    const rel = path.relative(root, f);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: encodeURI(rel.split(path.sep).join('/')), uriBaseId: '%SRCROOT%' };
    return { uri: fileUri(path.resolve(f)) };
  };
  const region = (file: string, loc: { start: number; end: number }) => {
    const r = rangeOf(sf(file), loc);
    return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
  };
  const used = [...new Set(entries.flatMap((e) => e.diags.map((d) => d.code)))].sort();
  const registry = new Map(diagnosticIds().map((d) => [d.id, d]));
  const rules = used.map((id) => {
    const r = registry.get(id);
    return {
      id,
      shortDescription: { text: r?.description ?? `diagnostic: ${id}` },
      properties: { docs: r?.docs ?? `#${id}` },
      defaultConfiguration: { level: SARIF_LEVEL[r?.level ?? 'error'] },
    };
  });
  const results = entries.flatMap((e) =>
    e.diags.map((d) => ({
      ruleId: d.code,
      ruleIndex: used.indexOf(d.code),
      level: SARIF_LEVEL[d.severity],
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(d.loc.file), region: region(d.loc.file, d.loc) } }],
      relatedLocations: (d.related ?? []).map((r, i) => ({
        id: i,
        message: { text: r.message },
        physicalLocation: { artifactLocation: artifact(r.loc.file), region: region(r.loc.file, r.loc) },
      })),
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'jhcell', rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: fileUri(root.endsWith(path.sep) ? root : root + path.sep) } },
        results,
        // Which root each cell was checked with, and why (no SARIF field says this).
        properties: { cells: entries.filter((e) => e.system).map((e) => ({ artifactLocation: artifact(e.file), system: systemJson(e.system!) })) },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
