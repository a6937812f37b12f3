// The custom protocol is written once (server/src/protocol/methods.ts): neither the server nor the
// VS Code client spells a method name elsewhere, the bundled server answers every request it
// declares, docs/protocol.md describes every method, and what the thin client leaves to the
// server (listing bundled boards, reading a board path or a device tree) works over the wire.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import * as methods from '../../server/src/protocol/methods';
import { ROOT, scratchCopy, startServer, type Server } from './harness';

const PROTOCOL_DIR = path.join(ROOT, 'server/src/protocol');
/** A quoted custom method name: `'jailhouse/fileInfo'` (header spellings such as `'jailhouse/types.h'` are not). */
const METHOD_LITERAL = /(['"`])jailhouse\/[A-Za-z]+\1/g;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const declared = (Object.entries(methods) as [string, unknown][]).filter((e): e is [string, { method: string }] => e[1] instanceof RequestType || e[1] instanceof RequestType0 || e[1] instanceof NotificationType);
const requests = declared.filter(([, t]) => !(t instanceof NotificationType));

describe('the protocol module', () => {
  test('no method name is spelled outside it, on the server or the client side', () => {
    const offenders: string[] = [];
    for (const f of [...sources(path.join(ROOT, 'server/src')), ...sources(path.join(ROOT, 'client/src'))]) {
      if (f.startsWith(PROTOCOL_DIR + path.sep)) continue;
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          // Comments may name a method (`jailhouse/setBoard`) to say what code does.
          if (/^\s*(\/\/|\/\*|\*)/.test(line)) return;
          for (const m of line.matchAll(METHOD_LITERAL)) offenders.push(`${path.relative(ROOT, f)}:${i + 1}: ${m[0]}`);
        });
    }
    assert.deepEqual(offenders, []);
  });

  test('the literal check finds a method name in any quoting, and no header spelling', () => {
    const found = (s: string) => [...s.matchAll(METHOD_LITERAL)].map((m) => m[0]);
    assert.deepEqual(found(`send('jailhouse/fileInfo'); send("jailhouse/getBoard"); send(\`jailhouse/setBoard\`)`), ["'jailhouse/fileInfo'", '"jailhouse/getBoard"', '`jailhouse/setBoard`']);
    assert.deepEqual(found(`['jailhouse/types.h', X]; '#include <jailhouse/cell-config.h>'`), []);
  });

  test('it declares every method once, each under jailhouse/', () => {
    const names = declared.map(([, t]) => t.method);
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], 'a method declared twice');
    for (const n of names) assert.match(n, /^jailhouse\/[a-z][A-Za-z]+$/);
    for (const n of ['jailhouse/fileInfo', 'jailhouse/memoryMap', 'jailhouse/checkWorkspace', 'jailhouse/serverStats', 'jailhouse/setBoard', 'jailhouse/getBoard', 'jailhouse/listBoards', 'jailhouse/importDeviceTree', 'jailhouse/explainLog']) {
      assert.ok(names.includes(n), `${n} is declared`);
    }
  });

  test('docs/protocol.md describes every method', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/protocol.md'), 'utf8');
    for (const [, t] of declared) assert.match(doc, new RegExp(`^#+ .*\`${t.method}\``, 'm'), `a heading for ${t.method}`);
  });
});

describe('the VS Code client is thin', () => {
  test('its bundle holds no reader of configs, boards or device trees: it names, the server reads', async () => {
    const r = await build({ entryPoints: [path.join(ROOT, 'client/src/extension.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], write: false, metafile: true, logLevel: 'silent' });
    const fromServer = Object.keys(r.metafile.inputs).filter((f) => f.startsWith('server/src/'));
    const readers = fromServer.filter((f) => /^server\/src\/(boards\/(?!dtsPath\.ts$)|engine\/|model\/|rules\/|features\/|workspace\/|binary\/)/.test(f));
    assert.deepEqual(readers, []);
    assert.ok(fromServer.includes('server/src/protocol/methods.ts'), fromServer.join(', '));
  });
});

describe('the bundled server answers the protocol', () => {
  let server: Server;
  let scratch: ReturnType<typeof scratchCopy>;

  before(async () => {
    scratch = scratchCopy(path.join(ROOT, 'test/fixtures/boards'));
    server = await startServer({ rootDir: scratch.dir });
  });
  after(async () => {
    await server.stop();
    scratch.dispose();
  });

  test('every declared request is handled (none is "method not found")', async () => {
    const root = pathToFileURL(path.join(scratch.dir, 'cells/mini-root.c')).toString();
    const params: Record<string, unknown> = {
      'jailhouse/importDeviceTree': { path: path.join(scratch.dir, 'no-such.dts') },
      // The wizards' requests answer wrong input with an error (docs/protocol.md): asked properly here.
      'jailhouse/newSystem': { board: 'qemu-arm64-virt' },
      'jailhouse/cellChoices': { uri: root },
      'jailhouse/newCell': { uri: root, options: { name: 'probe', ramStart: '0x70000000' } },
    };
    for (const [name, t] of requests) {
      const answer = await server.conn.sendRequest(t.method, params[t.method] ?? { uri: 'file:///nowhere.c' }).then(
        (r) => r,
        (e: { code?: number; message?: string }) => assert.fail(`${name} (${t.method}): ${e.code} ${e.message}`),
      );
      assert.notEqual(answer, undefined, t.method);
    }
  });

  test('listBoards: the bundled boards with what a picker shows', async () => {
    const list = await server.conn.sendRequest(methods.ListBoardsRequest);
    const virt = list.find((b) => b.id === 'qemu-arm64-virt');
    assert.ok(virt, list.map((b) => b.id).join(', '));
    assert.equal(virt.name, 'QEMU arm64 virt (GICv3)');
    assert.equal(virt.arch, 'arm64');
    assert.ok(virt.devices > 30);
  });

  test('setBoard with a device-tree path relative to baseDir: the server reads it, getBoard names it', async () => {
    await server.conn.sendNotification(methods.SetBoardNotification, { board: 'imx8mm-evk/board.dts', baseDir: scratch.dir, includeDirs: [] });
    const info = await server.conn.sendRequest(methods.GetBoardRequest);
    assert.deepEqual(info.problems, []);
    assert.equal(info.arch, 'arm64');
    assert.ok((info.devices ?? 0) > 5, JSON.stringify(info));
    assert.match(info.name ?? '', /i\.?MX ?8M ?Mini/i);
  });

  test('importDeviceTree: the board file text for the client to save, and the reader messages', async () => {
    const r = await server.conn.sendRequest(methods.ImportDeviceTreeRequest, { path: path.join(scratch.dir, 'imx8mm-evk/board.dts') });
    assert.equal(r.errors, 0, r.messages.join('\n'));
    assert.ok(r.board && r.text);
    const json = JSON.parse(r.text) as { id?: string; devices?: unknown[] };
    assert.equal(json.id, r.board.id);
    assert.equal(json.devices?.length, r.board.devices);
    assert.ok(r.text.endsWith('}\n'));
  });

  test('importDeviceTree of a missing file: said, not fatal', async () => {
    const r = await server.conn.sendRequest(methods.ImportDeviceTreeRequest, { path: path.join(scratch.dir, 'missing.dts') });
    assert.equal(r.board, undefined);
    assert.equal(r.text, undefined);
    assert.ok(r.errors >= 1);
    assert.match(r.messages.join('\n'), /missing\.dts/);
  });
});
