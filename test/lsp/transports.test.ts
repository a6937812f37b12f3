// The same server over Node IPC (how the VS Code client starts it) and as `jhcell lsp --stdio`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { positionIn } from '../support/cursor';
import { read, ROOT, startServer, uriOf } from './harness';

const ROOT_FILE = path.join(ROOT, 'test/fixtures/lsp/orbit/orbit.c');

async function exercise(opts: Parameters<typeof startServer>[0]): Promise<void> {
  const server = await startServer(opts);
  try {
    const text = read(ROOT_FILE);
    const uri = uriOf(ROOT_FILE);
    const published = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    assert.equal((await published).diagnostics.filter((d) => d.severity === 1).length, 0);
    const h = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionIn(text, '0x$03fc00000') })) as { contents: { value: string } };
    assert.match(h.contents.value, /1020 MiB/);
  } finally {
    await server.stop();
  }
  assert.equal(server.proc.signalCode, null, 'not killed: it left on shutdown/exit');
  assert.equal(server.proc.exitCode, 0);
}

test('Node IPC transport', () => exercise({ ipc: true }));

test('jhcell lsp --stdio', async () => {
  // startServer runs dist/server.js; the CLI entry is checked by pointing it at dist/cli.js.
  await exercise({ args: ['--stdio'], entry: path.join(ROOT, 'dist/cli.js'), entryArgs: ['lsp', '--stdio'] });
});

test('pull diagnostics are offered only when the client asks, in addition to pushes', async () => {
  const server = await startServer({ pull: true, initializationOptions: { pullDiagnostics: true } });
  try {
    assert.ok(server.init.capabilities.diagnosticProvider);
    const text = read(ROOT_FILE).replace('.num_irqchips = ARRAY_SIZE(config.irqchips)', '.num_irqchips = 5');
    const uri = uriOf(ROOT_FILE);
    const pushed = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    assert.ok((await pushed).diagnostics.some((d) => d.code === 'count-mismatch'));
    const pulled = (await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { kind: string; items: { code: string }[] };
    assert.equal(pulled.kind, 'full');
    assert.ok(pulled.items.some((d) => d.code === 'count-mismatch'));
  } finally {
    await server.stop();
  }
  const plain = await startServer({ pull: true });
  try {
    assert.equal(plain.init.capabilities.diagnosticProvider, undefined);
  } finally {
    await plain.stop();
  }
});
