// `jailhouse/diffConfig` over real JSON-RPC against the bundled server: the editor's unsaved
// text against the saved file, against git HEAD (the default when nothing is unsaved), against
// another revision and a compiled image; locations with URIs where the editor shows the text.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeConfig } from '../../server/src/binary/encode';
import { analyzeFile } from '../../server/src/engine/analyze';
import { read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

interface Loc {
  file: string;
  line: number;
  uri?: string;
  range?: { start: { line: number } };
}
interface Answer {
  against?: string;
  a?: string;
  b?: string;
  text?: string;
  changes?: { resource: string; change: string; subject: string; text: string; a?: Loc; b?: Loc }[];
  equal?: boolean;
  bytesEqual?: boolean;
  notes?: string[];
  error?: string;
}

const haveGit = spawnSync('git', ['--version']).status === 0;

describe('jailhouse/diffConfig', { skip: haveGit ? false : 'git not installed' }, () => {
  let server: Server;
  let scratch: { dir: string; dispose(): void };
  let file: string;
  let uri: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: scratch.dir, encoding: 'utf8' });
  before(async () => {
    scratch = scratchCopy(path.join(ROOT, 'test/fixtures/diff'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'fixtures');
    server = await startServer({ rootDir: scratch.dir });
    file = path.join(scratch.dir, 'arm64-kestrel-rtos.c');
    uri = uriOf(file);
  });
  after(async () => {
    await server?.stop();
    scratch?.dispose();
  });

  const ask = (params: Record<string, unknown>) => server.conn.sendRequest('jailhouse/diffConfig', params) as Promise<Answer>;

  it('nothing unsaved, nothing committed since: compared with HEAD, equal', async () => {
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: read(file) } });
    const r = await ask({ uri });
    assert.equal(r.error, undefined);
    assert.equal(r.against, 'HEAD');
    assert.equal(r.equal, true);
    assert.equal(r.bytesEqual, true);
    assert.match(r.text ?? '', /no differences in resources; the images are byte-identical\n$/);
  });

  it('an unsaved edit: compared with the saved file; the change links to the edited line', async () => {
    const text = read(file).replace('.size = 0x1000000,', '.size = 0x2000000,');
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    const r = await ask({ uri });
    assert.equal(r.against, 'the saved file');
    assert.equal(r.a, 'arm64-kestrel-rtos.c (saved)');
    assert.equal(r.b, 'arm64-kestrel-rtos.c (editor)');
    assert.deepEqual(r.changes?.map((c) => `${c.resource}: ${c.text}`), ['memory: region "RAM" 0xb0000000: size 0x1000000 → 0x2000000 (16 MiB → 32 MiB)']);
    const c = r.changes![0];
    assert.equal(c.b?.uri, uri);
    assert.match(text.split('\n')[c.b!.range!.start.line], /\/\* RAM \*\//);
    // The saved side is the same file with other text: a line, no link.
    assert.equal(c.a?.uri, undefined);
    assert.equal(c.a?.line, c.b!.line);
  });

  it('HEAD and another revision on request, includes from the revision', async () => {
    fs.writeFileSync(file, read(file).replace('0b010000', '0b110000'));
    git('commit', '-qam', 'second CPU');
    const head = await ask({ uri, against: 'head' });
    assert.equal(head.against, 'HEAD');
    assert.deepEqual(head.changes?.map((c) => `${c.resource}: ${c.text}`), [
      'cpus: removed CPU 5',
      'memory: region "RAM" 0xb0000000: size 0x1000000 → 0x2000000 (16 MiB → 32 MiB)',
    ]);
    const older = await ask({ uri, against: { revision: 'HEAD~1' } });
    assert.equal(older.a, 'HEAD~1:arm64-kestrel-rtos.c');
    assert.deepEqual(older.changes?.map((c) => c.resource), ['memory']);
    assert.equal(older.changes![0].a?.file, 'HEAD~1:arm64-kestrel-rtos.c');
    assert.equal(older.changes![0].a?.uri, undefined);
    // The B file includes A's text from the revision: arm64-kestrel-b.c against HEAD is equal.
    const wrapper = path.join(scratch.dir, 'arm64-kestrel-b.c');
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(wrapper), languageId: 'c', version: 1, text: read(wrapper) } });
    const w = await ask({ uri: uriOf(wrapper), against: 'head' });
    assert.equal(w.equal, true, w.text);
    assert.deepEqual(w.notes, []);
  });

  it('a compiled image: what runs on the target against the editor', async () => {
    const a = analyzeFile(path.join(scratch.dir, 'arm64-kestrel-rtos-b.c'));
    const cell = path.join(scratch.dir, 'target.cell');
    fs.writeFileSync(cell, encodeConfig(a.model!));
    const r = await ask({ uri, against: { file: cell } });
    assert.equal(r.error, undefined);
    assert.match(r.text ?? '', /^--- target\.cell \(cell "kestrel-rtos-2", arm64, image\)$/m);
    assert.ok(r.changes?.some((c) => c.resource === 'header' && c.text === 'name "kestrel-rtos-2" → "kestrel-rtos"'), r.text);
    assert.ok(r.changes?.every((c) => c.a === undefined), 'an image has no lines');
  });

  it('refuses what cannot be compared, with a reason', async () => {
    assert.match((await ask({ uri: 'untitled:Untitled-1' })).error ?? '', /not a file/);
    assert.match((await ask({ uri: uriOf(path.join(ROOT, 'package.json')) })).error ?? '', /not a Jailhouse configuration/);
    assert.match((await ask({ uri, against: { revision: 'no-such-rev' } })).error ?? '', /cannot read from git/);
    assert.match((await ask({ uri, against: { file: path.join(scratch.dir, 'missing.cell') } })).error ?? '', /no such file/);
    const outside = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'jh-nogit-'));
    const lone = path.join(outside, 'lone.c');
    fs.copyFileSync(file, lone);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(lone), languageId: 'c', version: 1, text: read(lone) } });
    assert.match((await ask({ uri: uriOf(lone) })).error ?? '', /not in a git repository/);
    fs.rmSync(outside, { recursive: true, force: true });
  });
});
