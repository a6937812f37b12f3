// `jailhouse/memoryMap` over real JSON-RPC against the bundled server: the drawing, the source
// ranges behind clickable elements, fresh content after an edit, and clean refusals.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { positionIn } from '../support/cursor';
import { read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

interface MapAnswer {
  title?: string;
  svg?: string;
  error?: string;
  map?: { ranges: { id: number; name: string }[]; conflicts: { code: string; message: string }[]; refs: Record<string, { uri: string; range?: { start: { line: number } } }> };
}

describe('jailhouse/memoryMap', () => {
  let server: Server;
  let scratch: { dir: string; dispose(): void };
  before(async () => {
    scratch = scratchCopy(path.join(ROOT, 'test/fixtures/map'));
    server = await startServer({ rootDir: scratch.dir });
  });
  after(async () => {
    await server?.stop();
    scratch?.dispose();
  });

  const ask = (uri: string) => server.conn.sendRequest('jailhouse/memoryMap', { uri }) as Promise<MapAnswer>;

  it('draws the system of an open cell, with source ranges to jump to', async () => {
    const file = path.join(scratch.dir, 'kappa4-rtos.c');
    const text = read(file);
    const uri = uriOf(file);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    const r = await ask(uri);
    assert.equal(r.error, undefined);
    assert.equal(r.title, 'Memory map of Kappa-4');
    assert.match(r.svg ?? '', /^<svg [^>]*class="jh-map"/);
    assert.ok(r.svg?.includes('>RTOS RAM<'));
    assert.ok(r.map?.conflicts.some((c) => c.code === 'memory-overlap-hypervisor'));
    const ram = r.map?.ranges.find((x) => x.name === 'RTOS RAM');
    const ref = r.map?.refs[`r${ram?.id}`];
    assert.equal(ref?.uri, uri);
    assert.equal(ref?.range?.start.line, positionIn(text, '$0/* RTOS RAM */').line);
  });

  it('answers from the edited buffer, not the file on disk', async () => {
    const file = path.join(scratch.dir, 'kappa4-rtos.c');
    const uri = uriOf(file);
    const text = read(file).replace('/* RTOS RAM */', '/* RTOS heap */');
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    const r = await ask(uri);
    assert.ok(r.svg?.includes('>RTOS heap<'));
    assert.ok(!r.svg?.includes('>RTOS RAM<'));
  });

  it('refuses what is not a configuration without failing', async () => {
    assert.match((await ask('untitled:Untitled-1')).error ?? '', /not a file/);
    assert.match((await ask(uriOf(path.join(scratch.dir, 'missing.c')))).error ?? '', /cannot read/);
    const readme = path.join(ROOT, 'package.json');
    assert.match((await ask(uriOf(readme))).error ?? '', /not a Jailhouse configuration/);
    assert.equal((await ask(uriOf(path.join(scratch.dir, 'kappa4.c')))).error, undefined, 'still serving');
  });
});
