// "Jailhouse: Compare with Saved / Committed Version" inside a real VS Code: an unsaved edit is
// compared with the saved file and shown as a read-only document whose change lines link to the
// edited line; the image built from a config compares equal to it; outside git, HEAD is refused
// with a reason.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DiffShown } from '../../../client/src/diff';
import type { BuildImageResult } from '../../../server/src/protocol/methods';
import { fileIn } from './helpers';

export function registerDiffTests(): void {
  suite('Jailhouse: Compare with Saved / Committed Version', () => {
    test('an unsaved edit against the saved file: one change, linked to its line', async () => {
      const src = fileIn('orbit-demo.c');
      const doc = await vscode.workspace.openTextDocument(src);
      const editor = await vscode.window.showTextDocument(doc);
      const original = doc.getText();
      try {
        const at = original.indexOf('.size = 0x01000000');
        assert.ok(at > 0);
        await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + '.size = 0x01000000'.length)), '.size = 0x02000000'));
        assert.ok(doc.isDirty);
        const r = await vscode.commands.executeCommand<DiffShown>('jailhouse.diffConfig');
        assert.equal(r.error, undefined, r.error);
        assert.equal(r.against, 'the saved file');
        assert.equal(r.changes?.length, 1, r.text);
        assert.match(r.changes![0].text, /size 0x1000000 → 0x2000000 \(16 MiB → 32 MiB\)$/);
        assert.ok(r.document);
        const shown = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.document);
        assert.ok(shown, 'the result document is open');
        assert.equal(shown.getText(), r.text);
        assert.match(shown.lineAt(2).text, /^memory: region .* size 0x1000000 → 0x2000000/);
        const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', shown.uri);
        assert.equal(links.length, 1);
        assert.equal(links[0].range.start.line, 2);
        const to = links[0].target!;
        assert.equal(to.with({ fragment: '' }).toString(), src.toString());
        const line = Number(/^L(\d+)$/.exec(to.fragment)?.[1]);
        assert.ok(line > 0, to.fragment);
        // The link goes to the region: its initializer starts on that line or a line above the edit.
        assert.ok(line - 1 <= doc.positionAt(at).line && doc.positionAt(at).line - (line - 1) < 6, `line ${line}`);
      } finally {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
        assert.equal(doc.getText(), original);
      }
    });

    test('the image built from a config compares equal to it', async () => {
      const src = fileIn('orbit.c');
      const cell = fileIn('orbit.cell');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
      const built = await vscode.commands.executeCommand<BuildImageResult>('jailhouse.buildCellImage');
      assert.equal(built.written?.uri, cell.toString(), JSON.stringify(built));
      try {
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
        const r = await vscode.commands.executeCommand<DiffShown>('jailhouse.diffConfig', { file: cell.fsPath });
        assert.equal(r.error, undefined, r.error);
        assert.equal(r.equal, true, r.text);
        assert.equal(r.bytesEqual, true);
        assert.match(r.text ?? '', /^--- orbit\.cell \(system ".*", arm64, image\)$/m);
      } finally {
        await vscode.workspace.fs.delete(cell);
      }
    });

    test('nothing unsaved and no git repository: HEAD is refused with a reason', async () => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fileIn('orbit.c')));
      const r = await vscode.commands.executeCommand<DiffShown>('jailhouse.diffConfig');
      assert.equal(r.against, 'HEAD');
      assert.match(r.error ?? '', /not in a git repository/);
    });
  });
}
