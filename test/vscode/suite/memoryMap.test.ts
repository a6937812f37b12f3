// The memory map inside a real VS Code: the "Show memory map" code lens on the header, the
// command opening the webview with the system's map, and a redraw after an unsaved edit.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileIn } from './helpers';

interface MapShown {
  title?: string;
  error?: string;
  conflicts: number;
}

const mapTab = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('jailhouse.memoryMap'));

export function registerMemoryMapTests(): void {
  suite('Jailhouse memory map', () => {
    test('the header carries a "Show memory map" code lens', async () => {
      const doc = await vscode.workspace.openTextDocument(fileIn('orbit.c'));
      await vscode.window.showTextDocument(doc);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const lens = lenses.find((l) => l.command?.command === 'jailhouse.showMemoryMap');
      assert.ok(lens, 'lens present');
      assert.equal(lens.command?.title, 'Show memory map');
      assert.equal(lens.range.start.line, doc.positionAt(doc.getText().indexOf('struct jailhouse_system')).line);
    });

    test('the command opens the map of the system the file belongs to', async () => {
      const doc = await vscode.workspace.openTextDocument(fileIn('orbit.c'));
      const shown = await vscode.commands.executeCommand<MapShown>('jailhouse.showMemoryMap', doc.uri);
      assert.equal(shown.error, undefined);
      assert.equal(shown.title, 'Memory map of Orbit-4');
      // The tab model follows the panel asynchronously.
      for (let i = 0; i < 100 && mapTab()?.label !== 'Memory map of Orbit-4'; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(mapTab()?.label, 'Memory map of Orbit-4', 'the webview tab is open and titled');
    });

    test('the open map redraws after an unsaved edit', async () => {
      const doc = await vscode.workspace.openTextDocument(fileIn('orbit.c'));
      const editor = await vscode.window.showTextDocument(doc);
      const rename = async (from: string, to: string) => {
        const at = doc.getText().indexOf(`.name = "${from}"`);
        assert.ok(at >= 0, from);
        await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at + 9), doc.positionAt(at + 9 + from.length)), to));
      };
      await rename('Orbit-4', 'Orbit-X');
      // No command: the panel notices the edit and asks the server again.
      for (let i = 0; i < 100 && mapTab()?.label !== 'Memory map of Orbit-X'; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(mapTab()?.label, 'Memory map of Orbit-X');
      await rename('Orbit-X', 'Orbit-4');
      await doc.save();
    });
  });
}
