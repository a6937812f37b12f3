// Grouping config files into systems, and the cell-set declaration.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildContext } from '../../../server/src/rules/context';
import { classify, groupSystems, loadSystems, parseDeclaration, type ConfigKind } from '../../../server/src/workspace';

const R = path.resolve('/ws');
const p = (f: string) => path.join(R, f);
const kinds = (m: Record<string, ConfigKind>) => (f: string) => m[path.relative(R, f)];
const names = (gs: ReturnType<typeof groupSystems>) =>
  gs.map((g) => `${g.root ? path.relative(R, g.root) : '-'}: ${g.cells.map((c) => path.relative(R, c)).sort().join(' ')}`).sort();

describe('classify', () => {
  it('tells system from cell configs, ignoring comments', () => {
    assert.equal(classify('struct {\n struct jailhouse_system header;'), 'system');
    assert.equal(classify('struct { struct jailhouse_cell_desc cell; }'), 'cell');
    assert.equal(classify('/* struct jailhouse_system */ struct jailhouse_cell_desc cell;'), 'cell');
    assert.equal(classify('int main(void) { return 0; }'), undefined);
  });
});

describe('groupSystems', () => {
  it('a folder with exactly one system owns all its cells', () => {
    const files = ['a/board.c', 'a/rtos.c', 'a/linux.c'];
    const g = groupSystems(files.map(p), kinds({ 'a/board.c': 'system', 'a/rtos.c': 'cell', 'a/linux.c': 'cell' }));
    assert.deepEqual(names(g), ['a/board.c: a/linux.c a/rtos.c']);
  });

  it('several systems in a folder: longest file-name prefix, then shared segments, else alone', () => {
    const m: Record<string, ConfigKind> = {
      'x/acme.c': 'system', 'x/acme-pro.c': 'system', 'x/acme-linux-demo.c': 'cell', 'x/acme-pro-linux-demo.c': 'cell',
      'x/zeta-x1-evm.c': 'system', 'x/zeta-x1-inmate-demo.c': 'cell', 'x/zeta-x2.c': 'system', 'x/tiny-demo.c': 'cell',
    };
    const g = groupSystems(Object.keys(m).map(p), kinds(m));
    assert.deepEqual(names(g), ['-: x/tiny-demo.c', 'x/acme-pro.c: x/acme-pro-linux-demo.c', 'x/acme.c: x/acme-linux-demo.c', 'x/zeta-x1-evm.c: x/zeta-x1-inmate-demo.c', 'x/zeta-x2.c: ']);
  });

  it('a declaration overrides folder and prefix', () => {
    const m: Record<string, ConfigKind> = { 'a/board.c': 'system', 'a/board-rtos.c': 'cell', 'b/other.c': 'system', 'b/other-linux.c': 'cell' };
    const { declaration, problems } = parseDeclaration(p('jailhouse-cells.json'), JSON.stringify({ systems: [{ root: 'a/board.c', cells: ['a/board-rtos.c', 'b/other-linux.c'], sets: [['a/board-rtos.c', 'b/other-linux.c']] }] }));
    assert.deepEqual(problems, []);
    const g = groupSystems(Object.keys(m).map(p), kinds(m), declaration);
    assert.deepEqual(names(g), ['a/board.c: a/board-rtos.c b/other-linux.c', 'b/other.c: ']);
    assert.deepEqual(g.find((x) => x.root === p('a/board.c'))!.sets, [[p('a/board-rtos.c'), p('b/other-linux.c')]]);
  });

  it('a declared root without cells keeps automatic cell discovery', () => {
    const m: Record<string, ConfigKind> = { 'a/board.c': 'system', 'a/board-rtos.c': 'cell' };
    const { declaration } = parseDeclaration(p('jailhouse-cells.json'), JSON.stringify({ systems: [{ root: 'a/board.c' }] }));
    assert.deepEqual(names(groupSystems(Object.keys(m).map(p), kinds(m), declaration)), ['a/board.c: a/board-rtos.c']);
  });
});

describe('parseDeclaration', () => {
  it('reports problems instead of throwing', () => {
    assert.match(parseDeclaration('/d.json', '{').problems[0].message, /not valid JSON/);
    assert.match(parseDeclaration('/d.json', '[]').problems[0].message, /"systems" array/);
    const r = parseDeclaration('/w/d.json', JSON.stringify({ version: 2, extra: 1, systems: [{ root: 'r.c', cells: ['c.c'], sets: [['c.c', 'x.c']], color: 1 }, { cells: [] }] }));
    const msgs = r.problems.map((x) => x.message).join('\n');
    assert.match(msgs, /unknown key "extra"/);
    assert.match(msgs, /unsupported version 2/);
    assert.match(msgs, /unknown key "color"/);
    assert.match(msgs, /set member x\.c is not among the system's cells/);
    assert.match(msgs, /systems\[1\]: "root" must be a path/);
    assert.equal(r.declaration!.systems[0].root, path.resolve('/w/r.c'));
  });

  it('cells default to the members of the sets', () => {
    const r = parseDeclaration('/w/d.json', JSON.stringify({ systems: [{ root: 'r.c', sets: [['a.c', 'b.c'], ['c.c']] }] }));
    assert.deepEqual(r.declaration!.systems[0].cells, ['/w/a.c', '/w/b.c', '/w/c.c'].map((f) => path.resolve(f)));
  });

  it('the shipped schema describes the fixture declarations', () => {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../schemas/jailhouse-cells.schema.json'), 'utf8'));
    const itemKeys = Object.keys(schema.properties.systems.items.properties).sort();
    assert.deepEqual(itemKeys, ['cells', 'root', 'sets']);
    const fx = path.resolve(__dirname, '../../fixtures/rules/cpu-shared-set/jailhouse-cells.json');
    const decl = JSON.parse(fs.readFileSync(fx, 'utf8'));
    for (const k of Object.keys(decl)) assert.ok(k in schema.properties, k);
    assert.deepEqual(parseDeclaration(fx, fs.readFileSync(fx, 'utf8')).problems, []);
  });
});

describe('loadSystems and pairing', () => {
  const FX = path.resolve(__dirname, '../../fixtures/rules');
  it('declared sets make pairs together or apart; no declaration leaves them unknown', () => {
    const pairing = (dir: string, decl: string | false) => {
      const ctx = buildContext(loadSystems([path.join(FX, dir)], { declaration: decl }).systems[0]);
      return ctx.pairing(ctx.cells[0], ctx.cells[1]);
    };
    assert.equal(pairing('memory-overlap-cells-set', path.join(FX, 'memory-overlap-cells-set/jailhouse-cells.json')), 'together');
    assert.equal(pairing('memory-overlap-cells-apart', path.join(FX, 'memory-overlap-cells-apart/jailhouse-cells.json')), 'apart');
    assert.equal(pairing('memory-overlap-cells', false), 'unknown');
  });

  it('a lone cell file brings its root and sibling cells; the declaration is found upwards', () => {
    const r = loadSystems([path.join(FX, 'cpu-shared-set', 'nimbus-rtos.c')]);
    assert.equal(r.systems.length, 1);
    assert.equal(path.basename(r.systems[0].root!.file), 'nimbus.c');
    assert.deepEqual(r.systems[0].cells.map((c) => path.basename(c.file)).sort(), ['nimbus-linux.c', 'nimbus-rtos.c']);
    assert.equal(r.systems[0].sets?.length, 1);
  });

  it('missing paths are reported', () => {
    assert.deepEqual(loadSystems([path.join(FX, 'nope.c')], { declaration: false }).missing, [path.join(FX, 'nope.c')]);
  });
});
