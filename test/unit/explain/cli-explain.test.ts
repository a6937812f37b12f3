// `jhcell explain` as a process: the JSON contract (0-based lines and LSP ranges, bigints as
// "0x…" strings, files as given), the fix applied through its ranges on a copy of the fixture,
// the log explained again (the address now mapped) and `jhcell check` finding no error; text
// with file:line links; standard input; usage and empty logs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { offsetAt } from '../../../server/src/util/source';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FX = path.join(ROOT, 'test/fixtures/explain');
const LOG = path.join(FX, 'kestrel.log');

function jhcell(cwd: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface EditJson {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

function apply(cwd: string, edits: EditJson[]) {
  const byFile = new Map<string, EditJson[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    const abs = path.resolve(cwd, file);
    const text = fs.readFileSync(abs, 'utf8');
    const sf = { path: abs, text };
    const offs = list.map((e) => ({ s: offsetAt(sf, e.range.start), e: offsetAt(sf, e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
    let out = text;
    for (const o of offs) out = out.slice(0, o.s) + o.t + out.slice(o.e);
    fs.writeFileSync(abs, out);
  }
}

describe('jhcell explain', { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' }, () => {
  it('json: the contract, and the fix written through its ranges makes the access legal', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jhcell-explain-'));
    fs.cpSync(path.join(FX, 'kestrel'), path.join(tmp, 'kestrel'), { recursive: true });
    fs.copyFileSync(LOG, path.join(tmp, 'console.log'));
    const r = jhcell(tmp, ['explain', '--format', 'json', 'console.log', 'kestrel']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.version, 1);
    assert.equal(j.events.length, 2);
    const [gpio, gic] = j.events;
    assert.equal(gpio.line, 1, '0-based line of the log');
    assert.equal(gpio.kind, 'mmio');
    assert.equal(gpio.address, '0x30890010');
    assert.equal(gpio.access, 'read');
    assert.equal(gpio.size, 4);
    assert.equal(gpio.cpu, 2);
    assert.deepEqual(gpio.cell, { name: 'kestrel-demo', file: path.join('kestrel', 'kestrel-demo.c'), how: 'named' });
    assert.deepEqual(gpio.covering, [{ file: path.join('kestrel', 'kestrel.c'), region: 2, name: 'GPIO3', cell: 'kestrel-k2' }]);
    assert.equal(gpio.device.name, 'GPIO3');
    assert.equal(gpio.device.start, '0x30890000');
    assert.match(gpio.message, /no region of the cell maps 0x30890010/);
    assert.equal(gpio.fixes.length, 1);
    assert.equal(gic.cell.name, 'kestrel-rtos');
    assert.match(gic.message, /GIC distributor/);
    assert.deepEqual(gic.fixes, []);

    apply(tmp, gpio.fixes[0].edits);
    const again = JSON.parse(jhcell(tmp, ['explain', '--format', 'json', 'console.log', 'kestrel']).out);
    assert.equal(again.events[0].covering[0].file, path.join('kestrel', 'kestrel-demo.c'), 'the cell maps the address now');
    assert.doesNotMatch(again.events[0].message, /no region of the cell/);
    assert.deepEqual(again.events[0].fixes, []);
    const check = jhcell(tmp, ['check', 'kestrel']);
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, /^0 errors, 0 warnings/m);
  });

  it('text: a block per event with file:line links; standard input as -', () => {
    const r = jhcell(ROOT, ['explain', '-', path.relative(ROOT, path.join(FX, 'kestrel'))], fs.readFileSync(LOG, 'utf8'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^<stdin>:2: Unhandled data read at 0x30890010\(4\)$/m);
    assert.match(r.out, /^ {2}test\/fixtures\/explain\/kestrel\/kestrel\.c:63:15: note: region 2 \(GPIO3\) of "kestrel-k2" covers it$/m);
    assert.match(r.out, /^ {4}test\/fixtures\/explain\/kestrel\/kestrel-demo\.c:49:1: insert$/m);
    assert.match(r.out, /^2 events explained/m);
  });

  it('--board: the board\'s device and the irqchip fixes; an unknown board is a usage error', () => {
    const r = jhcell(ROOT, ['explain', '--format', 'json', '--board', path.join(FX, 'kestrel-board.json'), LOG, path.join(FX, 'kestrel')]);
    assert.equal(r.code, 0, r.err);
    const gpio = JSON.parse(r.out).events[0];
    assert.deepEqual(gpio.device, { name: 'gpio@30890000', start: '0x30890000', size: '0x200', source: 'board kestrel-k2', interrupts: [42, 43] });
    assert.deepEqual(gpio.fixes.map((f: { title: string }) => f.title.replace(/ .*/, '')), ['Map', 'Grant', 'Grant']);
    const bad = jhcell(ROOT, ['explain', '--board', 'no-such-board', LOG, path.join(FX, 'kestrel')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown board 'no-such-board'/);
  });

  it('a log without hypervisor lines: said, exit 1; usage errors exit 2', () => {
    const r = jhcell(ROOT, ['explain', '-', path.join(FX, 'kestrel')], 'hello\nworld\n');
    assert.equal(r.code, 1);
    assert.match(r.err, /no hypervisor or driver line found in standard input/);
    assert.equal(jhcell(ROOT, ['explain', LOG]).code, 2);
    assert.equal(jhcell(ROOT, ['explain']).code, 2);
    assert.equal(jhcell(ROOT, ['explain', '--format', 'sarif', LOG, FX]).code, 2);
    const missing = jhcell(ROOT, ['explain', path.join(FX, 'nope.log'), FX]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read/);
  });
});
