// `jhcell check` on a folder with a wrapper config (the bundled CLI in a child process; needs
// `npm run build`): the wrapper's findings are reported on the wrapper, at its #include, with
// the included location as the note; plain C files are not counted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FX = 'test/fixtures/wrapper';

function jhcell(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('jhcell check with a wrapper config', { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' }, () => {
  it('text: the finding on the wrapper line, the included place as its note; three configs counted', () => {
    const r = jhcell(FX);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    const i = lines.findIndex((l) => l.startsWith(`${FX}/lynx-rtos-odd.c:7:10: error: In included lynx-rtos.c:45: region #1 "RAM" is page-mapped but phys_start 0x80000800`));
    assert.ok(i >= 0, r.out);
    assert.equal(lines[i + 1], `${FX}/lynx-rtos.c:45:18: note: here, as lynx-rtos-odd.c includes it`);
    assert.doesNotMatch(r.out, /lynx-(selftest|util)\.c/);
    assert.match(lines.at(-1)!, / in 3 files$/);
  });

  it('naming only the wrapper checks it with its system and reports the same', () => {
    const r = jhcell(`${FX}/lynx-rtos-odd.c`);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /lynx-rtos-odd\.c:7:10: error: In included lynx-rtos\.c:45: /);
  });

  it('json: the wrapper entry carries the finding, related to the included file', () => {
    const r = jhcell('--format', 'json', FX);
    const files = (JSON.parse(r.out) as { files: { file: string; diagnostics: { severity: string; message: string; related: { file: string }[] }[] }[] }).files;
    const wrapper = files.find((f) => f.file.endsWith('lynx-rtos-odd.c'));
    const err = wrapper?.diagnostics.find((d) => d.severity === 'error');
    assert.ok(err, r.out);
    assert.match(err.message, /^In included lynx-rtos\.c:45: /);
    assert.ok(err.related[0].file.endsWith('lynx-rtos.c'));
  });
});
