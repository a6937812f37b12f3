// Insertions through the real server: a board item accepted the way an LSP client accepts it
// (relative text, insertTextMode adjustIndentation, additional edits) leaves a file without
// errors, and "excess elements" answers a code action that declares the elements given.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { InsertTextFormat, InsertTextMode, type CodeAction, type CompletionItem, type CompletionList, type Diagnostic, type TextEdit } from 'vscode-languageserver-protocol';
import { cursors, positionAtOffset } from '../support/cursor';
import { applyLsp, read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/boards/cells');


describe('insertions in the language server', () => {
  let server: Server;
  let scratch: ReturnType<typeof scratchCopy>;
  let cell: string;
  let uri: string;
  let version = 1;

  before(async () => {
    scratch = scratchCopy(FIXTURE);
    cell = path.join(scratch.dir, 'mini-demo.c');
    uri = uriOf(cell);
    server = await startServer({ rootDir: scratch.dir });
    const p = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version, text: read(cell) } });
    await p;
    const b = server.nextDiagnostics(uri);
    await server.conn.sendNotification('jailhouse/setBoard', { board: 'imx8mm-evk' });
    await b;
  });
  after(async () => {
    await server.stop();
    scratch.dispose();
  });

  const change = async (text: string) => {
    version++;
    const v = version;
    const p = server.nextDiagnostics(uri, (d) => d.version === v);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    return (await p).diagnostics;
  };
  const errorsIn = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 1).map((d) => `${d.code}: ${String(d.message)}`);

  test('a board device accepted on a new line: indented like its neighbours, the array grown, no error', async () => {
    const base = read(cell);
    const mark = '\t\t/* communication region */';
    const { text, offsets: [cursor] } = cursors(base.replace(mark, `\t\t$0\n${mark}`));
    await change(text);
    const position = positionAtOffset(text, cursor);
    const list = (await server.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as CompletionList;
    const item = list.items.find((i) => i.label.startsWith('UART3 ')) as CompletionItem;
    assert.ok(item, list.items.map((i) => i.label).join('\n'));
    assert.equal(item.insertTextMode, InsertTextMode.adjustIndentation);
    assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
    const main = item.textEdit as TextEdit;
    // Relative to the line it starts on: the body one tab in, the closing brace at none.
    const lines = main.newText.split('\n');
    assert.equal(lines[1], '\t.phys_start = 0x30880000,');
    assert.equal(lines[lines.length - 1], '},');
    assert.ok(item.additionalTextEdits?.some((e) => e.newText === '5'), JSON.stringify(item.additionalTextEdits));
    // The client: the line's indentation added to every line after the first; no placeholders here.
    const indent = '\t\t';
    const accepted = applyLsp(text, [{ ...main, newText: main.newText.replace(/\\\$/g, '$').split('\n').join(`\n${indent}`) }, ...(item.additionalTextEdits ?? [])]);
    assert.match(accepted, /\n\t\t\/\* UART3 \*\/ \{\n\t\t\t\.phys_start = 0x30880000,/);
    assert.match(accepted, /mem_regions\[5\];/);
    assert.deepEqual(errorsIn(await change(accepted)), []);
  });

  test('"excess elements" in mem_regions: the code action declares the elements given', async () => {
    const text = read(cell).replace('mem_regions[4]', 'mem_regions[3]');
    const diags = await change(text);
    const diag = diags.find((d) => /excess elements in array initializer/.test(String(d.message)));
    assert.ok(diag, JSON.stringify(diags));
    const actions = (await server.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } })) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Declare mem_regions[4]');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true);
    const fixed = applyLsp(text, fix.edit!.changes![uri]);
    assert.equal(fixed, read(cell));
    assert.deepEqual(errorsIn(await change(fixed)), []);
  });
});
