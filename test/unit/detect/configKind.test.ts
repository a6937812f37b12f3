// The one "is this a config?" detector (server/src/syntax/configKind.ts) and the places that
// must all give its answer: workspace discovery, the server's detection, the engine's
// missing-config diagnostic. Wrapper configs (`#define X` + `#include "cell.c"`) included.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import { isJailhouseConfig } from '../../../server/src/lsp/detect';
import { checkedKind, detectConfig, MAX_DEPTH, ownConfigKind, SCAN_LIMIT, treatAsConfig } from '../../../server/src/syntax/configKind';
import { classify, discoverSystems, loadSystems, type WorkspaceHost } from '../../../server/src/workspace';

const ROOT = path.resolve(__dirname, '../../..');
const FX = path.join(ROOT, 'test/fixtures/wrapper');
const fx = (f: string) => path.join(FX, f);
const disk = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);

/** In-memory files under /m (so tests need no disk). */
function mem(files: Record<string, string>) {
  const abs = (f: string) => path.resolve('/m', f);
  const map = new Map(Object.entries(files).map(([k, v]) => [abs(k), v]));
  const read = (f: string) => map.get(path.resolve(f));
  const host: WorkspaceHost = { readFile: read };
  return { abs, read, host, detect: (f: string) => detectConfig(abs(f), read(abs(f))!, read) };
}

const SYSTEM = 'struct {\n\tstruct jailhouse_system header;\n} config;\n';
const CELL = 'struct {\n\tstruct jailhouse_cell_desc cell;\n} config;\n';

describe('detectConfig', () => {
  it('a config declares its header member; the answer says where', () => {
    const m = mem({ 's.c': SYSTEM, 'c.c': CELL });
    const s = m.detect('s.c');
    assert.equal(s.kind, 'system');
    assert.equal(SYSTEM.slice(s.at!.start, s.at!.end), 'struct jailhouse_system header;');
    assert.deepEqual(s.via, []);
    assert.equal(m.detect('c.c').kind, 'cell');
  });

  it('commented-out members and mere mentions do not count; a `//` inside a string starts no comment', () => {
    const m = mem({
      'a.c': '/* struct jailhouse_system header; */\nint x;\n',
      'b.c': '// struct jailhouse_cell_desc cell;\n',
      'c.c': '#include <jailhouse/cell-config.h>\nvoid f(struct jailhouse_system *s);\n',
      'd.c': 'const char *u = "http://x";\nstruct { struct jailhouse_cell_desc cell; } config;\n',
    });
    for (const f of ['a.c', 'b.c', 'c.c']) assert.deepEqual(m.detect(f), { via: [], consulted: [] }, f);
    assert.equal(m.detect('d.c').kind, 'cell');
  });

  it('a wrapper config has the kind of the config it includes, at its #include', () => {
    const wrapper = '/* variant */\n#define USE_AARCH32\n#include "cell.c"\n';
    const m = mem({ 'cell.c': CELL, 'w.c': wrapper });
    const d = m.detect('w.c');
    assert.equal(d.kind, 'cell');
    assert.equal(wrapper.slice(d.at!.start, d.at!.end), '"cell.c"');
    assert.deepEqual(d.via, [m.abs('cell.c')]);
    assert.deepEqual(d.consulted, [m.abs('cell.c')]);
  });

  it('wrappers of wrappers up to MAX_DEPTH levels; deeper, in a cycle or unreadable: undecided, with the reason', () => {
    const files: Record<string, string> = { 'w0.c': SYSTEM };
    for (let i = 1; i <= MAX_DEPTH + 1; i++) files[`w${i}.c`] = `#define LEVEL_${i}\n#include "w${i - 1}.c"\n`;
    files['loop-a.c'] = '#include "loop-b.c"\n';
    files['loop-b.c'] = '#include "loop-a.c"\n';
    files['lost.c'] = '#define X\n#include "nowhere.c"\n';
    files['sub/up.c'] = '#include "../w0.c"\n';
    const m = mem(files);
    const deepest = m.detect(`w${MAX_DEPTH}.c`);
    assert.equal(deepest.kind, 'system');
    assert.equal(deepest.via.length, MAX_DEPTH);
    const tooDeep = m.detect(`w${MAX_DEPTH + 1}.c`);
    assert.equal(tooDeep.kind, undefined);
    assert.match(tooDeep.undecided!, new RegExp(`more than ${MAX_DEPTH} levels`));
    assert.match(m.detect('loop-a.c').undecided!, /cycle: loop-a\.c → loop-b\.c → loop-a\.c/);
    assert.match(m.detect('lost.c').undecided!, /"nowhere\.c" cannot be read/);
    assert.equal(m.detect('sub/up.c').kind, 'system', 'relative to the including file, as the compiler finds it');
  });

  it('a C file including C files that are no configs is no config (and no more than a few are read)', () => {
    const files: Record<string, string> = { 'util.c': 'int add(int a, int b) { return a + b; }\n' };
    files['test.c'] = Array.from({ length: 40 }, (_, i) => `#include "u${i}.c"\n`).join('') + '#include "util.c"\n';
    for (let i = 0; i < 40; i++) files[`u${i}.c`] = `int f${i};\n`;
    const m = mem(files);
    let reads = 0;
    const d = detectConfig(m.abs('test.c'), files['test.c'], (f) => (reads++, m.read(f)));
    assert.deepEqual({ kind: d.kind, undecided: d.undecided }, { kind: undefined, undecided: undefined });
    assert.ok(reads <= 16, `${reads} files read`);
  });

  it('never throws: a reader that fails is a file that cannot be read', () => {
    const d = detectConfig('/m/w.c', '#include "x.c"\n', () => {
      throw new Error('EACCES');
    });
    assert.match(d.undecided!, /cannot be read/);
  });

  it('looks at the first SCAN_LIMIT characters only', () => {
    assert.equal(ownConfigKind(`${' '.repeat(SCAN_LIMIT - 40)}struct jailhouse_system header;`)?.kind, 'system');
    assert.equal(ownConfigKind(`${' '.repeat(SCAN_LIMIT)}struct jailhouse_system header;`), undefined);
  });

  it('undecided files are checked (as cells), so the engine says why; configs keep their kind', () => {
    assert.equal(checkedKind({ kind: 'system', via: [], consulted: [] }), 'system');
    assert.equal(checkedKind({ undecided: 'x', via: [], consulted: [] }), 'cell');
    assert.equal(checkedKind({ via: [], consulted: [] }), undefined);
    assert.equal(treatAsConfig({ undecided: 'x', via: [], consulted: [] }), true);
    assert.equal(treatAsConfig({ via: [], consulted: [] }), false);
    const m = mem({ 'lost.c': '#define X\n#include "nowhere.c"\n' });
    const a = analyze(m.abs('lost.c'), m.read(m.abs('lost.c'))!, { readFile: m.read });
    assert.ok(a.diagnostics.some((d) => d.code === 'include' && /nowhere\.c/.test(d.message)), JSON.stringify(a.diagnostics));
  });
});

describe('every front end gives the detector\'s answer', () => {
  const files = fs.readdirSync(FX).filter((f) => f.endsWith('.c')).map(fx);
  const expected: Record<string, string | undefined> = { 'lynx.c': 'system', 'lynx-rtos.c': 'cell', 'lynx-rtos-odd.c': 'cell', 'lynx-selftest.c': undefined, 'lynx-util.c': undefined };

  it('the fixture folder: a system, a cell, its wrapper, and two plain C files', () => {
    for (const f of files) assert.equal(detectConfig(f, disk(f)!, disk).kind, expected[path.basename(f)], f);
  });

  it('the server counts the wrapper as a config, and not the C file including another', () => {
    const store = { read: disk };
    for (const f of files) assert.equal(isJailhouseConfig(disk(f)!, f, store), expected[path.basename(f)] !== undefined, f);
    assert.equal(isJailhouseConfig(disk(fx('lynx-rtos-odd.c'))!, fx('lynx-rtos-odd.c'), { read: () => undefined }), true, 'undecided counts (the engine reports the include)');
  });

  it('workspace discovery groups the wrapper as a cell of its system', () => {
    const groups = discoverSystems(files);
    const lynx = groups.find((g) => g.root === fx('lynx.c'));
    assert.deepEqual(lynx?.cells.map((c) => path.basename(c)).sort(), ['lynx-rtos-odd.c', 'lynx-rtos.c']);
    assert.ok(!groups.some((g) => g.cells.some((c) => /lynx-(selftest|util)\.c$/.test(c))));
  });

  it('workspace discovery checks a wrapper whose include is missing, and the engine says why', () => {
    const m = mem({ 'board.c': SYSTEM, 'board-demo.c': CELL, 'board-demo-variant.c': '#define V\n#include "board-demo-typo.c"\n' });
    const readDir = (d: string) => (path.resolve(d) === path.resolve('/m') ? ['board.c', 'board-demo.c', 'board-demo-variant.c'].map((name) => ({ name, dir: false })) : undefined);
    const r = loadSystems([path.resolve('/m')], { host: { ...m.host, readDir }, declaration: false });
    const variant = r.systems.flatMap((s) => s.cells).find((c) => c.file === m.abs('board-demo-variant.c'));
    assert.ok(variant, 'the undecided wrapper is checked');
    assert.ok(variant.diagnostics.some((d) => d.code === 'include' && /board-demo-typo\.c/.test(d.message)), JSON.stringify(variant.diagnostics));
  });

  it('classify is the detector on the file\'s own text', () => {
    for (const f of files) assert.equal(classify(disk(f)!), ownConfigKind(disk(f)!)?.kind, f);
    assert.equal(classify(disk(fx('lynx-rtos-odd.c'))!), undefined, 'a wrapper needs its include followed');
  });

  it('no second header regex anywhere in the sources', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && !p.endsWith(path.join('syntax', 'configKind.ts')) && /jailhouse_\(\??:?system\|cell_desc\)|struct\\s\+jailhouse_/.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(ROOT, p));
      }
    };
    walk(path.join(ROOT, 'server/src'));
    walk(path.join(ROOT, 'client/src'));
    assert.deepEqual(offenders, []);
  });
});
