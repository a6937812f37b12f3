// What the editor writes must compile: every completion item (field names, constants and
// values, wrapper members, section snippets, board devices / RAM / irqchips / PIO / CPUs) is
// accepted at positions all over the fixtures, every quick fix offered on the rule fixtures is
// applied, and the result is analysed again (and its system checked again): no new error. gcc,
// where installed, must accept every result whose starting point it accepted.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { boardCompletions } from '../../../server/src/features/boards/complete';
import { boardDiagnostics } from '../../../server/src/rules/boards/diagnostics';
import { boardFixes } from '../../../server/src/rules/boards/fixes';
import { bundledBoard } from '../../../server/src/boards/registry';
import type { Board } from '../../../server/src/boards/types';
import { analyze } from '../../../server/src/engine/analyze';
import type { Analysis } from '../../../server/src/core/analysis';
import { complete, type CompletionEntry } from '../../../server/src/features/completion';
import { Doc } from '../../../server/src/features/context';
import { elementsAround } from '../../../server/src/features/insert';
import { snippetDefaults, SNIPPETS } from '../../../server/src/features/snippets';
import type { AggValue, Value } from '../../../server/src/core/model';
import { applyEdits, checkSystem, fixesFor, type Diag, type System } from '../../../server/src/rules';
import { struct } from '../../../server/src/schema';
import { cursors } from '../../support/cursor';
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
  /** The file's text, when not the one on disk. */
  text?: string;
  /** The system the file belongs to, for the checks and for board items without a board. */
  others: { root?: Analysis; cells: Analysis[] };
  board?: Board;
}

function systemOf(s: Setting, a: Analysis): System {
  return a.model?.kind === 'system' ? { root: a, cells: s.others.cells } : { root: s.others.root, cells: [...s.others.cells, a] };
}

const isSnippet = (e: CompletionEntry) => SNIPPETS.some((x) => x.prefix === e.label);
const boardKind = (e: CompletionEntry) =>
  /^RAM · /.test(e.label) ? 'board RAM' : / irqchip · /.test(e.label) ? 'board irqchip' : / · ports /.test(e.label) ? 'board PIO' : 'board device';

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
    // Only snippet expansion adds the line's indentation in every client.
    if (item.insertText.includes('\n')) assert.ok(item.snippet, `${what}: a multi-line text must be a snippet`);
    assert.ok(!/^\s/.test(item.insertText.split('\n').pop()!), `${what}: written relative to its line`);
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
    const kind = item.kind === 'snippet' ? (isSnippet(item) ? 'snippet' : boardKind(item)) : item.kind;
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
  const text = s.text ?? read(s.file);
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
    // Irqchip items grant interrupts not granted yet: the fixtures grant them all.
    const [demo] = mini(bundledBoard('imx8mm-evk')!);
    completeAllOver({ ...demo, text: read(demo.file).replace('(1 << (29 + 32 - 32)) | (1 << (28 + 32 - 32))', '0') });
    completeAllOver({ file: x86, text: read(x86).replace('(1 << 3) | (1 << 4)', '0'), others: { cells: [] }, board: bundledBoard('qemu-x86-q35')! });
    for (const k of ['field', 'constant', 'value', 'member', 'snippet', 'board device', 'board RAM', 'board irqchip', 'board PIO']) {
      assert.ok(stats.kinds.get(k), `no ${k} item was accepted: ${[...stats.kinds.keys()]}`);
    }
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

});

describe('a new element fits its array', () => {
  const rootPath = path.join(CELLS, 'mini-root.c');
  const demoPath = path.join(CELLS, 'mini-demo.c');
  const demo = read(demoPath);
  const rootA = analyze(rootPath, read(rootPath));
  const board = bundledBoard('imx8mm-evk')!;
  const MARK = '\t\t/* communication region */';

  /** `text` with a new line before the comm region (and `typed` on it); the items there. */
  function itemsAt(text: string, typed = '') {
    assert.ok(text.includes(MARK));
    const { text: t, offsets: [offset] } = cursors(text.replace(MARK, `\t\t${typed}$0\n${MARK}`));
    const a = analyze(demoPath, t);
    const items = boardCompletions(new Doc(a, t), offset, { board, system: { root: rootA, cells: [a] } });
    return { text: t, offset, items };
  }
  const uart3 = (text: string, typed = '') => {
    const r = itemsAt(text, typed);
    const item = r.items.find((i) => i.label.startsWith('UART3 '));
    assert.ok(item, r.items.map((i) => i.label).join('\n'));
    return { ...r, item, out: applyCompletion(r.text, r.offset, item) };
  };
  const errors = (text: string) => {
    const a = analyze(demoPath, text);
    return [...checkSystem({ root: rootA, cells: [a] }).values()].flat().filter((d) => d.severity === 'error').map(errorKey);
  };

  test('UART3 into a full mem_regions[4]: relative indentation, declaration grown, no error', () => {
    const { item, out } = uart3(demo);
    const lines = item.insertText.split('\n');
    assert.equal(lines[0], '/* UART3 */ {');
    assert.equal(lines[1], '\t.phys_start = 0x30880000,');
    assert.equal(lines[lines.length - 1], '},');
    // Accepted on a line indented by two tabs: the body at three, as the elements around it.
    assert.match(out, /\n\t\t\/\* UART3 \*\/ \{\n\t\t\t\.phys_start = 0x30880000,\n/);
    assert.match(out, /\.flags = JAILHOUSE_MEM_READ \| JAILHOUSE_MEM_WRITE \|\n\t\t\t\tJAILHOUSE_MEM_IO,\n\t\t\},\n\t\t\/\* communication region/);
    assert.match(out, /struct jailhouse_memory mem_regions\[5\];/);
    assert.match(item.documentation ?? '', /_Also declares mem_regions with 5 elements\._$/);
    assert.deepEqual(errors(out), []);
  });

  test('the same result whatever part of the label is typed (every character of the word)', () => {
    const want = uart3(demo).out;
    for (let n = 1; n <= 'UART3'.length; n++) assert.equal(uart3(demo, 'UART3'.slice(0, n)).out, want, `typed ${'UART3'.slice(0, n)}`);
  });

  test('a snippet accepted after typing any part of its prefix (every character of jh-region)', () => {
    const accept = (typed: string) => {
      const { text: t, offsets: [offset] } = cursors(demo.replace(MARK, `\t\t${typed}$0\n${MARK}`));
      const item = complete(new Doc(analyze(demoPath, t), t), offset).find((i) => i.label === 'jh-region');
      assert.ok(item, typed);
      return applyCompletion(t, offset, item);
    };
    const want = accept('');
    assert.deepEqual(errors(want), []);
    for (let n = 1; n <= 'jh-region'.length; n++) assert.equal(accept('jh-region'.slice(0, n)), want, `typed ${'jh-region'.slice(0, n)}`);
  });

  test('a count written as the old length follows the declaration', () => {
    const text = demo.replace('.num_memory_regions = ARRAY_SIZE(config.mem_regions)', '.num_memory_regions = 4');
    const { out } = uart3(text);
    assert.match(out, /mem_regions\[5\];/);
    assert.match(out, /\.num_memory_regions = 5,/);
    assert.deepEqual(errors(out), []);
  });

  test('a plain-number macro of the file is grown at its definition', () => {
    const text = demo
      .replace('#include <jailhouse/cell-config.h>', '#include <jailhouse/cell-config.h>\n\n#define NUM_REGIONS 4')
      .replace('mem_regions[4]', 'mem_regions[NUM_REGIONS]')
      .replace('.num_memory_regions = ARRAY_SIZE(config.mem_regions)', '.num_memory_regions = NUM_REGIONS');
    const { out } = uart3(text);
    assert.match(out, /#define NUM_REGIONS 5\n/);
    assert.match(out, /mem_regions\[NUM_REGIONS\];/);
    assert.deepEqual(errors(out), []);
  });

  test('a length the item cannot grow: the item says why and what to write', () => {
    const shared = demo
      .replace('#include <jailhouse/cell-config.h>', '#include <jailhouse/cell-config.h>\n\n#define N 4')
      .replace('mem_regions[4]', 'mem_regions[N]')
      .replace('irqchips[1]', 'irqchips[N - 3]');
    const expr = demo.replace('mem_regions[4]', 'mem_regions[2 + 2]');
    for (const [text, why] of [[shared, /macro N, which is used elsewhere/], [expr, /declared as \[2 \+ 2\]/]] as const) {
      const { item } = uart3(text);
      assert.match(item.detail ?? '', /^needs a hand edit · /);
      assert.match(item.documentation ?? '', why);
      assert.match(item.documentation ?? '', /declare 5 by hand/);
      assert.ok(!(item.additionalEdits ?? []).some((e) => e.newText === '5'));
    }
  });

  test('room left in the array: the declaration stays', () => {
    const text = demo.replace('mem_regions[4]', 'mem_regions[6]');
    const { item, out } = uart3(text);
    assert.deepEqual(item.additionalEdits ?? [], []);
    assert.match(out, /mem_regions\[6\];/);
  });

  test('an element without a trailing comma before the new one gets one', () => {
    const text = demo.replace('\t\t\t\tJAILHOUSE_MEM_COMM_REGION,\n\t\t},\n\t},', '\t\t\t\tJAILHOUSE_MEM_COMM_REGION,\n\t\t}\n\t},');
    const { text: t, offsets: [offset] } = cursors(text.replace('\t},\n\n\t.irqchips', '\t\t$0\n\t},\n\n\t.irqchips'));
    const a = analyze(demoPath, t);
    const item = boardCompletions(new Doc(a, t), offset, { board, system: { root: rootA, cells: [a] } }).find((i) => i.label.startsWith('UART3 '))!;
    const out = applyCompletion(t, offset, item);
    assert.match(out, /JAILHOUSE_MEM_COMM_REGION,\n\t\t\},\n\t\t\/\* UART3 \*\//);
    assert.deepEqual(errors(out), []);
  });

  test('a region inserted before ivshmem regions moves shmem_regions_start with them', () => {
    const dir = path.join(RULE_FIXTURES, 'clean-arm64');
    const [sys] = loadFixture(dir);
    const file = path.join(dir, 'nimbus-rtos.c');
    const text = read(file);
    const { text: t, offsets: [offset] } = cursors(text.replace('.mem_regions = {', '.mem_regions = {\n\t\t$0'));
    const a = analyze(file, t);
    const item = complete(new Doc(a, t), offset).find((i) => i.label === 'jh-region')!;
    const out = applyCompletion(t, offset, item);
    assert.match(out, /\.shmem_regions_start = 1,/);
    assert.match(item.documentation ?? '', /moves the shmem_regions_start of PCI device "00:01\.0 ivshmem-net" to 1/);
    const after = analyze(file, out);
    const cells = sys.cells.map((c) => (c.file === file ? after : c));
    const found = [...checkSystem({ ...sys, cells }).values()].flat().filter((d) => d.code.startsWith('ivshmem'));
    assert.deepEqual(found.map(errorKey), []);
    // Written as an expression, the start is the user's to move: the item says so.
    const expr = t.replace('.shmem_regions_start = 0,', '.shmem_regions_start = 0 + 0,');
    const said = complete(new Doc(analyze(file, expr), expr), offset).find((i) => i.label === 'jh-region')!;
    assert.match(said.detail ?? '', /^needs a hand edit · /);
    assert.match(said.documentation ?? '', /move to 1: set its shmem_regions_start by hand/);
  });

  test('board quick fixes that add a device\'s region grow the array the same way', () => {
    const variants: [string, string][] = [
      ['literal', demo],
      ['count written as a number', demo.replace('.num_memory_regions = ARRAY_SIZE(config.mem_regions)', '.num_memory_regions = 4')],
      ['macro', demo.replace('#include <jailhouse/cell-config.h>', '#include <jailhouse/cell-config.h>\n#define NREG 4').replace('mem_regions[4]', 'mem_regions[NREG]')],
      ['room left', demo.replace('mem_regions[4]', 'mem_regions[5]')],
    ];
    for (const [what, text] of variants) {
      const a = analyze(demoPath, text);
      const diag = boardDiagnostics(a, { board, system: { root: rootA, cells: [a] } }).find((d) => d.code === 'board-device-uncovered');
      assert.ok(diag, what);
      const [fix] = boardFixes(diag, a);
      assert.ok(fix, what);
      let out = text;
      for (const e of [...fix.edits].sort((x, y) => y.start - x.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
      assert.deepEqual(errors(out), [], `${what}:\n${out}`);
      assert.equal(analyze(demoPath, out).model!.members.find((m) => m.role === 'mem_regions')!.length, 5, what);
      gccJobs.push({ file: demoPath, text: out, what: `board fix, ${what}` });
    }
  });

  test('every item is written relative to its line: its last line starts at the line\'s indentation', () => {
    const { items } = itemsAt(demo);
    assert.ok(items.length > 3);
    for (const i of items) assert.ok(!/^\s/.test(i.insertText.split('\n').pop()!), i.label);
  });
});

describe('excess elements', () => {
  const demoPath = path.join(CELLS, 'mini-demo.c');
  const demo = read(demoPath);
  const fixOf = (text: string) => {
    const a = analyze(demoPath, text);
    const diag = a.diagnostics.find((d) => /excess elements in array/.test(d.message));
    assert.ok(diag, a.diagnostics.map(errorKey).join('\n'));
    // Data travels through the LSP client as JSON.
    const viaJson = { ...diag, data: JSON.parse(JSON.stringify(diag.data)) };
    return { a, fixes: fixesFor(viaJson, { cells: [a] }) };
  };
  const applied = (text: string, fix: { edits: { loc: { file: string } }[] }) => applyEdits(text, demoPath, fix.edits as never);

  test('a literal length: the fix declares the elements given', () => {
    const text = demo.replace('mem_regions[4]', 'mem_regions[2]');
    const { fixes } = fixOf(text);
    assert.deepEqual(fixes.map((f) => f.title), ['Declare mem_regions[4]']);
    const out = applied(text, fixes[0]);
    assert.match(out, /mem_regions\[4\];/);
    assert.deepEqual(analyze(demoPath, out).diagnostics.filter((d) => d.severity === 'error').map(errorKey), []);
  });

  test('a count written as the old length and a macro length follow', () => {
    const counted = demo.replace('mem_regions[4]', 'mem_regions[3]').replace('.num_memory_regions = ARRAY_SIZE(config.mem_regions)', '.num_memory_regions = 3');
    let out = applied(counted, fixOf(counted).fixes[0]);
    assert.match(out, /mem_regions\[4\];[\s\S]*\.num_memory_regions = 4,/);
    const macro = demo.replace('#include <jailhouse/cell-config.h>', '#include <jailhouse/cell-config.h>\n#define NREG 1').replace('mem_regions[4]', 'mem_regions[NREG]');
    out = applied(macro, fixOf(macro).fixes[0]);
    assert.match(out, /#define NREG 4\n/);
    assert.deepEqual(analyze(demoPath, out).diagnostics.filter((d) => d.severity === 'error').map(errorKey), []);
  });

  test('a macro that stands for several elements counts as all of them', () => {
    const text = demo.replace('mem_regions[4]', 'mem_regions[5]').replace('\t\t/* communication region */', '\t\tJAILHOUSE_SHMEM_NET_REGIONS(0xbf000000, 0),\n\t\t/* communication region */');
    const { fixes } = fixOf(text);
    assert.deepEqual(fixes.map((f) => f.title), ['Declare mem_regions[8]']);
  });

  test('no fix for an array of the Jailhouse headers (pin_bitmap has four words)', () => {
    const text = demo.replace('0, 0, 0,\n\t\t\t},', '0, 0, 0, 0,\n\t\t\t},');
    assert.deepEqual(fixOf(text).fixes, []);
  });
});

test('the whole-file snippets of snippets/jailhouse-cell.json analyse clean and compile', (t) => {
  const file = JSON.parse(read(path.join(ROOT, 'snippets/jailhouse-cell.json'))) as Record<string, { prefix: string; body: string[] }>;
  const whole = Object.values(file).filter((s) => s.body[0].startsWith('#include'));
  assert.deepEqual(whole.map((s) => s.prefix).sort(), ['jh-cell', 'jh-system']);
  const jobs: GccJob[] = [];
  for (const s of whole) {
    const text = snippetDefaults(s.body.join('\n'));
    const f = path.join(CELLS, `${s.prefix}.c`);
    const errs = analyze(f, text).diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errs.map(errorKey), [], s.prefix);
    jobs.push({ file: f, text, what: s.prefix });
  }
  const rejects = gccRejects(jobs);
  if (!rejects) return t.skip('gcc not installed');
  assert.deepEqual(rejects.map((r) => `${r.job.what}: ${r.error}`), []);
});

test('the token count of a section equals the engine\'s, in every rule fixture', () => {
  let n = 0;
  for (const name of fixtureNames()) {
    const dir = path.join(RULE_FIXTURES, name);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.c'))) {
      const file = path.join(dir, f);
      const text = read(file);
      const a = analyze(file, text);
      if (!a.model || a.diagnostics.some((d) => d.code === 'syntax')) continue;
      const doc = new Doc(a, text);
      for (const m of a.model.members) {
        if (!m.role || m.role === 'header' || !m.initLoc || m.initLoc.file !== file) continue;
        // Inside the braces, right after the opening one.
        assert.equal(elementsAround(doc, m.initLoc.start + 1, m.initLoc.start + 1), m.initialized, `${name}/${f} ${m.name}`);
        n++;
      }
    }
  }
  assert.ok(n > 100, `${n} sections compared`);
});

// Last: every test above adds the sources it made.
test('gcc accepts every result whose starting point it accepts', (t) => {
  const base = [...originals].map(([file, text]) => ({ file, text, what: 'original' }));
  const rejectedBase = new Set((gccRejects(base) ?? []).map((r) => r.job.file));
  const jobs = gccJobs.filter((j) => !rejectedBase.has(j.file));
  const t0 = Date.now();
  const rejects = gccRejects(jobs);
  if (!rejects) {
    t.skip('gcc not installed');
    return;
  }
  const kinds = [...stats.kinds].map(([k, n]) => `${k} ${n}`).join(', ');
  t.diagnostic(`${stats.items} completion items accepted at ${stats.positions} positions in ${stats.files} files (${kinds}; ${stats.handEdits} say what to edit by hand); ${stats.fixes} quick fixes`);
  t.diagnostic(`gcc judged ${jobs.length} sources (${rejectedBase.size} starting points it rejects left out) in ${Date.now() - t0} ms; ${Date.now() - started} ms in all`);
  assert.ok(!rejects.length, `${rejects.length} rejected:\n${rejects.slice(0, 10).map((r) => `${r.job.what}\n${r.error}`).join('\n')}`);
});
