// A wrapper config (`#define LYNX_RTOS_ODD_RAM` + `#include "lynx-rtos.c"`) in the real bundled
// server: it is a config like any other (diagnostics, hover, status, memory map, Check
// Workspace counts it), and the findings located in the file it includes show on it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { positionsIn } from '../support/cursor';
import { read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/wrapper');

describe('wrapper configs in the language server', () => {
  let server: Server;
  let scratch: ReturnType<typeof scratchCopy>;
  let wrapper: string;
  let wrapperText: string;
  let cell: string;

  before(async () => {
    scratch = scratchCopy(FIXTURE);
    wrapper = path.join(scratch.dir, 'lynx-rtos-odd.c');
    cell = path.join(scratch.dir, 'lynx-rtos.c');
    wrapperText = read(wrapper);
    server = await startServer({ rootDir: scratch.dir });
  });
  after(async () => {
    await server.stop();
    scratch.dispose();
  });

  const includeSpec = () => {
    const [start, end] = positionsIn(wrapperText, '#include $0"lynx-rtos.c"$1');
    return { line: start.line, character: start.character, length: end.character - start.character };
  };

  test('opening the wrapper publishes its findings at its #include, related to the included file', async () => {
    const uri = uriOf(wrapper);
    const p = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: wrapperText } });
    const pub = await p;
    const odd = pub.diagnostics.find((d) => d.code === 'alignment' && d.severity === 1);
    assert.ok(odd, JSON.stringify(pub.diagnostics.map((d) => d.message)));
    assert.match(odd.message as string, /^In included lynx-rtos\.c:\d+: region #1 "RAM" is page-mapped but phys_start 0x80000800/);
    const at = includeSpec();
    assert.deepEqual(odd.range, { start: { line: at.line, character: at.character }, end: { line: at.line, character: at.character + at.length } });
    assert.equal(odd.relatedInformation?.[0].location.uri, uriOf(cell));
  });

  test('the included cell, published with it, names the wrapper for what only the wrapper has', async () => {
    const pub = server.diags.get(uriOf(cell)) ?? (await server.nextDiagnostics(uriOf(cell)));
    const odd = pub.diagnostics.find((d) => d.code === 'alignment' && d.severity === 1);
    assert.ok(odd, JSON.stringify(pub.diagnostics.map((d) => d.message)));
    assert.match(odd.message as string, /^As included by lynx-rtos-odd\.c: /);
    assert.ok(odd.relatedInformation?.some((r) => r.location.uri === uriOf(wrapper)));
  });

  test('hover on every character of the #include shows the header hover: kind, system and why', async () => {
    const at = includeSpec();
    for (let i = 0; i <= at.length; i++) {
      const h = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(wrapper) }, position: { line: at.line, character: at.character + i } })) as { contents: { value: string } } | null;
      assert.ok(h, `no hover at character ${i} of the include`);
      assert.match(h.contents.value, /the cell header, in `lynx-rtos\.c`: this file is a wrapper/);
      assert.match(h.contents.value, /Checked with root \*\*Lynx-2\*\* \(`lynx\.c`\)/);
    }
    const before = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(wrapper) }, position: { line: at.line, character: at.character - 2 } })) as unknown;
    assert.equal(before, null, 'outside the include: nothing');
  });

  test('status and memory map treat it as a cell of its system', async () => {
    const info = (await server.conn.sendRequest('jailhouse/fileInfo', { uri: uriOf(wrapper) })) as { isConfig: boolean; kind?: string; rootFile?: string };
    assert.equal(info.isConfig, true);
    assert.equal(info.kind, 'cell');
    assert.equal(info.rootFile, path.join(scratch.dir, 'lynx.c'));
    const map = (await server.conn.sendRequest('jailhouse/memoryMap', { uri: uriOf(wrapper) })) as { error?: string; svg?: string };
    assert.equal(map.error, undefined);
    assert.ok(map.svg);
  });

  test('Check Workspace counts the wrapper, and not a C file that merely includes another', async () => {
    const r = (await server.conn.sendRequest('jailhouse/checkWorkspace', {})) as { files: number; systems: number };
    assert.deepEqual({ files: r.files, systems: r.systems }, { files: 3, systems: 1 });
  });

  test('a plain C file including another C file gets nothing from the server', async () => {
    const plain = path.join(scratch.dir, 'lynx-selftest.c');
    const text = read(plain);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(plain), languageId: 'c', version: 1, text } });
    const h = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(plain) }, position: { line: 1, character: 12 } });
    assert.equal(h, null);
    const info = (await server.conn.sendRequest('jailhouse/fileInfo', { uri: uriOf(plain) })) as { isConfig: boolean };
    assert.equal(info.isConfig, false);
  });

  test('editing the included cell re-checks the open wrapper', async () => {
    const uri = uriOf(cell);
    const text = read(cell);
    const wrapperUri = uriOf(wrapper);
    const p = server.nextDiagnostics(wrapperUri, (d) => d.diagnostics.some((x) => x.code === 'unknown-field'));
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: text.replace('.virt_start = 0x00c00000,', '.virt_begin = 0x00c00000,') } });
    const pub = await p;
    const d = pub.diagnostics.find((x) => x.code === 'unknown-field')!;
    assert.match(d.message as string, /^In included lynx-rtos\.c:\d+: .*virt_begin/);
  });
});
