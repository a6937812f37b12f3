// Check Workspace's file walk: bounded, and it says what the bounds left out.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findCFiles } from '../../../server/src/lsp/scan';

function tree(files: string[]): { dir: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-scan-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('findCFiles', () => {
  it('finds the .c files, skipping build and hidden folders, and says nothing when it saw all', () => {
    const t = tree(['a.c', 'b.h', 'sub/c.c', 'node_modules/x.c', '.git/y.c', 'build/z.c']);
    try {
      const r = findCFiles([t.dir], 2);
      assert.deepEqual(r.files.map((f) => path.relative(t.dir, f)).sort(), ['a.c', path.join('sub', 'c.c')]);
      assert.equal(r.notChecked, undefined);
    } finally {
      t.dispose();
    }
  });

  it('past the file limit or the depth limit it says what was left out', () => {
    const t = tree(['a.c', 'b.c', 'c.c', 'd1/d2/d3/deep.c']);
    try {
      const many = findCFiles([t.dir], 2);
      assert.equal(many.files.length, 2);
      assert.match(many.notChecked!, /only the first 2 C files/);
      const deep = findCFiles([t.dir], 100, 2);
      assert.ok(!deep.files.some((f) => f.endsWith('deep.c')));
      assert.match(deep.notChecked!, /more than 2 levels deep were skipped \(1, e\.g\. .*d3\)/);
    } finally {
      t.dispose();
    }
  });
});
