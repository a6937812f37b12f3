// One folder walk and one file-size limit for the engine, `jhcell check` and the server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FileStore } from '../../../server/src/lsp/files';
import { findCFiles } from '../../../server/src/lsp/scan';
import { readSourceFile } from '../../../server/src/syntax/preprocessor';
import { MAX_SOURCE_BYTES } from '../../../server/src/util/source';
import { diskHost, expandPaths, walkCFiles } from '../../../server/src/workspace';

function tree(files: string[]): { dir: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-walk-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const rel = (dir: string, files: string[]) => files.map((f) => path.relative(dir, f));

describe('the folder walk', () => {
  // Created out of name order: the file system's own order must not decide what is found first.
  const names = ['z.c', 'm/b.c', 'a.c', 'm/a.c', 'build/gen.c', 'out/x.c', 'node_modules/p/x.c', '.git/y.c', 'readme.md'];

  it('finds .c files in name order, skipping generated and hidden folders', () => {
    const t = tree(names);
    try {
      const all = ['a.c', path.join('build', 'gen.c'), path.join('m', 'a.c'), path.join('m', 'b.c'), 'z.c'];
      assert.deepEqual(rel(t.dir, walkCFiles([t.dir], { maxDepth: 8 }).files), all);
      // `jhcell check <folder>` and the editor's scan walk alike; only the editor also skips build/.
      assert.deepEqual(rel(t.dir, expandPaths([t.dir]).files), all);
      assert.deepEqual(rel(t.dir, findCFiles([t.dir]).files), all.filter((f) => !f.startsWith('build')));
    } finally {
      t.dispose();
    }
  });

  it('reports where a bound stopped it, and keeps the first files by name', () => {
    const t = tree(names);
    try {
      const few = walkCFiles([t.dir], { maxDepth: 8, maxFiles: 2, skipAlso: ['build'] });
      assert.deepEqual(rel(t.dir, few.files), ['a.c', path.join('m', 'a.c')]);
      assert.equal(few.stoppedAt, 2);
      const shallow = walkCFiles([t.dir], { maxDepth: 0 });
      assert.deepEqual(rel(t.dir, shallow.files), ['a.c', 'z.c']);
      assert.deepEqual(rel(t.dir, shallow.tooDeep), ['build', 'm']);
      assert.equal(shallow.stoppedAt, undefined);
      assert.match(findCFiles([t.dir], 100, 0).notChecked!, /more than 0 levels deep were skipped \(1, e\.g\. .*m\)/);
    } finally {
      t.dispose();
    }
  });

  it('walks through the host it is given', () => {
    const dirs: Record<string, { name: string; dir: boolean }[]> = { '/v': [{ name: 'b.c', dir: false }, { name: 's', dir: true }], '/v/s': [{ name: 'a.c', dir: false }] };
    const host = { readFile: () => undefined, readDir: (d: string) => dirs[d] };
    assert.deepEqual(walkCFiles(['/v'], { maxDepth: 8 }, host).files, ['/v/b.c', path.join('/v/s', 'a.c')]);
  });
});

describe('the file-size limit', () => {
  const noDocs = { get: () => undefined } as unknown as TextDocuments<TextDocument>;

  it('is 16 MiB for the engine, the workspace and the server alike', () => {
    assert.equal(MAX_SOURCE_BYTES, 16 * 1024 * 1024);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-size-'));
    try {
      const sized = (name: string, size: number) => {
        const f = path.join(dir, name);
        const fd = fs.openSync(f, 'w');
        fs.ftruncateSync(fd, size); // sparse: no disk space used
        fs.closeSync(fd);
        return f;
      };
      const atLimit = sized('at.c', MAX_SOURCE_BYTES);
      const over = sized('over.c', MAX_SOURCE_BYTES + 1);
      assert.equal(readSourceFile(atLimit).text?.length, MAX_SOURCE_BYTES);
      assert.equal(diskHost.readFile(atLimit)?.length, MAX_SOURCE_BYTES);
      assert.equal(new FileStore(noDocs).read(atLimit)?.length, MAX_SOURCE_BYTES);
      assert.match(readSourceFile(over).error ?? '', /too large/);
      assert.equal(diskHost.readFile(over), undefined);
      assert.equal(new FileStore(noDocs).read(over), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
