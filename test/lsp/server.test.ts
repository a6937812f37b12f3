// The real bundled server over stdio: diagnostics, edits, hover, completion, symbols, inlay
// hints, definition, and bad requests answered without dying. Every describe group starts a
// server of its own on a fresh copy of the fixture, so no test depends on what another did.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { positionIn, positionsIn } from '../support/cursor';
import { read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/lsp/orbit');

interface Orbit {
  server: Server;
  /** The scratch copy the server's workspace is. */
  dir: string;
  root: string;
  cell: string;
  rootText: string;
  cellText: string;
  /** What the client answers to workspace/configuration; tests may change it. */
  settings: Record<string, unknown>;
  /** didOpen, resolving with the diagnostics published for it. */
  open(file: string, text: string, languageId?: string): Promise<PublishDiagnosticsParams>;
}

/**
 * A server for the describe group this is called in (started before its first test, stopped
 * after its last) on a scratch copy of the orbit fixture, with `opened` open at version 1.
 */
function orbitServer(opened: ('root' | 'cell')[]): Orbit {
  const o = { settings: {} } as Orbit;
  let scratch: ReturnType<typeof scratchCopy>;
  o.open = async (file, text, languageId = 'c') => {
    const uri = uriOf(file);
    const p = o.server.nextDiagnostics(uri);
    await o.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return p;
  };
  before(async () => {
    scratch = scratchCopy(FIXTURE);
    o.dir = scratch.dir;
    o.root = path.join(scratch.dir, 'orbit.c');
    o.cell = path.join(scratch.dir, 'orbit-rtos.c');
    o.rootText = read(o.root);
    o.cellText = read(o.cell);
    o.server = await startServer({ rootDir: scratch.dir, settings: o.settings });
    for (const f of opened) await o.open(o[f], f === 'root' ? o.rootText : o.cellText);
  });
  after(async () => {
    await o.server.stop();
    scratch.dispose();
  });
  return o;
}

describe('language server over stdio: reading a configuration', () => {
  const o = orbitServer(['root']);

  test('advertises the features it implements', () => {
    const caps = o.server.init.capabilities;
    assert.ok(caps.hoverProvider && caps.completionProvider && caps.definitionProvider && caps.documentSymbolProvider);
    assert.ok(caps.foldingRangeProvider && caps.inlayHintProvider && caps.codeActionProvider);
    assert.equal(caps.diagnosticProvider, undefined, 'pull diagnostics only when the client asks');
  });

  test('a clean configuration publishes no errors', async () => {
    const p = await o.open(o.cell, o.cellText);
    assert.deepEqual(
      p.diagnostics.filter((d) => d.severity === 1).map((d) => d.message),
      [],
    );
  });

  test('hover on a region size shows hex, decimal, human size and the region extent', async () => {
    const h = (await o.server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(o.root) }, position: positionIn(o.rootText, '0x3$0fc00000') })) as { contents: { value: string } };
    assert.match(h.contents.value, /1020 MiB/);
    assert.match(h.contents.value, /0x40000000`–`0x7fbfffff/);
    assert.match(h.contents.value, /RAM/);
  });

  test('hover on a flags field decodes its value', async () => {
    const h = (await o.server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(o.root) }, position: positionIn(o.rootText, '.size = 0x1000,\n\t\t\t.fl$0ags = JAILHOUSE_MEM_READ') })) as { contents: { value: string } };
    assert.match(h.contents.value, /Value: `JAILHOUSE_MEM_READ \| JAILHOUSE_MEM_WRITE \| JAILHOUSE_MEM_IO`/);
  });

  test('hover on the first character of a designator name (Neovim `K` after `w`) answers like inside it', async () => {
    const ask = async (pattern: string) =>
      ((await o.server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(o.root) }, position: positionIn(o.rootText, pattern) })) as { contents: { value: string } } | null)?.contents.value;
    const first = await ask('.$0phys_start = 0x7fc00000');
    assert.match(first ?? '', /\*\*phys_start\*\* `__u64`[\s\S]*Value: `0x7fc00000`/);
    assert.equal(first, await ask('.phys$0_start = 0x7fc00000'));
  });

  test('hover on a macro shows its expansion; definition jumps to the #define', async () => {
    const pos = positionIn(o.rootText, '.phys_start = OR$0BIT_RAM_BASE,');
    const h = (await o.server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(o.root) }, position: pos })) as { contents: { value: string } };
    assert.match(h.contents.value, /Expands to:[\s\S]*0x40000000/);
    const defs = (await o.server.conn.sendRequest('textDocument/definition', { textDocument: { uri: uriOf(o.root) }, position: pos })) as { range: { start: { line: number } } }[];
    assert.equal(defs.length, 1);
    assert.equal(defs[0].range.start.line, positionIn(o.rootText, '$0#define ORBIT_RAM_BASE').line);
  });

  test('completion offers the flags of a memory region and the fields a struct still lacks', async () => {
    const flags = (await o.server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(o.root) }, position: positionIn(o.rootText, '.size = 0x1000,\n\t\t\t.flags = $0JAILHOUSE_MEM_READ') })) as { items: { label: string }[] };
    const labels = flags.items.map((i) => i.label);
    assert.ok(labels.includes('JAILHOUSE_MEM_IO') && labels.includes('JAILHOUSE_MEM_ROOTSHARED'));
    assert.ok(!labels.includes('JAILHOUSE_CON_ACCESS_MMIO'));
    // Inside hypervisor_memory only phys_start and size are given.
    const fields = (await o.server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(o.root) }, position: positionIn(o.rootText, '.size = 0x00400000,$0') })) as { items: { label: string }[] };
    const names = fields.items.map((i) => i.label).sort();
    assert.deepEqual(names, ['flags', 'virt_start']);
  });

  test('document symbols name regions by their comments; inlay hints show index and end', async () => {
    const syms = (await o.server.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: uriOf(o.root) } })) as { name: string; children?: { name: string }[] }[];
    const regions = syms.find((s) => s.name === 'mem_regions');
    assert.deepEqual(regions?.children?.map((c) => c.name), ['UART', 'Ethernet', 'RAM', 'cell RAM']);
    const lines = o.rootText.split('\n').length;
    const hints = (await o.server.conn.sendRequest('textDocument/inlayHint', { textDocument: { uri: uriOf(o.root) }, range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } } })) as { label: string }[];
    const labels = hints.map((h) => h.label);
    assert.ok(labels.includes('[3]') && labels.includes('→ 0x7fbfffff (1020 MiB)') && labels.includes('CPUs 0-3'), labels.join(' '));
  });

  test('folding ranges cover the multi-line blocks', async () => {
    const folds = (await o.server.conn.sendRequest('textDocument/foldingRange', { textDocument: { uri: uriOf(o.root) } })) as { startLine: number }[];
    assert.ok(folds.some((f) => f.startLine === positionIn(o.rootText, '$0.mem_regions = {').line));
  });

  test('ordinary C files are left alone', async () => {
    const other = path.join(o.dir, 'driver.c');
    const text = 'struct jailhouse_memory *m;\nint main(void) { return 0; }\n';
    writeFileSync(other, text);
    await o.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(other), languageId: 'c', version: 1, text } });
    const h = await o.server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(other) }, position: { line: 1, character: 5 } });
    assert.equal(h, null);
    const c = await o.server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(other) }, position: { line: 1, character: 5 } });
    assert.equal(c, null);
    assert.equal(o.server.diags.get(uriOf(other))?.diagnostics.length ?? 0, 0);
  });

  test('bad requests are answered and the server keeps working', async () => {
    const { server } = o;
    const unknown = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nowhere/missing.c' }, position: { line: 0, character: 0 } });
    assert.equal(unknown, null);
    const far = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(o.root) }, position: { line: 99999, character: 99999 } });
    assert.equal(far, null);
    const neg = await server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(o.root) }, position: { line: -5, character: -1 } });
    assert.ok(neg === null || typeof neg === 'object');
    await assert.rejects(server.conn.sendRequest('no/suchMethod', {}));
    const again = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(o.root) }, position: positionIn(o.rootText, '0x3$0fc00000') })) as { contents: { value: string } } | null;
    assert.ok(again && /1020 MiB/.test(again.contents.value));
    assert.equal(server.proc.exitCode, null);
  });
});

describe('language server over stdio: an edit that breaks a field name', () => {
  const o = orbitServer(['cell']);

  test('an edit that breaks a field name is reported, and the fix clears it', async () => {
    const { server, cell, cellText } = o;
    const uri = uriOf(cell);
    const broken = cellText.replace('.flags = JAILHOUSE_CELL_PASSIVE_COMMREG', '.flagz = JAILHOUSE_CELL_PASSIVE_COMMREG');
    const [start, end] = positionsIn(cellText, '.flag$0s$1 = JAILHOUSE_CELL_PASSIVE_COMMREG');
    let p = server.nextDiagnostics(uri, (d) => d.version === 2);
    await server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start, end }, text: 'z' }],
    });
    const bad = await p;
    const d = bad.diagnostics.find((x) => x.code === 'unknown-field');
    assert.ok(d, JSON.stringify(bad.diagnostics));
    assert.equal(d.range.start.line, start.line);
    assert.equal(broken.split('\n')[start.line].includes('flagz'), true);

    p = server.nextDiagnostics(uri, (x) => x.version === 3);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: cellText }] });
    const good = await p;
    assert.equal(good.diagnostics.filter((x) => x.code === 'unknown-field').length, 0);
  });
});

describe('language server over stdio: editing the root', () => {
  const o = orbitServer(['root', 'cell']);

  test('editing the root re-checks its cells', async () => {
    const { server, root, cell, rootText } = o;
    const cellUri = uriOf(cell);
    const rootUri = uriOf(root);
    const [start, end] = positionsIn(rootText, '0x$0f$1,');
    let p = server.nextDiagnostics(cellUri, (d) => d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: rootUri, version: 2 },
      contentChanges: [{ range: { start, end }, text: '7' }],
    });
    const withError = await p;
    assert.ok(withError.diagnostics.find((x) => x.code === 'cpu-not-in-root'));
    p = server.nextDiagnostics(cellUri, (d) => !d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri: rootUri, version: 3 }, contentChanges: [{ text: rootText }] });
    await p;
  });
});

describe('language server over stdio: closing an edited root', () => {
  const o = orbitServer(['root', 'cell']);

  test('closing an edited root re-checks its cells against the saved file', async () => {
    const { server, root, cell, rootText } = o;
    const cellUri = uriOf(cell);
    const rootUri = uriOf(root);
    let p = server.nextDiagnostics(cellUri, (d) => d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri: rootUri, version: 20 }, contentChanges: [{ text: rootText.replace('0xf,', '0x7,') }] });
    await p;
    p = server.nextDiagnostics(cellUri, (d) => !d.diagnostics.some((x) => x.code === 'cpu-not-in-root'));
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: rootUri } });
    await p;
    // Opened again, the root is checked again.
    const again = server.nextDiagnostics(rootUri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: rootUri, languageId: 'c', version: 1, text: rootText } });
    await again;
  });
});

describe('language server over stdio: a quick fix', () => {
  const o = orbitServer(['root', 'cell']);

  test('a quick fix applied through code actions clears its diagnostic', async () => {
    const { server, cell, cellText } = o;
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
});

describe('language server over stdio: fix all, and severity settings', () => {
  const o = orbitServer(['root', 'cell']);

  test('fix all of one kind in the file, and severity settings applied live', async () => {
    const { server, cell, cellText, settings } = o;
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
});

describe('language server over stdio: files added and removed on disk', () => {
  const o = orbitServer(['root', 'cell']);

  test('a cell added and removed on disk is checked with its system, then withdrawn', async () => {
    const { server, cellText } = o;
    const extra = path.join(o.dir, 'orbit-extra.c');
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
});

describe('language server over stdio: garbage', () => {
  const o = orbitServer(['root', 'cell']);

  test('garbage text gives diagnostics, not a crash', async () => {
    const { server, cell } = o;
    const uri = uriOf(cell);
    const p = server.nextDiagnostics(uri, (d) => d.version === 10);
    const garbage = 'struct { struct jailhouse_cell_desc cell; } config = { .cell = { .name = "x", ,,, }}} /* \n';
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 10 }, contentChanges: [{ text: garbage }] });
    const d = await p;
    assert.ok(d.diagnostics.length > 0);
    // Each syntax error where it is, with what was expected; and the checks of what could be
    // read, at the braces of the cell descriptor.
    const at = (x: (typeof d.diagnostics)[number]) => `${x.range.start.line}:${x.range.start.character}-${x.range.end.character} ${x.code}:${x.severity}${x.code === 'syntax' ? ` ${x.message}` : ''}`;
    assert.deepEqual(d.diagnostics.map(at).sort(), [
      '0:63-83 architecture:1',
      '0:63-83 comm-region-missing:1',
      '0:63-83 cpu-empty:1',
      '0:63-83 header:1',
      '0:63-83 header:1',
      '0:63-83 reset-address:1',
      '0:78-79 syntax:1 expected a value',
      '0:79-80 syntax:1 expected a value',
      '0:80-81 syntax:1 expected a value',
      "0:84-85 syntax:1 expected ';' after the config initializer",
      '0:86-88 syntax:1 unterminated comment',
    ]);
    assert.equal(server.proc.exitCode, null);
  });
});
