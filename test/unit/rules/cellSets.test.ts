// Cell sets decide which cross-cell conflicts are reported. One pair of cells sharing CPU 3
// (fixture cpu-shared) under every reading of jailhouse-cells.json: nothing declared, one common
// set, different sets, and sets declared with a cell in none (it runs with the root alone, and
// cell-set says so). The schema text and docs/rules.md state the same rule.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkSystem } from '../../../server/src/rules';
import type { Diag } from '../../../server/src/rules';
import { loadSystems } from '../../../server/src/workspace';
import { FIXTURES, hostWith } from './harness';

const ROOT = path.resolve(__dirname, '../../..');

/** Findings of one fixture folder checked with `decl` as its jailhouse-cells.json (false: none). */
function check(fixture: string, decl: { cells?: string[]; sets?: string[][] } | false): Diag[] {
  const dir = path.join(FIXTURES, fixture);
  const file = path.join(dir, 'virtual-cells.json');
  const texts = new Map<string, string>();
  if (decl) texts.set(file, JSON.stringify({ version: 1, systems: [{ root: 'nimbus.c', ...decl }] }));
  const r = loadSystems([dir], { declaration: decl ? file : false, host: hostWith(texts) });
  assert.deepEqual(r.problems, []);
  assert.equal(r.systems.length, 1);
  return [...checkSystem(r.systems[0]).values()].flat();
}

const RTOS = 'nimbus-rtos.c';
const LINUX = 'nimbus-linux.c';
const of = (ds: Diag[], code: string) => ds.filter((d) => d.code === code).map((d) => `${path.basename(d.loc.file)}:${d.severity}`).sort();

describe('cell sets: one conflicting pair under every declaration', () => {
  it('nothing declared: warnings that say the two cannot run together', () => {
    const ds = check('cpu-shared', false);
    assert.deepEqual(of(ds, 'cpu-shared'), [`${LINUX}:warning`, `${RTOS}:warning`]);
    assert.ok(ds.filter((d) => d.code === 'cpu-shared').every((d) => /cannot run at the same time/.test(d.message)));
    assert.deepEqual(of(ds, 'cell-set'), []);
  });

  it('a declaration that lists cells but no sets says nothing about them: warnings, naming that file', () => {
    const ds = check('cpu-shared', { cells: [RTOS, LINUX] });
    assert.deepEqual(of(ds, 'cpu-shared'), [`${LINUX}:warning`, `${RTOS}:warning`]);
    assert.ok(ds.filter((d) => d.code === 'cpu-shared').every((d) => /declare cell sets in virtual-cells\.json if they are alternatives/.test(d.message)));
    assert.deepEqual(of(ds, 'cell-set'), []);
  });

  it('both in one set: errors', () => {
    const ds = check('cpu-shared', { sets: [[RTOS, LINUX]] });
    assert.deepEqual(of(ds, 'cpu-shared'), [`${LINUX}:error`, `${RTOS}:error`]);
    assert.deepEqual(of(ds, 'cell-set'), []);
  });

  it('in different sets: alternatives, nothing reported', () => {
    const ds = check('cpu-shared', { sets: [[RTOS], [LINUX]] });
    assert.deepEqual(of(ds, 'cpu-shared'), []);
    assert.deepEqual(of(ds, 'cell-set'), []);
  });

  it('sets declared, one cell listed in cells but in no set: it runs with the root alone, and an information finding says so', () => {
    const ds = check('cpu-shared', { cells: [RTOS, LINUX], sets: [[RTOS]] });
    assert.deepEqual(of(ds, 'cpu-shared'), []);
    assert.deepEqual(of(ds, 'cell-set'), [`${LINUX}:information`]);
    const info = ds.find((d) => d.code === 'cell-set')!;
    assert.match(info.message, /cell "nimbus-linux" is in none of the cell sets of virtual-cells\.json: it is checked as running with the root cell alone/);
    // On the cell's name, the line a user reads first.
    const text = fs.readFileSync(info.loc.file, 'utf8');
    assert.equal(text.slice(info.loc.start, info.loc.end), '"nimbus-linux"');
  });

  it('an empty list of sets: every cell runs alone, each gets the information finding', () => {
    const ds = check('cpu-shared', { cells: [RTOS, LINUX], sets: [] });
    assert.deepEqual(of(ds, 'cpu-shared'), []);
    assert.deepEqual(of(ds, 'cell-set'), [`${LINUX}:information`, `${RTOS}:information`]);
  });

  it('a set of its own says the same without the finding', () => {
    const ds = check('cpu-shared', { cells: [RTOS, LINUX], sets: [[RTOS], [LINUX]] });
    assert.deepEqual(of(ds, 'cell-set'), []);
  });
});

describe('cpu-root-empty: a cell always runs with the root', () => {
  it('one cell taking every root CPU is an error with or without a declaration, on the cell', () => {
    const decls: Parameters<typeof check>[1][] = [false, { sets: [[RTOS]] }, { cells: [RTOS], sets: [] }];
    for (const decl of decls) {
      const ds = check('cpu-root-empty-cell', decl);
      assert.deepEqual(of(ds, 'cpu-root-empty'), [`${RTOS}:error`], JSON.stringify(decl));
      assert.match(ds.find((d) => d.code === 'cpu-root-empty')!.message, /takes every CPU of root cell "nimbus-n4" \(0-3\)/);
    }
  });

  it('two cells in one set that take every root CPU together: one error on the root; undeclared or apart: none', () => {
    assert.deepEqual(of(check('cpu-root-empty-set', { sets: [[RTOS, LINUX]] }), 'cpu-root-empty'), ['nimbus.c:error']);
    assert.deepEqual(of(check('cpu-root-empty-set', false), 'cpu-root-empty'), []);
    assert.deepEqual(of(check('cpu-root-empty-set', { sets: [[RTOS], [LINUX]] }), 'cpu-root-empty'), []);
  });
});

describe('cell sets: schema and docs say the same', () => {
  it('both state that a cell in no set runs with the root alone', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/jailhouse-cells.schema.json'), 'utf8'));
    const sets: string = schema.properties.systems.items.properties.sets.description;
    const docs = fs.readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8').replace(/\s+/g, ' ');
    assert.match(sets, /in no set runs with the root cell alone/);
    assert.match(docs, /in no set runs with the root cell alone/);
    assert.match(sets, /cell-set/);
    assert.match(docs, /\[`cell-set`\]\(#cell-set\)/);
  });
});
