// `jhcell check` as users run it: the bundled CLI in a child process (needs `npm run build`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FX = path.join(ROOT, 'test/fixtures/rules');

function jhcell(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const TEXT_LINE = /^(.+?):(\d+):(\d+): (error|warning|information|hint|note): (.+?)(?: \[([a-z0-9-]+)\])?$/;

describe('jhcell check', { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' }, () => {
  it('text: compiler-style lines, exit 1 on errors', () => {
    const r = jhcell(path.join(FX, 'cpu-shared-set'));
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    const diags = lines.filter((l) => TEXT_LINE.test(l) && !l.includes(': note: '));
    // One CPU shared by two cells: said once, at the first cell, the other one as its note.
    assert.equal(diags.length, 1);
    for (const l of diags) {
      const m = TEXT_LINE.exec(l)!;
      assert.equal(m[4], 'error');
      assert.equal(m[6], 'cpu-shared');
      assert.match(m[1], /nimbus-(rtos|linux)\.c$/);
    }
    assert.match(lines[1], /nimbus-rtos\.c:\d+:\d+: note: CPUs of cell "nimbus-rtos"$/);
    assert.match(lines.at(-1)!, /^1 error, 0 warnings in \d+ files?$/);
  });

  it('exit 0 when only warnings or nothing', () => {
    assert.equal(jhcell(path.join(FX, 'clean-arm64')).code, 0);
    const r = jhcell(path.join(FX, 'cpu-shared'));
    assert.equal(r.code, 0);
    assert.match(r.out, /warning: CPU 3 also belongs to cell "nimbus-(rtos|linux)" — these two cells cannot run at the same time/);
  });

  it('json: version 1, files, 0-based LSP ranges matching the text output', () => {
    const dir = path.join(FX, 'memory-overlap-cells');
    const j = JSON.parse(jhcell('--format', 'json', dir).out);
    assert.equal(j.version, 1);
    const text = jhcell(dir).out.split('\n').filter((l) => TEXT_LINE.test(l) && !l.includes(': note: '));
    const all = j.files.flatMap((f: { file: string; diagnostics: unknown[] }) => f.diagnostics.map((d) => ({ file: f.file, d })));
    assert.equal(all.length, text.length);
    for (const { file, d } of all) {
      // Relative to the working directory, as in the text output.
      assert.ok(!path.isAbsolute(file) && fs.existsSync(path.join(ROOT, file)), file);
      assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'related', 'severity']);
      const { line, character } = d.range.start;
      const expect = `${file}:${line + 1}:${character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
      assert.ok(text.includes(expect), expect);
      for (const rel of d.related) {
        assert.ok(typeof rel.file === 'string' && !path.isAbsolute(rel.file) && rel.range.start.line >= 0 && rel.message);
      }
    }
  });

  it('sarif: 2.1.0 with rules, results and levels', () => {
    const r = jhcell('--format=sarif', path.join(FX, 'alignment'));
    assert.equal(r.code, 1);
    const s = JSON.parse(r.out);
    assert.equal(s.version, '2.1.0');
    const run = s.runs[0];
    assert.equal(run.tool.driver.name, 'jhcell');
    // alignment (error and warning), memory-subpage-root (warning: the sub-page RAM lies in a page the root maps whole)
    assert.deepEqual(run.results.map((x: { level: string }) => x.level).sort(), ['error', 'warning', 'warning']);
    for (const res of run.results) {
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uri, 'test/fixtures/rules/alignment/nimbus-rtos.c');
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/\/.*\/$/);
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
  });

  it('--severity overrides and switches off', () => {
    const off = jhcell('--severity', 'cpu-shared=off', path.join(FX, 'cpu-shared-set'));
    assert.equal(off.code, 0);
    // The finding id (the folder is named cpu-shared-set too, and notes name files).
    assert.doesNotMatch(off.out, /\[cpu-shared\]/);
    const up = jhcell('--severity', 'memory-overlap-cells=error', path.join(FX, 'memory-overlap-cells'));
    assert.equal(up.code, 1);
    assert.match(up.out, /: error: .*\[memory-overlap-cells\]/);
    const down = jhcell('--severity=alignment=hint', path.join(FX, 'alignment'));
    assert.equal(down.code, 0);
    assert.match(down.out, /: hint: .*\[alignment\]/);
  });

  it('a single cell file pulls in its system', () => {
    const r = jhcell(path.join(FX, 'cpu-not-in-root', 'nimbus-linux.c'));
    assert.equal(r.code, 1);
    assert.match(r.out, /nimbus-linux\.c:\d+:\d+: error: CPU 4 is not in root cell "nimbus-n4"/);
  });

  it('usage errors exit 2', () => {
    assert.equal(jhcell('--format', 'xml', FX).code, 2);
    assert.equal(jhcell('--severity', 'no-such-rule=error', FX).code, 2);
    assert.equal(jhcell('--severity', 'cpu-shared=loud', FX).code, 2);
    assert.equal(jhcell().code, 2);
    const missing = jhcell(path.join(FX, 'does-not-exist'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read/);
  });
});
