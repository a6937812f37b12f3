// Every way a cell finds its root (declared, explicit, folder, prefix, content) or does not
// (none, with the system-root diagnostic and the declaration it can write), never silently.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import type { ConfigModel } from '../../../server/src/core/model';
import {
  CLEAR_MARGIN,
  declareCell,
  groupByContent,
  groupingLine,
  groupSystems,
  inferRoot,
  loadSystems,
  parseDeclaration,
  rootDiagnostics,
  scoreRoot,
  type ConfigKind,
  type SystemRootData,
} from '../../../server/src/workspace';

const HERON = path.resolve(__dirname, '../../fixtures/workspace/heron');
const h = (f: string) => path.join(HERON, f);
const text = (f: string) => fs.readFileSync(h(f), 'utf8');
const modelOf = (f: string, t = text(f)): ConfigModel => {
  const m = analyze(h(f), t, {}).model;
  assert.ok(m, `${f} has a model`);
  return m;
};
const systemOf = (systems: ReturnType<typeof loadSystems>['systems'], cell: string) => systems.find((s) => s.cells.some((c) => c.file === h(cell)))!;

describe('grouping reasons from names', () => {
  const R = path.resolve('/ws');
  const p = (f: string) => path.join(R, f);
  const kinds = (m: Record<string, ConfigKind>) => (f: string) => m[path.relative(R, f)];

  it('folder, prefix, shared segments, declared and none each say so', () => {
    const m: Record<string, ConfigKind> = {
      'a/board.c': 'system', 'a/rtos.c': 'cell',
      'x/acme.c': 'system', 'x/acme-linux.c': 'cell', 'x/zeta-x1-evm.c': 'system', 'x/zeta-x1-demo.c': 'cell', 'x/tiny.c': 'cell', 'y/decl.c': 'cell',
    };
    const { declaration } = parseDeclaration(p('jailhouse-cells.json'), JSON.stringify({ systems: [{ root: 'a/board.c', cells: ['a/rtos.c', 'y/decl.c'] }] }));
    const groups = groupSystems(Object.keys(m).map(p), kinds(m), declaration);
    const reasonOf = (f: string) => groups.find((g) => g.cells.includes(p(f)))!.grouping[p(f)];
    assert.deepEqual(reasonOf('a/rtos.c'), { reason: 'declared' });
    assert.deepEqual(reasonOf('y/decl.c'), { reason: 'declared' });
    assert.deepEqual(reasonOf('x/zeta-x1-demo.c'), { reason: 'prefix' });
    assert.deepEqual(reasonOf('x/acme-linux.c'), { reason: 'prefix' });
    const alone = groupSystems([p('a/board.c'), p('a/rtos.c')], kinds(m));
    assert.deepEqual(alone[0].grouping, { [p('a/rtos.c')]: { reason: 'folder' } });
    // A declared root still counts as a system config of its folder: an unlisted cell next to
    // it and another system is not "the only system config in its folder"'s.
    const two: Record<string, ConfigKind> = { 'b/one.c': 'system', 'b/two.c': 'system', 'b/listed.c': 'cell', 'b/odd.c': 'cell' };
    const d2 = parseDeclaration(p('jailhouse-cells.json'), JSON.stringify({ systems: [{ root: 'b/one.c', cells: ['b/listed.c'] }] })).declaration;
    const g2 = groupSystems(Object.keys(two).map(p), kinds(two), d2);
    assert.equal(g2.find((g) => g.cells.includes(p('b/odd.c')))!.grouping[p('b/odd.c')].reason, 'none');
    const none = reasonOf('x/tiny.c');
    assert.equal(none.reason, 'none');
    assert.ok(none.candidates!.includes(p('x/zeta-x1-evm.c')));
  });
});

describe('root by content', () => {
  it('scores the root whose RAM, irqchip, CPUs and devices the cell uses', () => {
    const rtos = modelOf('rtos.c');
    const a = scoreRoot(rtos, modelOf('heron-a.c'), h('heron-a.c'));
    const b = scoreRoot(rtos, modelOf('heron-b.c'), h('heron-b.c'));
    assert.ok(!('excluded' in a) && !('excluded' in b));
    assert.deepEqual(a.against, []);
    assert.ok(a.evidence.includes('irqchip 0xfec00000'), a.evidence.join());
    assert.ok(a.evidence.includes('RAM inside root regions (1/1)'));
    assert.ok(a.evidence.includes('PCI 00:02.0 in the root'));
    assert.ok(b.against.includes('RAM outside the root\'s (1/1)'), b.against.join());
    assert.ok(b.against.includes('PCI 00:02.0 not in the root'));
    assert.ok(a.score - b.score >= CLEAR_MARGIN);
    const inf = inferRoot(rtos, [{ file: h('heron-b.c'), model: modelOf('heron-b.c') }, { file: h('heron-a.c'), model: modelOf('heron-a.c') }]);
    assert.equal(inf.root, h('heron-a.c'));
    assert.deepEqual(inf.scores.map((s) => s.root), [h('heron-a.c'), h('heron-b.c')]);
  });

  it('another architecture is excluded, however well it fits', () => {
    const armA = modelOf('heron-a.c', text('heron-a.c').replace('JAILHOUSE_X86', 'JAILHOUSE_ARM64'));
    const s = scoreRoot(modelOf('rtos.c'), armA, h('heron-a.c'));
    assert.ok('excluded' in s && /architecture arm64, the cell is x86/.test(s.excluded));
    const inf = inferRoot(modelOf('rtos.c'), [{ file: h('heron-a.c'), model: armA }, { file: h('heron-b.c'), model: modelOf('heron-b.c') }]);
    assert.equal(inf.root, undefined, 'heron-b alone has no positive score');
    assert.deepEqual(inf.excluded.map((e) => e.root), [h('heron-a.c')]);
  });

  it('a tie, a lead below the margin or no positive evidence decides nothing', () => {
    const lone = modelOf('lone.c');
    const both = [{ file: h('heron-a.c'), model: modelOf('heron-a.c') }, { file: h('heron-b.c'), model: modelOf('heron-b.c') }];
    const tie = inferRoot(lone, both);
    assert.equal(tie.root, undefined);
    assert.equal(tie.scores[0].score, tie.scores[1].score);
    // Alone, a positive score decides; with its CPU and RAM outside the root it does not.
    assert.equal(inferRoot(lone, both.slice(0, 1)).root, h('heron-a.c'));
    const outside = modelOf('lone.c', text('lone.c').replace('0x8,', '0x100,').replace('0x30000000', '0x50000000'));
    assert.equal(inferRoot(outside, both.slice(0, 1)).root, undefined);
    assert.equal(inferRoot(lone, [{ file: h('gone.c') }]).excluded[0].why, 'could not be read');
  });

  it('groupByContent moves only cells the names left without a root, and leaves its input alone', () => {
    const files = ['heron-a.c', 'heron-b.c', 'rtos.c', 'lone.c'].map(h);
    const kinds: Record<string, ConfigKind> = { 'heron-a.c': 'system', 'heron-b.c': 'system', 'rtos.c': 'cell', 'lone.c': 'cell' };
    const named = groupSystems(files, (f) => kinds[path.basename(f)]);
    const before = JSON.stringify(named);
    const groups = groupByContent(named, (f) => modelOf(path.basename(f)));
    assert.equal(JSON.stringify(named), before);
    const a = groups.find((g) => g.root === h('heron-a.c'))!;
    assert.deepEqual(a.cells, [h('rtos.c')]);
    assert.equal(a.grouping[h('rtos.c')].reason, 'content');
    const lone = groups.find((g) => g.cells.includes(h('lone.c')))!;
    assert.equal(lone.root, undefined);
    assert.deepEqual(lone.grouping[h('lone.c')].candidates!.sort(), [h('heron-a.c'), h('heron-b.c')]);
    assert.match(lone.grouping[h('lone.c')].why!, /heron-a\.c and heron-b\.c fit about equally well/);
  });
});

describe('loadSystems: content and explicit files', () => {
  it('a folder: rtos by content, lone without a root and a system-root diagnostic on its header', () => {
    const { systems } = loadSystems([HERON], { declaration: false });
    const rtos = systemOf(systems, 'rtos.c');
    assert.equal(rtos.root?.file, h('heron-a.c'));
    assert.equal(rtos.grouping![h('rtos.c')].reason, 'content');
    const lone = systemOf(systems, 'lone.c');
    assert.equal(lone.root, undefined);
    assert.deepEqual(rootDiagnostics(rtos), []);
    const [d] = rootDiagnostics(lone);
    assert.equal(d.code, 'system-root');
    assert.equal(d.severity, 'information');
    assert.match(d.message, /^checked without a root cell: heron-a\.c and heron-b\.c fit about equally well/);
    assert.equal(text('lone.c').slice(d.loc.start, d.loc.end), 'struct jailhouse_cell_desc cell');
    assert.deepEqual((d.data as SystemRootData).candidates.sort(), [h('heron-a.c'), h('heron-b.c')]);
    assert.deepEqual(rootDiagnostics(lone, { 'system-root': 'off' }), []);
    assert.equal(rootDiagnostics(lone, { 'system-root': 'warning' })[0].severity, 'warning');
  });

  it('files named together form one system, over content; not with two roots named', () => {
    const one = loadSystems([h('heron-b.c'), h('rtos.c')], { declaration: false });
    const sys = systemOf(one.systems, 'rtos.c');
    assert.equal(sys.root?.file, h('heron-b.c'));
    assert.deepEqual(sys.grouping![h('rtos.c')], { reason: 'explicit' });
    const lone = systemOf(loadSystems([h('heron-b.c'), h('lone.c')], { declaration: false }).systems, 'lone.c');
    assert.equal(lone.root?.file, h('heron-b.c'));
    const two = loadSystems([h('heron-a.c'), h('heron-b.c'), h('lone.c')], { declaration: false });
    assert.equal(systemOf(two.systems, 'lone.c').root, undefined);
    assert.equal(systemOf(two.systems, 'lone.c').grouping![h('lone.c')].reason, 'none');
  });

  it('a cell named alone still meets its root by content', () => {
    const { systems } = loadSystems([h('rtos.c')], { declaration: false });
    assert.equal(systems.length, 1);
    assert.equal(systems[0].root?.file, h('heron-a.c'));
  });
});

describe('declareCell: the quick fix text', () => {
  const decl = '/ws/jailhouse-cells.json';
  const parse = (t: string) => parseDeclaration(decl, t);

  it('creates a declaration, adds to an existing root entry, or appends a new one, keeping the rest', () => {
    const created = declareCell(decl, undefined, '/ws/b/board.c', '/ws/b/lone.c')!;
    assert.deepEqual(JSON.parse(created), { version: 1, systems: [{ root: 'b/board.c', cells: ['b/lone.c'] }] });
    const existing = JSON.stringify({ $schema: './s.json', version: 1, systems: [{ root: 'x/other.c', sets: [['x/o1.c']] }, { root: 'b/board.c', cells: ['b/rtos.c'] }] });
    const added = JSON.parse(declareCell(decl, existing, '/ws/b/board.c', '/ws/b/lone.c')!);
    assert.equal(added.$schema, './s.json');
    assert.deepEqual(added.systems[0], { root: 'x/other.c', sets: [['x/o1.c']] });
    assert.deepEqual(added.systems[1].cells, ['b/rtos.c', 'b/lone.c']);
    const appended = JSON.parse(declareCell(decl, existing, '/ws/c/new.c', '/ws/b/lone.c')!);
    assert.deepEqual(appended.systems[2], { root: 'c/new.c', cells: ['b/lone.c'] });
    // Sets only: the cells become the sets' members plus the new one.
    assert.deepEqual(JSON.parse(declareCell(decl, existing, '/ws/x/other.c', '/ws/b/lone.c')!).systems[0].cells, ['x/o1.c', 'b/lone.c']);
    // Cells found automatically are written out, so declaring one does not drop the others.
    const auto = JSON.parse(declareCell(decl, JSON.stringify({ systems: [{ root: 'b/board.c' }] }), '/ws/b/board.c', '/ws/b/lone.c', ['/ws/b/board-demo.c'])!);
    assert.deepEqual(auto.systems[0].cells, ['b/board-demo.c', 'b/lone.c']);
    assert.equal(declareCell(decl, '{ not json', '/ws/b/board.c', '/ws/b/lone.c'), undefined);
    for (const t of [created, JSON.stringify(added)]) assert.deepEqual(parse(t).problems, []);
    // Idempotent: a cell already listed is not listed twice.
    assert.equal(declareCell(decl, created, '/ws/b/board.c', '/ws/b/lone.c'), created);
  });

  it('after writing it the next check groups the cell with the chosen root (declared)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-grouping-'));
    try {
      for (const f of fs.readdirSync(HERON)) fs.copyFileSync(h(f), path.join(dir, f));
      const declFile = path.join(dir, 'jailhouse-cells.json');
      fs.writeFileSync(declFile, declareCell(declFile, undefined, path.join(dir, 'heron-b.c'), path.join(dir, 'lone.c'))!);
      const { systems, problems } = loadSystems([dir]);
      assert.deepEqual(problems, []);
      const lone = systems.find((s) => s.cells.some((c) => c.file === path.join(dir, 'lone.c')))!;
      assert.equal(lone.root?.file, path.join(dir, 'heron-b.c'));
      assert.equal(lone.grouping![path.join(dir, 'lone.c')].reason, 'declared');
      assert.deepEqual(rootDiagnostics(lone), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('groupingLine: what the user reads', () => {
  it('one sentence per reason', () => {
    assert.equal(groupingLine({ reason: 'declared' }, '/w/b.c', '/w/jailhouse-cells.json'), 'checked with root b.c (declared in jailhouse-cells.json)');
    assert.equal(groupingLine({ reason: 'explicit' }, '/w/b.c'), 'checked with root b.c (named together on the command line)');
    assert.equal(groupingLine({ reason: 'folder' }, '/w/b.c'), 'checked with root b.c (the only system config in its folder)');
    assert.equal(groupingLine({ reason: 'prefix' }, '/w/b.c'), 'checked with root b.c (file name prefix)');
    assert.equal(groupingLine({ reason: 'content', evidence: ['irqchip 0xfec00000', 'RAM inside root regions (1/1)'] }, '/w/b.c'), 'checked with root b.c (inferred from content: irqchip 0xfec00000, RAM inside root regions (1/1))');
    assert.equal(groupingLine({ reason: 'none', why: 'x and y fit about equally well' }, undefined), 'checked without a root cell: x and y fit about equally well');
    assert.equal(groupingLine({ reason: 'none' }, undefined), 'checked without a root cell: no system configuration was found for it');
  });
});
