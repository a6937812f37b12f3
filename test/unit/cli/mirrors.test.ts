// The pairing of two-sided findings (cli/mirrors.ts) and the file naming (util/paths.ts) of
// `jhcell check`, in process; the command itself is in test/unit/rules/cli-mirrors.test.ts.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dropMirrors } from '../../../server/src/cli/mirrors';
import { displayPath } from '../../../server/src/util/paths';
import type { Diag } from '../../../server/src/core/diagnostics';

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
