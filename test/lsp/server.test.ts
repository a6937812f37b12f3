// The real bundled server over stdio: diagnostics, edits, hover, completion, symbols, inlay
// hints, definition, and bad requests answered without dying.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { positionOf, read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/lsp/orbit');

describe('language server over stdio', () => {
  let server: Server;
  let scratch: ReturnType<typeof scratchCopy>;
  let root: string;
  let cell: string;
  let rootText: string;
  let cellText: string;
  const settings: Record<string, unknown> = {};

  before(async () => {
    scratch = scratchCopy(FIXTURE);
    root = path.join(scratch.dir, 'orbit.c');
    cell = path.join(scratch.dir, 'orbit-rtos.c');
    rootText = read(root);
    cellText = read(cell);
    server = await startServer({ rootDir: scratch.dir, settings });
  });
  after(async () => {
    await server.stop();
    scratch.dispose();
  });

  const open = async (file: string, text: string, languageId = 'c') => {
    const uri = uriOf(file);
    const p = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return p;
  };

  test('advertises the features it implements', () => {
    const caps = server.init.capabilities;
    assert.ok(caps.hoverProvider && caps.completionProvider && caps.definitionProvider && caps.documentSymbolProvider);
    assert.ok(caps.foldingRangeProvider && caps.inlayHintProvider && caps.codeActionProvider);
    assert.equal(caps.diagnosticProvider, undefined, 'pull diagnostics only when the client asks');
  });

  test('a clean configuration publishes no errors', async () => {
    const p = await open(cell, cellText);
    assert.deepEqual(
      p.diagnostics.filter((d) => d.severity === 1).map((d) => d.message),
      [],
    );
  });

  test('an edit that breaks a field name is reported, and the fix clears it', async () => {
    const uri = uriOf(cell);
    const broken = cellText.replace('.flags = JAILHOUSE_CELL_PASSIVE_COMMREG', '.flagz = JAILHOUSE_CELL_PASSIVE_COMMREG');
    const pos = positionOf(cellText, '.flags = JAILHOUSE_CELL_PASSIVE_COMMREG', 1);
    let p = server.nextDiagnostics(uri, (d) => d.version === 2);
    await server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: pos.line, character: pos.character + 4 }, end: { line: pos.line, character: pos.character + 5 } }, text: 'z' }],
    });
    const bad = await p;
    const d = bad.diagnostics.find((x) => x.code === 'unknown-field');
    assert.ok(d, JSON.stringify(bad.diagnostics));
    assert.equal(d.range.start.line, pos.line);
    assert.equal(broken.split('\n')[pos.line].includes('flagz'), true);

    p = server.nextDiagnostics(uri, (x) => x.version === 3);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: cellText }] });
    const good = await p;
    assert.equal(good.diagnostics.filter((x) => x.code === 'unknown-field').length, 0);
  });

  test('hover on a region size shows hex, decimal, human size and the region extent', async () => {
    await open(root, rootText);
    const h = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(root) }, position: positionOf(rootText, '0x3fc00000', 3) })) as { contents: { value: string } };
    assert.match(h.contents.value, /1020 MiB/);
    assert.match(h.contents.value, /0x40000000`–`0x7fbfffff/);
    assert.match(h.contents.value, /RAM/);
  });

  test('hover on a flags field decodes its value', async () => {
    const h = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(root) }, position: positionOf(rootText, '.flags = JAILHOUSE_MEM_READ', 3) })) as { contents: { value: string } };
    assert.match(h.contents.value, /Value: `JAILHOUSE_MEM_READ \| JAILHOUSE_MEM_WRITE \| JAILHOUSE_MEM_IO`/);
  });

  test('hover on the first character of a designator name (Neovim `K` after `w`) answers like inside it', async () => {
    const ask = async (delta: number) =>
      ((await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(root) }, position: positionOf(rootText, '.phys_start = 0x7fc00000', delta) })) as { contents: { value: string } } | null)?.contents.value;
    const first = await ask(1);
    assert.match(first ?? '', /\*\*phys_start\*\* `__u64`[\s\S]*Value: `0x7fc00000`/);
    assert.equal(first, await ask(5));
  });

  test('hover on a macro shows its expansion; definition jumps to the #define', async () => {
    const pos = positionOf(rootText, 'ORBIT_RAM_BASE,', 2);
    const h = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(root) }, position: pos })) as { contents: { value: string } };
    assert.match(h.contents.value, /Expands to:[\s\S]*0x40000000/);
    const defs = (await server.conn.sendRequest('textDocument/definition', { textDocument: { uri: uriOf(root) }, position: pos })) as { range: { start: { line: number } } }[];
    assert.equal(defs.length, 1);
    assert.equal(defs[0].range.start.line, positionOf(rootText, '#define ORBIT_RAM_BASE').line);
  });

  test('completion offers the flags of a memory region and the fields a struct still lacks', async () => {
    const flags = (await server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(root) }, position: positionOf(rootText, '.flags = JAILHOUSE_MEM_READ', 9) })) as { items: { label: string }[] };
    const labels = flags.items.map((i) => i.label);
    assert.ok(labels.includes('JAILHOUSE_MEM_IO') && labels.includes('JAILHOUSE_MEM_ROOTSHARED'));
    assert.ok(!labels.includes('JAILHOUSE_CON_ACCESS_MMIO'));
    // Inside hypervisor_memory only phys_start and size are given.
    const fields = (await server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(root) }, position: positionOf(rootText, '.size = 0x00400000,', 19) })) as { items: { label: string }[] };
    const names = fields.items.map((i) => i.label).sort();
    assert.deepEqual(names, ['flags', 'virt_start']);
  });

  test('document symbols name regions by their comments; inlay hints show index and end', async () => {
    const syms = (await server.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uriOf(root) } })) as { name: string; children?: { name: string }[] }[];
    const regions = syms.find((s) => s.name === 'mem_regions');
    assert.deepEqual(regions?.children?.map((c) => c.name), ['UART', 'Ethernet', 'RAM', 'cell RAM']);
    const lines = rootText.split('\n').length;
    const hints = (await server.conn.sendRequest('textDocument/inlayHint', { textDocument: { uri: uriOf(root) }, range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } } })) as { label: string }[];
    const labels = hints.map((h) => h.label);
    assert.ok(labels.includes('[3]') && labels.includes('→ 0x7fbfffff (1020 MiB)') && labels.includes('CPUs 0-3'), labels.join(' '));
  });

  test('folding ranges cover the multi-line blocks', async () => {
    const folds = (await server.conn.sendRequest('textDocument/foldingRange', { textDocument: { uri: uriOf(root) } })) as { startLine: number }[];
    assert.ok(folds.some((f) => f.startLine === positionOf(rootText, '.mem_regions = {').line));
  });

  test('editing the root re-checks its cells', async () => {
    const cellUri = uriOf(cell);
    const rootUri = uriOf(root);
    const cpusPos = positionOf(rootText, '0xf,', 2);
    let p = server.nextDiagnostics(cellUri, (d) => d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: rootUri, version: 2 },
      contentChanges: [{ range: { start: cpusPos, end: { line: cpusPos.line, character: cpusPos.character + 1 } }, text: '7' }],
    });
    const withError = await p;
    assert.ok(withError.diagnostics.find((x) => x.code === 'cpu-not-in-root'));
    p = server.nextDiagnostics(cellUri, (d) => !d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri: rootUri, version: 3 }, contentChanges: [{ text: rootText }] });
    await p;
  });

  test('closing an edited root re-checks its cells against the saved file', async () => {
    const cellUri = uriOf(cell);
    const rootUri = uriOf(root);
    let p = server.nextDiagnostics(cellUri, (d) => d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri: rootUri, version: 20 }, contentChanges: [{ text: rootText.replace('0xf,', '0x7,') }] });
    await p;
    p = server.nextDiagnostics(cellUri, (d) => !d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: rootUri } });
    await p;
    // Reopen for the tests that follow.
    const again = server.nextDiagnostics(rootUri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: rootUri, languageId: 'c', version: 1, text: rootText } });
    await again;
  });

  test('a quick fix applied through code actions clears its diagnostic', async () => {
    const uri = uriOf(cell);
    const broken = cellText.replace('.num_memory_regions = ARRAY_SIZE(config.mem_regions)', '.num_memory_regions = 2');
    let p = server.nextDiagnostics(uri, (d) => d.version === 4);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text: broken }] });
    const diag = (await p).diagnostics.find((d) => d.code === 'count-mismatch');
    assert.ok(diag, 'count-mismatch reported');
    const actions = (await server.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } })) as {
      title: string;
      isPreferred?: boolean;
      edit: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> };
    }[];
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const edits = fix.edit.changes[uri];
    assert.equal(edits.length, 1);
    const lines = broken.split('\n');
    const e = edits[0];
    const line = lines[e.range.start.line];
    lines[e.range.start.line] = line.slice(0, e.range.start.character) + e.newText + lines[e.range.end.line].slice(e.range.end.character);
    const fixed = lines.join('\n');
    assert.equal(fixed, cellText);
    p = server.nextDiagnostics(uri, (d) => d.version === 5);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 5 }, contentChanges: [{ text: fixed }] });
    assert.equal((await p).diagnostics.filter((d) => d.code === 'count-mismatch').length, 0);
  });

  test('fix all of one kind in the file, and severity settings applied live', async () => {
    const uri = uriOf(cell);
    const broken = cellText
      .replace('.num_memory_regions = ARRAY_SIZE(config.mem_regions)', '.num_memory_regions = 2')
      .replace('.num_irqchips = ARRAY_SIZE(config.irqchips)', '.num_irqchips = 3');
    let p = server.nextDiagnostics(uri, (d) => d.version === 30);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 30 }, contentChanges: [{ text: broken }] });
    const diags = (await p).diagnostics.filter((d) => d.code === 'count-mismatch');
    assert.equal(diags.length, 2);
    const actions = (await server.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: [diags[0]] } })) as { title: string; edit: { changes: Record<string, unknown[]> } }[];
    const all = actions.find((a) => a.title.startsWith("Fix all 'count-mismatch'"));
    assert.ok(all, actions.map((a) => a.title).join(' | '));
    assert.equal(all.edit.changes[uri].length, 2);

    settings.severity = { 'count-mismatch': 'off' };
    p = server.nextDiagnostics(uri, (d) => !d.diagnostics.some((x) => x.code === 'count-mismatch'));
    await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await p;
    settings.severity = {};
    p = server.nextDiagnostics(uri, (d) => d.version === 31);
    await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 31 }, contentChanges: [{ text: cellText }] });
    await p;
  });

  test('a cell added and removed on disk is checked with its system, then withdrawn', async () => {
    const extra = path.join(scratch.dir, 'orbit-extra.c');
    writeFileSync(extra, cellText.replace('"orbit-rtos"', '"orbit-extra"').replace('0x8,', '0x10,'));
    const uri = uriOf(extra);
    let p = server.nextDiagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
    await p;
    rmSync(extra);
    p = server.nextDiagnostics(uri, (d) => d.diagnostics.length === 0);
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    await p;
  });

  test('ordinary C files are left alone', async () => {
    const other = path.join(scratch.dir, 'driver.c');
    const text = 'struct jailhouse_memory *m;\nint main(void) { return 0; }\n';
    writeFileSync(other, text);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(other), languageId: 'c', version: 1, text } });
    const h = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(other) }, position: { line: 1, character: 5 } });
    assert.equal(h, null);
    const c = await server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(other) }, position: { line: 1, character: 5 } });
    assert.equal(c, null);
    assert.equal(server.diags.get(uriOf(other))?.diagnostics.length ?? 0, 0);
  });

  test('bad requests are answered and the server keeps working', async () => {
    const unknown = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nowhere/missing.c' }, position: { line: 0, character: 0 } });
    assert.equal(unknown, null);
    const far = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(root) }, position: { line: 99999, character: 99999 } });
    assert.equal(far, null);
    const neg = await server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(root) }, position: { line: -5, character: -1 } });
    assert.ok(neg === null || typeof neg === 'object');
    await assert.rejects(server.conn.sendRequest('no/suchMethod', {}));
    const again = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(root) }, position: positionOf(rootText, '0x3fc00000', 3) })) as { contents: { value: string } } | null;
    assert.ok(again && /1020 MiB/.test(again.contents.value));
    assert.equal(server.proc.exitCode, null);
  });

  test('garbage text gives diagnostics, not a crash', async () => {
    const uri = uriOf(cell);
    const p = server.nextDiagnostics(uri, (d) => d.version === 10);
    const garbage = 'struct { struct jailhouse_cell_desc cell; } config = { .cell = { .name = "x", ,,, }}} /* \n';
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 10 }, contentChanges: [{ text: garbage }] });
    const d = await p;
    assert.ok(d.diagnostics.length > 0);
    assert.equal(server.proc.exitCode, null);
  });
});
