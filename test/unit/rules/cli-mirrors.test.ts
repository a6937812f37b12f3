// `jhcell check` says each two-sided conflict once (the editor shows it on both sides) and
// names files one way in every format: relative to the working directory when under it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dropMirrors } from '../../../server/src/cli/mirrors';
import { displayPath } from '../../../server/src/cli/paths';
import type { Diag } from '../../../server/src/engine/diagnostics';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FX = path.join(ROOT, 'test/fixtures/rules');

function jhcell(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const loc = (file: string, start: number) => ({ file, start, end: start + 4 });
function diag(code: string, file: string, start: number, ...related: [string, number][]): Diag {
  return { code, severity: 'warning', message: `${code} at ${file}:${start}`, loc: loc(file, start), related: related.map(([f, s]) => ({ loc: loc(f, s), message: 'other' })) };
}

describe('dropMirrors', () => {
  it('keeps the first of two findings that point at each other', () => {
    const a = diag('cpu-shared', 'a.c', 10, ['b.c', 20]);
    const b = diag('cpu-shared', 'b.c', 20, ['a.c', 10]);
    assert.deepEqual(dropMirrors([a, b]), [a]);
    assert.deepEqual(dropMirrors([b, a]), [b]);
  });

  it('within one file too (two regions of one cell)', () => {
    const a = diag('memory-overlap', 'a.c', 10, ['a.c', 50]);
    const b = diag('memory-overlap', 'a.c', 50, ['a.c', 10]);
    assert.deepEqual(dropMirrors([a, b]), [a]);
  });

  it('keeps findings that are not mirrors: other rule, other place, one-sided, unrelated', () => {
    const a = diag('memory-overlap-cells', 'a.c', 10, ['b.c', 20]);
    const otherRule = diag('irq-shared', 'b.c', 20, ['a.c', 10]);
    const otherPlace = diag('memory-overlap-cells', 'b.c', 30, ['a.c', 10]);
    const oneSided = diag('memory-overlap-cells', 'b.c', 20, ['c.c', 5]);
    const plain = diag('alignment', 'a.c', 10);
    assert.deepEqual(dropMirrors([a, otherRule, otherPlace, oneSided, plain]), [a, otherRule, otherPlace, oneSided, plain]);
  });

  it('one region overlapping two: each pair said once', () => {
    const ab = diag('memory-overlap-cells', 'a.c', 10, ['b.c', 20]);
    const ac = diag('memory-overlap-cells', 'a.c', 10, ['c.c', 30]);
    const ba = diag('memory-overlap-cells', 'b.c', 20, ['a.c', 10]);
    const ca = diag('memory-overlap-cells', 'c.c', 30, ['a.c', 10]);
    assert.deepEqual(dropMirrors([ab, ac, ba, ca]), [ab, ac]);
  });
});

describe('displayPath', () => {
  const cwd = path.join(os.tmpdir(), 'proj');
  it('relative under the working directory, absolute outside, pseudo-names unchanged', () => {
    assert.equal(displayPath(path.join(cwd, 'configs/arm64/a.c'), cwd), path.join('configs', 'arm64', 'a.c'));
    assert.equal(displayPath('configs/a.c', cwd), path.join('configs', 'a.c'));
    assert.equal(displayPath(path.join(cwd, '..foo.c'), cwd), '..foo.c');
    assert.equal(displayPath(path.join(cwd, '../other/b.c'), cwd), path.join(os.tmpdir(), 'other', 'b.c'));
    assert.equal(displayPath('/elsewhere/c.c', cwd), path.resolve('/elsewhere/c.c'));
    assert.equal(displayPath(cwd, cwd), cwd);
    assert.equal(displayPath('<command line>', cwd), '<command line>');
  });
});

describe('jhcell check output', { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' }, () => {
  const dir = path.join(FX, 'memory-overlap-cells');

  it('text: each conflict between two cells once, with a note for the other cell, counted once', () => {
    const r = jhcell(ROOT, dir);
    const lines = r.out.trim().split('\n');
    const findings = lines.filter((l) => /: warning: .*\[memory-overlap-cells\]$/.test(l));
    assert.equal(findings.length, 2, r.out);
    for (const f of findings) {
      const i = lines.indexOf(f);
      const own = /^(.+?):/.exec(f)![1];
      const note = /^(.+?):\d+:\d+: note: /.exec(lines[i + 1]);
      assert.ok(note, `no note after ${f}`);
      assert.notEqual(note[1], own, 'the note names the other cell file');
    }
    assert.match(lines.at(-1)!, /^0 errors, 2 warnings in 3 files$/);
  });

  it('json and sarif: the same findings as text, the other place as related', () => {
    const j = JSON.parse(jhcell(ROOT, '--format', 'json', dir).out);
    const all = j.files.flatMap((f: { file: string; diagnostics: { code: string; related: { file: string }[] }[] }) => f.diagnostics.map((d) => ({ file: f.file, d })));
    assert.equal(all.length, 2);
    for (const { file, d } of all) {
      assert.equal(d.related.length, 1);
      assert.notEqual(d.related[0].file, file);
      assert.match(d.related[0].file, /^test\/fixtures\/rules\/memory-overlap-cells\/nimbus-(rtos|linux)\.c$/);
    }
    const s = JSON.parse(jhcell(ROOT, '--format', 'sarif', dir).out);
    const results = s.runs[0].results;
    assert.equal(results.length, 2);
    for (const res of results) {
      assert.equal(res.relatedLocations.length, 1);
      assert.notEqual(res.relatedLocations[0].physicalLocation.artifactLocation.uri, res.locations[0].physicalLocation.artifactLocation.uri);
    }
  });

  it('json names files as text does: relative under the working directory, absolute outside it', () => {
    const inside = jhcell(dir, '--format', 'json', '.');
    const text = jhcell(dir, '.');
    const jFiles = JSON.parse(inside.out).files.map((f: { file: string }) => f.file).sort();
    assert.deepEqual(jFiles, ['nimbus-linux.c', 'nimbus-rtos.c', 'nimbus.c']);
    assert.match(text.out, /^nimbus-(linux|rtos)\.c:\d+:\d+: warning: /m);
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'jhcell-cwd-'));
    const outside = JSON.parse(jhcell(away, '--format', 'json', dir).out);
    for (const f of outside.files) {
      assert.ok(path.isAbsolute(f.file), f.file);
      for (const d of f.diagnostics) for (const rel of d.related) assert.ok(path.isAbsolute(rel.file), rel.file);
    }
    const outsideText = jhcell(away, dir).out;
    assert.ok(outsideText.split('\n').filter((l) => l.includes(': warning: ')).every((l) => l.startsWith(dir + path.sep)), outsideText);
  });
});
