// Board-fed features through the real server: `jailhouse/setBoard` switches completion, hover
// and diagnostics at once; without a board the root cell serves as one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CompletionList, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { positionIn } from '../support/cursor';
import { read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/boards/cells');

describe('boards in the language server', () => {
  let server: Server;
  let scratch: ReturnType<typeof scratchCopy>;
  let cell: string;
  let cellText: string;

  before(async () => {
    scratch = scratchCopy(FIXTURE);
    cell = path.join(scratch.dir, 'mini-demo.c');
    cellText = read(cell);
    server = await startServer({ rootDir: scratch.dir });
    const uri = uriOf(cell);
    const p = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: cellText } });
    await p;
  });
  after(async () => {
    await server.stop();
    scratch.dispose();
  });

  const labels = async () => {
    const r = (await server.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(cell) }, position: positionIn(cellText, '$0/* communication region */') })) as CompletionList;
    return r.items.map((i) => i.label);
  };
  const hoverText = async (pattern: string) => {
    const h = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(cell) }, position: positionIn(cellText, pattern) })) as Hover | null;
    return h ? (h.contents as MarkupContent).value : '';
  };
  const setBoard = async (board: unknown) => {
    const uri = uriOf(cell);
    const p = server.nextDiagnostics(uri);
    await server.conn.sendNotification('jailhouse/setBoard', { board });
    return p;
  };

  test('without a board, the root cell is the board', async () => {
    const l = await labels();
    assert.ok(l.includes('UART2 · 0x30890000 · 64 KiB'), l.join('\n'));
    assert.ok(!l.some((x) => x.startsWith('UART1 ')), 'the root does not list UART1');
    assert.match(await hoverText('.phys_start = 0x$030a60000'), /Board: mini \(root cell\)[\s\S]*\*\*UART4\*\*/);
  });

  test('setBoard switches completion, hover and diagnostics at once', async () => {
    const diags = await setBoard('imx8mm-evk');
    assert.ok(diags.diagnostics.some((d) => d.code === 'board-device-uncovered' && /UART3/.test(String(d.message))), JSON.stringify(diags.diagnostics));
    assert.ok(diags.diagnostics.some((d) => d.code === 'board-partial-device'));
    const l = await labels();
    assert.ok(l.includes('UART2 · 0x30890000 · 64 KiB · SPI 27'), l.join('\n'));
    assert.ok(l.some((x) => x.startsWith('UART1 · 0x30860000')));
    const h = await hoverText('.phys_start = 0x$030a60000');
    assert.match(h, /\*\*UART4\*\*/);
    assert.match(h, /fsl,imx8mm-uart/);
    assert.match(h, /SPI 29 \(INTID 61\)/);
    const info = (await server.conn.sendRequest('jailhouse/getBoard')) as { name?: string };
    assert.equal(info.name, 'NXP i.MX8M Mini EVK');
    const unc = diags.diagnostics.find((d) => d.code === 'board-device-uncovered')!;
    const actions = (await server.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(cell) }, range: unc.range, context: { diagnostics: [unc] } })) as { title: string }[];
    assert.ok(actions.some((a) => a.title === 'Map UART3 (0x30880000, 0x10000)'), actions.map((a) => a.title).join('\n'));
  });

  test('a board description object is accepted, and clearing returns to the root cell', async () => {
    await setBoard({
      id: 'tiny', name: 'Tiny', arch: 'arm64', source: { description: 'test board, invented' }, cpus: { count: 4 }, ram: [],
      interruptController: { type: 'gic', version: 3, gicd: '0x38800000', gicr: '0x38880000' },
      devices: [{ name: 'WIDGET', compatible: ['acme,widget'], reg: [{ base: '0x30a60000', size: '0x1000' }], interrupts: [{ type: 'spi', number: 29 }] }],
    });
    assert.ok((await labels()).includes('WIDGET · 0x30a60000 · 4 KiB · SPI 29'));
    const diags = await setBoard(null);
    assert.ok(!diags.diagnostics.some((d) => String(d.code).startsWith('board-device-uncovered')));
    assert.ok((await labels()).includes('UART2 · 0x30890000 · 64 KiB'));
  });

  test('initializationOptions.board sets the board for editors without the notification', async () => {
    const other = await startServer({ rootDir: scratch.dir, initializationOptions: { board: 'qemu-arm64-virt' } });
    try {
      const info = (await other.conn.sendRequest('jailhouse/getBoard')) as { id?: string; devices?: number };
      assert.equal(info.id, 'qemu-arm64-virt');
      assert.ok((info.devices ?? 0) > 30);
    } finally {
      await other.stop();
    }
  });

  test('a board of another SoC: one board-mismatch warning on the root config, with the evidence', async () => {
    const root = path.join(scratch.dir, 'mini-root.c');
    const rootUri = uriOf(root);
    const mismatch = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.some((d) => d.code === 'board-mismatch');
    const published = server.nextDiagnostics(rootUri, mismatch);
    await server.conn.sendNotification('jailhouse/setBoard', { board: 'qemu-arm64-virt' });
    const diags = (await published).diagnostics.filter((d) => d.code === 'board-mismatch');
    assert.equal(diags.length, 1);
    assert.equal(diags[0].severity, 2);
    assert.equal(diags[0].range.start.line, positionIn(read(root), '.gicd_base = $00x38800000').line);
    assert.match(String(diags[0].message), /"QEMU arm64 virt \(GICv3\)" does not look like the machine of this system config: GIC distributor at 0x38800000 in the config, 0x8000000 on the board/);
    // The board of the system: the warning goes away.
    const cleared = server.nextDiagnostics(rootUri, (p) => !mismatch(p));
    const cellDiags = await setBoard('imx8mm-evk');
    assert.ok(!cellDiags.diagnostics.some((d) => d.code === 'board-mismatch'));
    await cleared;
  });

  test('an unknown board is reported, not fatal', async () => {
    await setBoard('no-such-board');
    const info = (await server.conn.sendRequest('jailhouse/getBoard')) as { name?: string; problems: string[] };
    assert.equal(info.name, undefined);
    assert.match(info.problems.join('\n'), /unknown board 'no-such-board'/);
    assert.ok((await labels()).length > 0, 'the server still answers');
  });
});
