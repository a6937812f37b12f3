// `jailhouse/buildImage` over real JSON-RPC against the bundled server: the image written beside
// the config is the one `jhcell build` writes (the encoder's bytes), the open buffer is what is
// built, a refusal names its code and range, member-order is written with its warnings, and a
// URI that is no file is answered, not dropped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BuildImageResult } from '../../server/src/protocol/methods';
import { analyze } from '../../server/src/engine/analyze';
import { encodeConfig } from '../../server/src/binary/encode';
import { startServer, uriOf, type Server } from './harness';
import { BUILD_FIXTURES as FIXTURES, writeDefect } from '../support/buildDefects';


describe('jailhouse/buildImage', () => {
  let server: Server;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jhcell-lsp-build-'));
    for (const f of ['clean-cell.c', 'member-order.c']) copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
    writeDefect(dir, 'value-range');
    server = await startServer({ rootDir: dir });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const build = (file: string) => server.conn.sendRequest('jailhouse/buildImage', { uri: uriOf(file) }) as Promise<BuildImageResult>;

  test('a clean config: FILE.cell beside it, the encoder\'s bytes', async () => {
    const file = path.join(dir, 'clean-cell.c');
    const r = await build(file);
    assert.deepEqual(r.problems, []);
    assert.equal(r.refused, undefined);
    assert.equal(r.written?.file, path.join(dir, 'clean-cell.cell'));
    assert.equal(r.written?.uri, uriOf(path.join(dir, 'clean-cell.cell')));
    assert.equal(r.written?.bytes, 236);
    const model = analyze(file, readFileSync(file, 'utf8')).model!;
    assert.ok(readFileSync(path.join(dir, 'clean-cell.cell')).equals(Buffer.from(encodeConfig(model))));
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  test('the open buffer is what is built', async () => {
    const file = path.join(dir, 'clean-cell.c');
    const text = readFileSync(file, 'utf8').replace('.vpci_irq_base = 100,', '.vpci_irq_base = 0x100000064,');
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'c', version: 1, text } });
    const r = await build(file);
    assert.equal(r.written, undefined);
    assert.match(r.refused ?? '', /^not built: refused by \[value-range\], which upstream's build rejects too: gcc -Woverflow/);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].code, 'value-range');
    assert.equal(r.problems[0].uri, uriOf(file));
    assert.equal(r.problems[0].range.start.line, 23, "0-based: line 24 of the buffer");
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
  });

  test('a refused file: no image', async () => {
    const r = await build(path.join(dir, 'refuse-value-range.c'));
    assert.match(r.refused ?? '', /\[value-range\]/);
    assert.ok(!existsSync(path.join(dir, 'refuse-value-range.cell')));
  });

  test('member-order: written, with what the hypervisor reads', async () => {
    const r = await build(path.join(dir, 'member-order.c'));
    assert.equal(r.written?.bytes, 236);
    assert.match(r.warnings[0], /written as gcc writes it, although \[member-order\]/);
    assert.ok(r.warnings.some((w) => /the hypervisor reads mem_regions .* from byte 140/.test(w)), r.warnings.join('\n'));
  });

  test('not a file, or not there: a refusal with the reason', async () => {
    const r = (await server.conn.sendRequest('jailhouse/buildImage', { uri: 'untitled:Untitled-1' })) as BuildImageResult;
    assert.match(r.refused ?? '', /not a file on disk/);
    const gone = await build(path.join(dir, 'gone.c'));
    assert.match(gone.refused ?? '', /cannot read .*gone\.c/);
  });
});
