// Which code actions a range gets, before any LSP type: fixes of the diagnostics it touches,
// "fix all" per code (overlapping edits dropped, kind by `only`), the root marker, and nothing
// from another file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diag } from '../../../server/src/core/diagnostics';
import { planCodeActions, type PlannedAction } from '../../../server/src/features/codeActions';

const F = '/w/cell.c';
const diag = (code: string, start: number, end: number, file = F): Diag => ({ code, severity: 'warning', message: `${code} at ${start}`, loc: { file, start, end } });
interface Fix {
  title: string;
  preferred?: boolean;
  edits: { file: string; start: number; end: number; newText: string }[];
}
const fix = (title: string, start: number, end: number, preferred?: boolean): Fix => ({ title, preferred, edits: [{ file: F, start, end, newText: title }] });

/** Two `name` diagnostics with one fix each, one `cpu` with two fixes, a root diagnostic. */
const DIAGS = [diag('name', 10, 20), diag('name', 40, 50), diag('cpu', 60, 70), diag('system-root', 0, 5), diag('name', 10, 20, '/w/other.c')];
const FIXES = new Map<Diag, Fix[]>([
  [DIAGS[0], [fix('rename a', 10, 20)]],
  [DIAGS[1], [fix('rename b', 40, 50)]],
  [DIAGS[2], [fix('cpu x', 60, 70), fix('cpu y', 60, 70, true)]],
  [DIAGS[4], [fix('other file', 10, 20)]],
]);
const plan = (start: number, end: number, only?: string[]) => planCodeActions({ file: F, diags: DIAGS, start, end, only, fixesOf: (d) => FIXES.get(d) ?? [] });
const titles = (p: PlannedAction<Fix>[]) => p.map((a) => (a.type === 'fix' ? a.fix.title : a.type === 'fixAll' ? `${a.kind}: ${a.title}` : `root ${a.diag.code}`));

describe('code action plan', () => {
  it('a range on one diagnostic: its fixes, then fix-all per code of the file', () => {
    assert.deepEqual(titles(plan(12, 12)), ['rename a', "quickfix: Fix all 'name' problems in this file (2)"]);
  });

  it('every fix of a diagnostic in the range, each tied to its diagnostic', () => {
    const p = plan(65, 65);
    assert.deepEqual(titles(p), ['cpu x', 'cpu y', "quickfix: Fix all 'name' problems in this file (2)"]);
    assert.ok(p.every((a) => a.type !== 'fix' || a.diag === DIAGS[2]));
  });

  it('a range touching the ends of a diagnostic counts; one past does not', () => {
    assert.deepEqual(titles(plan(20, 30)).slice(0, 1), ['rename a']);
    assert.deepEqual(titles(plan(21, 30)), ["quickfix: Fix all 'name' problems in this file (2)"]);
  });

  it('a system-root diagnostic in the range is marked for the front end', () => {
    assert.deepEqual(titles(plan(0, 0)), ['root system-root', "quickfix: Fix all 'name' problems in this file (2)"]);
  });

  it('only source.fixAll: no quick fixes, no root marker, the fix-all as source.fixAll', () => {
    assert.deepEqual(titles(plan(0, 100, ['source.fixAll'])), ["source.fixAll: Fix all 'name' problems in this file (2)"]);
    assert.deepEqual(titles(plan(0, 100, ['source'])), ["source.fixAll: Fix all 'name' problems in this file (2)"]);
    assert.deepEqual(titles(plan(0, 100, ['refactor'])), []);
  });

  it('fix-all keeps the first of overlapping edits, sorted by position', () => {
    const d1 = diag('x', 0, 10);
    const d2 = diag('x', 5, 15);
    const d3 = diag('x', 30, 40);
    const fixes = new Map<Diag, Fix[]>([[d1, [fix('a', 0, 10)]], [d2, [fix('b', 5, 15)]], [d3, [fix('c', 30, 40)]]]);
    const p = planCodeActions({ file: F, diags: [d3, d1, d2], start: 100, end: 100, fixesOf: (d) => fixes.get(d) ?? [] });
    assert.equal(p.length, 1);
    const all = p[0];
    assert.ok(all.type === 'fixAll');
    assert.equal(all.title, "Fix all 'x' problems in this file (3)");
    assert.deepEqual(all.edits.map((e) => e.newText), ['a', 'c']);
  });

  it('fix-all takes the preferred fix of each diagnostic', () => {
    const d1 = diag('cpu', 0, 10);
    const d2 = diag('cpu', 20, 30);
    const fixes = new Map<Diag, Fix[]>([[d1, [fix('first', 0, 10), fix('best', 0, 10, true)]], [d2, [fix('only', 20, 30)]]]);
    const p = planCodeActions({ file: F, diags: [d1, d2], start: 100, end: 100, fixesOf: (d) => fixes.get(d) ?? [] });
    assert.deepEqual(p.flatMap((a) => (a.type === 'fixAll' ? a.edits.map((e) => e.newText) : [])), ['best', 'only']);
  });
});
