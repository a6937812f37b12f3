// `jhcell check` says, per cell, which root it was checked with and why (a `note:` line, a
// `system` property in json and SARIF), and a cell without a root gets `system-root`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const HERON = 'test/fixtures/workspace/heron';

function jhcell(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('jhcell check: which root, and why', { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' }, () => {
  it('text: a note per cell (content, none), system-root on the lone cell, summary last', () => {
    const r = jhcell('--no-declaration', HERON);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.includes(`${HERON}/rtos.c: note: checked with root ${HERON}/heron-a.c (inferred from content: irqchip 0xfec00000, RAM inside root regions (1/1), other regions inside root regions (1/1), CPU 2 in the root, PCI 00:02.0 in the root)`), r.out);
    assert.ok(lines.includes(`${HERON}/lone.c: note: checked without a root cell: heron-a.c and heron-b.c fit about equally well (RAM inside root regions (1/1), CPU 3 in the root)`), r.out);
    assert.match(r.out, new RegExp(`^${HERON}/lone\\.c:10:2: information: checked without a root cell: heron-a\\.c and heron-b\\.c fit about equally well .*\\[system-root\\]$`, 'm'));
    assert.equal(lines.filter((l) => l.includes(': note: checked ')).length, 2, 'one note per cell, none for roots');
    assert.match(lines.at(-1)!, /^0 errors, 0 warnings, 1 note in 4 files$/);
  });

  it('files named together form one system', () => {
    const r = jhcell('--no-declaration', `${HERON}/heron-b.c`, `${HERON}/lone.c`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /lone\.c: note: checked with root test\/fixtures\/workspace\/heron\/heron-b\.c \(named together on the command line\)$/m);
    assert.doesNotMatch(r.out, /system-root/);
  });

  it('declared and folder say so', () => {
    const declared = jhcell('test/fixtures/rules/clean-arm64');
    assert.match(declared.out, /nimbus-rtos\.c: note: checked with root test\/fixtures\/rules\/clean-arm64\/nimbus\.c \(declared in jailhouse-cells\.json\)$/m);
    const folder = jhcell('test/fixtures/rules/clean-x86');
    assert.match(folder.out, /orca-demo\.c: note: checked with root test\/fixtures\/rules\/clean-x86\/orca\.c \(the only system config in its folder\)$/m);
  });

  it('json and sarif carry the system of every cell; system-root can be turned off', () => {
    const json = JSON.parse(jhcell('--no-declaration', '--format', 'json', HERON).out);
    const byName = (n: string) => json.files.find((f: { file: string }) => f.file.endsWith(n));
    assert.equal(byName('heron-a.c').system, undefined, 'roots have no system property');
    assert.deepEqual(byName('rtos.c').system.root, `${HERON}/heron-a.c`);
    assert.equal(byName('rtos.c').system.reason, 'content');
    assert.ok(byName('rtos.c').system.evidence.includes('irqchip 0xfec00000'));
    assert.deepEqual(byName('lone.c').system, {
      root: null,
      reason: 'none',
      candidates: [`${HERON}/heron-a.c`, `${HERON}/heron-b.c`],
      why: 'checked without a root cell: heron-a.c and heron-b.c fit about equally well (RAM inside root regions (1/1), CPU 3 in the root)',
    });
    assert.deepEqual(byName('lone.c').diagnostics.map((d: { code: string; severity: string }) => `${d.code}:${d.severity}`), ['system-root:information']);

    const sarif = JSON.parse(jhcell('--no-declaration', '--format', 'sarif', HERON).out);
    const run = sarif.runs[0];
    const cells = run.properties.cells as { artifactLocation: { uri: string }; system: { reason: string } }[];
    assert.deepEqual(cells.map((c) => `${c.artifactLocation.uri}:${c.system.reason}`).sort(), [`${HERON}/lone.c:none`, `${HERON}/rtos.c:content`]);
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'system-root');
    assert.equal(rule.defaultConfiguration.level, 'note');
    assert.match(rule.shortDescription.text, /checked without a root cell/);

    const off = jhcell('--no-declaration', '--severity', 'system-root=off', HERON);
    assert.equal(off.code, 0, off.err);
    assert.doesNotMatch(off.out, /\[system-root\]/);
    assert.match(off.out, /lone\.c: note: checked without a root cell/, 'the note stays: never silent');
  });
});
