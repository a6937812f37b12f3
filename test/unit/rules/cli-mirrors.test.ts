// `jhcell check` says each two-sided conflict once (the editor shows it on both sides) and
// names files one way in every format: relative to the working directory when under it.
// (The pairing and naming functions alone: test/unit/cli/mirrors.test.ts.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FX = path.join(ROOT, 'test/fixtures/rules');

function jhcell(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

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
