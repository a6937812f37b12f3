// What the editor writes must compile: every completion item (field names, constants and
// values, wrapper members, section snippets, board devices / RAM / irqchips / PIO / CPUs) is
// accepted at positions all over the fixtures, every quick fix offered on the rule fixtures is
// applied, and the result is analysed again (and its system checked again): no new error. gcc,
// where installed, must accept every result whose starting point it accepted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { boardCompletions } from '../../../server/src/boards/features/complete';
import { bundledBoard } from '../../../server/src/boards/registry';
import type { Board } from '../../../server/src/boards/types';
import { analyze } from '../../../server/src/engine/analyze';
import type { Analysis } from '../../../server/src/engine/api';
import { complete, type CompletionEntry } from '../../../server/src/features/completion';
import { Doc } from '../../../server/src/features/context';
import { SNIPPETS } from '../../../server/src/features/snippets';
import type { AggValue, Value } from '../../../server/src/model/types';
import { applyEdits, checkSystem, fixesFor, type Diag, type SystemUnderCheck } from '../../../server/src/rules';
import { struct } from '../../../server/src/schema';
import { diagsOf, fixtureNames, FIXTURES as RULE_FIXTURES, hostWith, loadFixture, stillReported } from '../rules/harness';
import { applyCompletion, gccRejects, type GccJob } from './insertApply';

const ROOT = path.resolve(__dirname, '../../..');
const CELLS = path.join(ROOT, 'test/fixtures/boards/cells');
const read = (f: string) => readFileSync(f, 'utf8');

/** Every source gcc should judge, and the originals they started from. */
const gccJobs: GccJob[] = [];
const originals = new Map<string, string>();
const stats = { items: 0, positions: 0, fixes: 0, handEdits: 0, files: 0, kinds: new Map<string, number>() };
const started = Date.now();

// Element numbers in messages move when an element is inserted before: names tell them apart.
const errorKey = (d: Diag) => `${d.code}: ${d.message.replace(/#\d+/g, '#')}`;
/**
 * Error-level findings of `after` that `before` does not have: not the same finding (same
 * rule and target, whatever its wording: a count that was wrong stays wrong with another
 * number in it), and not the same message once element numbers are set aside.
 */
function newErrors(before: Diag[], after: Diag[]): Diag[] {
  const old = before.filter((d) => d.severity === 'error');
  const seen = new Map<string, number>();
  for (const d of old) seen.set(errorKey(d), (seen.get(errorKey(d)) ?? 0) + 1);
  return after.filter((d) => {
    if (d.severity !== 'error' || stillReported(d, old)) return false;
    const n = seen.get(errorKey(d)) ?? 0;
    seen.set(errorKey(d), n - 1);
    return n <= 0;
  });
}

interface Setting {
  file: string;
  /** The system the file belongs to, for the checks and for board items without a board. */
  others: { root?: Analysis; cells: Analysis[] };
  board?: Board;
}

function systemOf(s: Setting, a: Analysis): SystemUnderCheck {
  return a.model?.kind === 'system' ? { root: a, cells: s.others.cells } : { root: s.others.root, cells: [...s.others.cells, a] };
}

const isSnippet = (e: CompletionEntry) => SNIPPETS.some((x) => x.prefix === e.label);

/**
 * The errors that count: the engine's for values and snippets — a constant is the user's
 * choice, a snippet's placeholders are theirs to fill (another architecture or a taken ivshmem
 * ID may well clash with the root cell: saying so is the checks' job) — and the whole system's
 * for fields, members and board items, whose values are ours.
 */
function errorsOf(s: Setting, a: Analysis, item?: CompletionEntry): Diag[] {
  if (item && (item.kind === 'constant' || item.kind === 'value' || isSnippet(item))) return a.diagnostics;
  return [...checkSystem(systemOf(s, a)).values()].flat();
}

/** The completion items at `offset` of `text`, each accepted and checked. Returns the items. */
function acceptAll(s: Setting, text: string, offset: number, where: string, filter: (e: CompletionEntry) => boolean = () => true): CompletionEntry[] {
  const a = analyze(s.file, text);
  const doc = new Doc(a, text);
  const system = { root: a.model?.kind === 'system' ? a : s.others.root, cells: a.model?.kind === 'system' ? s.others.cells : [...s.others.cells, a] };
  const items = [...complete(doc, offset), ...boardCompletions(doc, offset, { board: s.board, system })].filter(filter);
  stats.positions++;
  for (const item of items) {
    const before = errorsOf(s, a, item);
    const out = applyCompletion(text, offset, item);
    const what = `${path.relative(ROOT, s.file)} ${where}: ${item.kind} "${item.label}"`;
    if (item.detail?.startsWith('needs a hand edit')) {
      assert.match(item.documentation ?? '', /by hand/, what);
      stats.handEdits++;
      continue;
    }
    const b = analyze(s.file, out);
    const fresh = newErrors(before, errorsOf(s, b, item));
    assert.ok(!fresh.length, `${what} leaves new errors:\n${fresh.map(errorKey).join('\n')}\n${out}`);
    // A value is one expression swapped for another the engine accepts: gcc judges the rest.
    if (item.kind !== 'constant' && item.kind !== 'value') gccJobs.push({ file: s.file, text: out, what });
    stats.items++;
    const kind = item.kind === 'snippet' ? (isSnippet(item) ? 'snippet' : 'board element') : item.kind;
    stats.kinds.set(kind, (stats.kinds.get(kind) ?? 0) + 1);
  }
  return items;
}

const lineStart = (text: string, off: number) => text.lastIndexOf('\n', off - 1) + 1;
const indentAt = (text: string, off: number) => /^[ \t]*/.exec(text.slice(lineStart(text, off)))![0];

/** `text` with a new empty line (indented one level in) before the `}` at `close`, and its cursor. */
function lineBefore(text: string, close: number): { text: string; offset: number } | undefined {
  const ls = lineStart(text, close);
  if (text.slice(ls, close).trim()) return undefined;
  const ind = indentAt(text, close) + '\t';
  return { text: text.slice(0, ls) + ind + '\n' + text.slice(ls), offset: ls + ind.length };
}

/** `text` with a new empty line after the `{` at `open`. */
function lineAfter(text: string, open: number): { text: string; offset: number } {
  const ind = indentAt(text, open) + '\t';
  return { text: text.slice(0, open + 1) + '\n' + ind + text.slice(open + 1), offset: open + 2 + ind.length };
}

/** Braced struct values written in the file: the header, nested structs, first elements. */
function structsOf(v: Value | undefined, file: string, text: string, out: AggValue[] = []): AggValue[] {
  if (!v || v.kind !== 'agg') return out;
  const braced = v.loc?.file === file && text[v.loc.start] === '{';
  if (v.type.kind === 'struct' && braced && v.type.name !== '<config>') out.push(v);
  const items = v.type.kind === 'array' ? v.items.slice(0, 1) : v.items;
  for (const x of items) structsOf(x, file, text, out);
  return out;
}

/** Completion everywhere an item can be written in `s.file`. */
function completeAllOver(s: Setting): void {
  const text = read(s.file);
  const a = analyze(s.file, text);
  const model = a.model!;
  assert.ok(model, s.file);
  originals.set(s.file, text);
  stats.files++;
  for (const m of model.members) {
    if (!m.role || m.role === 'header' || !m.initLoc || m.initLoc.file !== s.file) continue;
    const open = m.initLoc.start;
    const close = m.initLoc.end - 1;
    if (m.role !== 'cpus') {
      // New elements first and last in the section.
      const first = lineAfter(text, open);
      acceptAll(s, first.text, first.offset, `first in ${m.name}`);
      const last = lineBefore(text, close);
      if (last) acceptAll(s, last.text, last.offset, `last in ${m.name}`);
    } else {
      // A CPU word, retyped.
      const word = /^\{\s*([^,}\s]+)/.exec(text.slice(open));
      if (word) {
        const at = open + word[0].length - word[1].length;
        acceptAll(s, text.slice(0, at) + text.slice(at + word[1].length), at, `cpus word`);
      }
    }
    // The member's initializer written anew.
    let end = m.initLoc.end;
    while (/[\s,]/.test(text[end] ?? '') && text[end] !== '\n') end++;
    const ds = text.lastIndexOf('.', open);
    if (ds >= 0 && /^\.\s*\w+\s*=\s*$/.test(text.slice(ds, open))) {
      const cut = text.slice(0, ds) + text.slice(end);
      acceptAll(s, cut, ds, `member ${m.name} removed`, (e) => e.kind === 'member');
    }
  }
  for (const v of structsOf(model.value, s.file, text)) {
    // A new field line at the end of the struct.
    const last = lineBefore(text, v.loc!.end - 1);
    if (last) acceptAll(s, last.text, last.offset, `new field in ${v.type.kind === 'struct' ? v.type.name : ''}`, (e) => e.kind === 'field');
    // Each integer value retyped: constants, counts, signature and revision names.
    const fields = v.type.kind === 'struct' ? struct(v.type.name).fields : [];
    v.items.forEach((x, k) => {
      const loc = x?.kind === 'int' ? x.loc : undefined;
      if (!loc || loc.file !== s.file || !fields[k]) return;
      const blank = text.slice(0, loc.start) + text.slice(loc.end);
      acceptAll(s, blank, loc.start, `value of ${fields[k].name}`, (e) => e.kind === 'constant' || e.kind === 'value');
    });
  }
}

describe('what the editor writes compiles', () => {
  after(() => {
    const kinds = [...stats.kinds].map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`# insertions: ${stats.items} completion items accepted at ${stats.positions} positions in ${stats.files} files (${kinds}; ${stats.handEdits} say what to edit by hand); ${stats.fixes} quick fixes; ${gccJobs.length} sources for gcc; ${Date.now() - started} ms`);
  });

  const mini = (board?: Board): Setting[] => {
    const root = path.join(CELLS, 'mini-root.c');
    const demo = path.join(CELLS, 'mini-demo.c');
    const ra = analyze(root, read(root));
    const da = analyze(demo, read(demo));
    return [
      { file: demo, others: { root: ra, cells: [] }, board },
      { file: root, others: { cells: [da] }, board },
    ];
  };

  test('board items with a board (imx8mm-evk), and with the root cell as the board', () => {
    for (const s of [...mini(bundledBoard('imx8mm-evk')!), ...mini()]) completeAllOver(s);
    const x86 = path.join(CELLS, 'mini-x86.c');
    completeAllOver({ file: x86, others: { cells: [] }, board: bundledBoard('qemu-x86-q35')! });
    for (const k of ['field', 'constant', 'value', 'member', 'snippet', 'board element']) assert.ok(stats.kinds.get(k), `no ${k} item was accepted: ${[...stats.kinds.keys()]}`);
  });

  test('completion all over the rule fixtures (each file that brings a new shape)', () => {
    // Most fixtures are one system with one thing changed: a file is taken when it brings a
    // section, architecture or way of writing lengths and counts not seen yet.
    const seen = new Set<string>();
    const shape = (a: Analysis) =>
      a.model!.members.filter((m) => m.role).map((m) => {
        const text = a.files.get(a.file)!.text;
        const len = m.lengthLoc ? (/^\[?\s*\d+\s*\]?$/.test(text.slice(m.lengthLoc.start, m.lengthLoc.end)) ? 'n' : 'expr') : '-';
        return `${a.model!.arch}/${a.model!.kind}/${m.role}/${len}/${m.length !== undefined && m.initialized < m.length ? 'spare' : 'full'}`;
      });
    for (const name of fixtureNames()) {
      const dir = path.join(RULE_FIXTURES, name);
      for (const sys of loadFixture(dir)) {
        const all = [...(sys.root ? [sys.root] : []), ...sys.cells];
        for (const a of all) {
          if (!a.model || path.dirname(a.file) !== dir) continue;
          const keys = shape(a);
          if (keys.every((k) => seen.has(k))) continue;
          keys.forEach((k) => seen.add(k));
          const others = { root: a === sys.root ? undefined : sys.root, cells: sys.cells.filter((c) => c !== a) };
          completeAllOver({ file: a.file, others });
        }
      }
    }
  });

  test('every quick fix on the rule fixtures: re-checked, no new error', () => {
    for (const name of fixtureNames()) {
      const dir = path.join(RULE_FIXTURES, name);
      const systems = loadFixture(dir);
      const before = diagsOf(systems);
      for (const diag of before) {
        const sys = systems.find((s) => [s.root, ...s.cells].some((a) => a?.files.has(diag.loc.file)))!;
        for (const fix of fixesFor(diag, sys)) {
          const texts = new Map<string, string>();
          for (const file of new Set(fix.edits.map((e) => e.loc.file))) texts.set(file, applyEdits(read(file), file, fix.edits));
          const after = diagsOf(loadFixture(dir, hostWith(texts)));
          const fresh = newErrors(before, after);
          const what = `${name}: "${fix.title}" for ${diag.code}`;
          assert.ok(!fresh.length, `${what} leaves new errors:\n${fresh.map(errorKey).join('\n')}\n${[...texts.values()].join('\n----\n')}`);
          for (const [file, text] of texts) {
            originals.set(file, read(file));
            gccJobs.push({ file, text, what });
          }
          stats.fixes++;
        }
      }
    }
    assert.ok(stats.fixes > 0);
  });

  test('gcc accepts every result whose starting point it accepts', { skip: gccJobs === undefined }, (t) => {
    const base = [...originals].map(([file, text]) => ({ file, text, what: 'original' }));
    const rejectedBase = new Set((gccRejects(base) ?? []).map((r) => r.job.file));
    const jobs = gccJobs.filter((j) => !rejectedBase.has(j.file));
    const t0 = Date.now();
    const rejects = gccRejects(jobs);
    if (!rejects) {
      t.skip('gcc not installed');
      return;
    }
    t.diagnostic(`gcc judged ${jobs.length} sources (${rejectedBase.size} starting points it rejects left out) in ${Date.now() - t0} ms`);
    assert.ok(!rejects.length, `${rejects.length} rejected:\n${rejects.slice(0, 10).map((r) => `${r.job.what}\n${r.error}`).join('\n')}`);
  });
});
