// `jailhouse/explainLog` over real JSON-RPC against the bundled server: a console log of an
// invented board explained against the workspace's configs, the returned fix applied and the
// log explained again (the address now covered in the cell, no new error), and the hovers and
// code lenses of an open `.log` document (plain logs get none).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { CodeLens, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import type { ExplainLogResult } from '../../server/src/protocol/methods';
import { applyLsp, positionOf, read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/lsp/explain');
const errorsOf = (ds: Diagnostic[] | undefined) => (ds ?? []).filter((d) => d.severity === 1).map((d) => `${d.code}: ${d.message}`);

describe('jailhouse/explainLog', () => {
  let server: Server;
  let scratch: ReturnType<typeof scratchCopy>;
  let cell: string;
  let log: string;
  before(async () => {
    scratch = scratchCopy(FIXTURE);
    cell = path.join(scratch.dir, 'heron-sensor.c');
    log = read(path.join(scratch.dir, 'console.log'));
    server = await startServer({ rootDir: scratch.dir });
  });
  after(async () => {
    await server?.stop();
    scratch?.dispose();
  });

  const explain = (text: string, uri?: string) => server.conn.sendRequest('jailhouse/explainLog', { text, ...(uri ? { uri } : {}) }) as Promise<ExplainLogResult>;
  const fault = (r: ExplainLogResult) => r.events.find((e) => e.kind === 'mmio');

  test('names the cell, the root region at the address, and the fix, from the workspace configs', async () => {
    const r = await explain(log);
    assert.equal(r.version, 1);
    assert.deepEqual(r.configs.map((f) => path.basename(f)), ['heron-sensor.c', 'heron.c']);
    assert.equal(r.notChecked, undefined);
    const e = fault(r);
    assert.ok(e, JSON.stringify(r.events));
    assert.equal(e.line, 3);
    assert.equal(e.address, '0x9130010');
    assert.equal(e.access, 'write');
    assert.equal(e.size, 4);
    assert.equal(e.cpu, 3);
    assert.equal(e.cell?.name, 'heron-sensor');
    assert.equal(e.cell?.uri, uriOf(cell));
    assert.deepEqual(e.covering.map((c) => [path.basename(c.file), c.region, c.name]), [['heron.c', 1, 'SPI2']]);
    // The root's region is a place to jump to: its range is the `/* SPI2 */ {` element.
    assert.equal(e.covering[0].range?.start.line, read(path.join(scratch.dir, 'heron.c')).split('\n').findIndex((l) => l.includes('/* SPI2 */')));
    // Shown on the cell's header (the cell maps nothing at the address).
    assert.equal(e.anchor?.uri, uriOf(cell));
    assert.equal(e.anchor?.range.start.line, read(cell).split('\n').findIndex((l) => l.includes('.cell = {')));
    assert.ok(e.fixes.length > 0, 'a fix');
    assert.deepEqual(Object.keys(e.fixes[0].edit.changes), [uriOf(cell)]);
    assert.match(e.markdown, /SPI2/);
    assert.ok(e.markdown.includes(`${uriOf(cell)}#L`), 'the markdown links to the cell');
  });

  test('the fix applied, the address is covered in the cell and the cell has no new error', async () => {
    const uri = uriOf(cell);
    const before = read(cell);
    const first = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: before } });
    const errorsBefore = errorsOf((await first).diagnostics);
    const e = fault(await explain(log))!;
    const fixed = applyLsp(before, e.fixes[0].edit.changes[uri]);
    assert.notEqual(fixed, before);
    const next = server.nextDiagnostics(uri, (p) => p.version === 2);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    assert.deepEqual(errorsOf((await next).diagnostics), errorsBefore);
    const again = fault(await explain(log))!;
    const own = again.covering.find((c) => c.file === cell);
    assert.ok(own, JSON.stringify(again.covering));
    assert.equal(again.fixes.length, 0, 'nothing left to fix');
    // The explanation now points at the cell's own region.
    assert.equal(again.anchor?.range.start.line, own.range?.start.line);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: before }] });
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('of two cells of one name, the one of the config given as uri (then the open ones) is meant', async () => {
    const other = path.join(scratch.dir, 'copy');
    mkdirSync(other);
    for (const f of ['heron.c', 'heron-sensor.c']) copyFileSync(path.join(scratch.dir, f), path.join(other, f));
    const copy = path.join(other, 'heron-sensor.c');
    assert.equal(fault(await explain(log, uriOf(cell)))?.cell?.file, cell);
    assert.equal(fault(await explain(log, uriOf(copy)))?.cell?.file, copy);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(copy), languageId: 'c', version: 1, text: read(copy) } });
    assert.equal(fault(await explain(log))?.cell?.file, copy);
    assert.equal(fault(await explain(log, uriOf(cell)))?.cell?.file, cell);
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(copy) } });
    rmSync(other, { recursive: true });
  });

  test('text without such lines, or none at all, is explained as nothing', async () => {
    assert.deepEqual((await explain('hello\nworld\n')).events, []);
    assert.deepEqual((await explain('')).events, []);
  });

  test('an open .log document gets a hover on every character of the fault, a code lens, and its fix as a command', async () => {
    const uri = uriOf(path.join(scratch.dir, 'console.log'));
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'log', version: 1, text: log } });
    const lines = log.split(/\r?\n/);
    const hoverAt = (line: number, character: number) => server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } }) as Promise<Hover | null>;
    for (let c = 0; c <= lines[3].length; c++) {
      const h = await hoverAt(3, c);
      assert.match((h?.contents as { value: string } | undefined)?.value ?? '', /heron-sensor[\s\S]*SPI2/, `hover at 3:${c}`);
    }
    // Noise and informational lines (the cell created) get none.
    for (const line of [0, 1]) assert.equal(await hoverAt(line, 2), null, `no hover on line ${line}`);

    const lenses = (await server.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    const lens = lenses.find((l) => l.range.start.line === 3);
    assert.ok(lens, JSON.stringify(lenses));
    const e = fault(await explain(log))!;
    assert.equal(lens.command?.title, `explain: cell heron-sensor, write at 0x9130010 (SPI2) — ${e.fixes[0].title}`);
    assert.equal(lens.command?.command, 'jailhouse.explain.applyFix');
    assert.ok(server.init.capabilities.executeCommandProvider?.commands.includes('jailhouse.explain.applyFix'));

    // Running the lens's command sends the fix to the client as workspace/applyEdit.
    const applied = new Promise<{ edit: { changes: Record<string, unknown[]> } }>((resolve) =>
      server.conn.onRequest('workspace/applyEdit', (p: { edit: { changes: Record<string, unknown[]> } }) => {
        resolve(p);
        return { applied: true };
      }),
    );
    const ran = await server.conn.sendRequest('workspace/executeCommand', { command: lens.command!.command, arguments: lens.command!.arguments });
    assert.equal(ran, true);
    assert.deepEqual(Object.keys((await applied).edit.changes), [uriOf(cell)]);
  });

  test('a driver error and a fault without a fix: code lenses that are labels, not commands', async () => {
    const uri = uriOf(path.join(scratch.dir, 'create.log'));
    const text = '$ jailhouse cell create heron-sensor.cell\nJAILHOUSE_CELL_CREATE: Argument list too long\nFATAL: forbidden access (exception class 0x17)\n';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'log', version: 1, text } });
    const lenses = (await server.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(lenses.map((l) => l.range.start.line), [1, 2]);
    assert.match(lenses[0].command?.title ?? '', /^explain: JAILHOUSE_CELL_CREATE E2BIG — /);
    for (const l of lenses) assert.equal(l.command?.command, '', 'no fix: nothing to click');
    assert.match(lenses[1].command?.title ?? '', /^explain: smc — \S/);
  });

  test('a plain log gets no hover, no code lens and no diagnostics', async () => {
    const uri = uriOf(path.join(scratch.dir, 'build.log'));
    const text = 'make: Entering directory\ncc -o x x.c\nUnhandled exception in the build script\n';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'log', version: 1, text } });
    for (let line = 0; line < 3; line++) assert.equal(await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } }), null);
    assert.deepEqual(await server.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } }), []);
    assert.equal((server.diags.get(uri)?.diagnostics ?? []).length, 0);
  });

  test('a .log document is never checked as a configuration, whatever it holds', async () => {
    const uri = uriOf(path.join(scratch.dir, 'saved-config.log'));
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'log', version: 1, text: read(cell).replace('.cpus = {', '.cpuz = {') } });
    // A config opened after it is checked and published: by then the log would have been too.
    const sensor = uriOf(cell);
    const published = server.nextDiagnostics(sensor);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: sensor, languageId: 'c', version: 1, text: read(cell) } });
    await published;
    assert.equal(server.diags.has(uri), false);
    // Its hover is the explainer's (nothing here), not a config field's.
    assert.equal(await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(read(cell), '.signature', 2) }), null);
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: sensor } });
  });
});

describe('code lenses of an open log after its fix is written', () => {
  let server: Server;
  let scratch: ReturnType<typeof scratchCopy>;
  before(async () => {
    scratch = scratchCopy(FIXTURE);
    server = await startServer({ rootDir: scratch.dir, workspace: { codeLens: { refreshSupport: true } } });
  });
  after(async () => {
    await server?.stop();
    scratch?.dispose();
  });

  test('the client is asked to refresh them, and the lens no longer offers the fix', { timeout: 15000 }, async () => {
    const cell = path.join(scratch.dir, 'heron-sensor.c');
    const logUri = uriOf(path.join(scratch.dir, 'console.log'));
    const log = read(path.join(scratch.dir, 'console.log'));
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: logUri, languageId: 'log', version: 1, text: log } });
    const lensesNow = async () => (await server.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: logUri } })) as CodeLens[];
    const [lens] = await lensesNow();
    assert.equal(lens.command?.command, 'jailhouse.explain.applyFix');
    const edit = lens.command!.arguments![0] as { changes: Record<string, { range: never; newText: string }[]> };

    let refreshed!: () => void;
    const refresh = new Promise<void>((r) => (refreshed = r));
    server.conn.onRequest('workspace/codeLens/refresh', () => {
      refreshed();
      return null;
    });
    const uri = uriOf(cell);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: applyLsp(read(cell), edit.changes[uri]) } });
    await refresh;
    const [after] = await lensesNow();
    assert.equal(after.command?.command, '', 'nothing left to click');
    assert.doesNotMatch(after.command?.title ?? '', /Map SPI2/);
  });
});
