// In the real extension host: choosing a board through the `jailhouse.board` setting makes the
// client name it to the server, which reads it, and completion and hover follow the switch.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'jailhouse-tools.jailhouse-cell-config';

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export function registerBoardTests(): void {
  suite('Jailhouse boards in VS Code', () => {
    let doc: vscode.TextDocument;
    const config = () => vscode.workspace.getConfiguration('jailhouse');

    suiteSetup(async () => {
      const ext = vscode.extensions.getExtension<{ ready(): Promise<void> }>(EXTENSION_ID);
      assert.ok(ext);
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder);
      doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'orbit-demo.c'));
      await vscode.window.showTextDocument(doc);
      await (await ext.activate()).ready();
    });
    suiteTeardown(async () => {
      await config().update('board', undefined, vscode.ConfigurationTarget.Workspace);
    });

    const regionListPosition = () => {
      const i = doc.getText().indexOf('.mem_regions = {');
      assert.ok(i >= 0);
      return doc.positionAt(doc.getText().indexOf('\n', i) + 1);
    };
    const labels = async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, regionListPosition());
      return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    const hoverAt = async (needle: string) => {
      const pos = doc.positionAt(doc.getText().indexOf(needle) + 3);
      const hs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      return hs.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
    };

    test('switching the board changes completion and hover', async () => {
      await config().update('board', 'qemu-arm64-virt', vscode.ConfigurationTarget.Workspace);
      await until('QEMU virt devices in completion', async () => (await labels()).includes('UART0 · 0x9000000 · 4 KiB · SPI 1'));
      const h = await until('board hover', async () => {
        const t = await hoverAt('0x09000000');
        return /\*\*UART0\*\*/.test(t) && t;
      });
      assert.match(h, /arm,pl011/);
      assert.match(h, /SPI 1 \(INTID 33\)/);

      await config().update('board', 'rpi4', vscode.ConfigurationTarget.Workspace);
      const after = await until('Raspberry Pi 4 devices in completion', async () => {
        const l = await labels();
        return l.some((x) => x.startsWith('UART0 · 0xfe201000')) && l;
      });
      assert.ok(!after.includes('UART0 · 0x9000000 · 4 KiB · SPI 1'), 'the old board is gone');
    });
  });
}
