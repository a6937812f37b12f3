// Build Cell Image inside a real VS Code: the command writes FILE.cell beside the config (the
// server's bytes, as `jhcell build`), saves an edited config first, and refuses a source
// upstream's build rejects, naming the code and leaving no image.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BuildImageResult } from '../../../server/src/protocol/methods';
import { fileIn } from './helpers';

const exists = async (uri: vscode.Uri) => vscode.workspace.fs.stat(uri).then(() => true, () => false);

export function registerBuildTests(): void {
  suite('Jailhouse build cell image', () => {
    test('writes orbit.cell beside orbit.c', async () => {
      const src = fileIn('orbit.c');
      const cell = fileIn('orbit.cell');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
      const r = await vscode.commands.executeCommand<BuildImageResult>('jailhouse.buildCellImage');
      assert.equal(r.refused, undefined, JSON.stringify(r));
      assert.equal(r.written?.uri, cell.toString());
      const bytes = await vscode.workspace.fs.readFile(cell);
      assert.equal(bytes.length, r.written?.bytes);
      assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), 'JHSYS');
      await vscode.workspace.fs.delete(cell);
    });

    test('an edited config is saved first; a refused one leaves no image', async () => {
      const src = fileIn('orbit-demo.c');
      const doc = await vscode.workspace.openTextDocument(src);
      const editor = await vscode.window.showTextDocument(doc);
      const original = doc.getText();
      const at = original.indexOf('.cpu_set_size');
      assert.ok(at > 0);
      // A misspelt field: gcc rejects it, so does the build.
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + '.cpu_set_size'.length)), '.cpu_set_sise'));
      const r = await vscode.commands.executeCommand<BuildImageResult>('jailhouse.buildCellImage', src);
      assert.equal(doc.isDirty, false, 'saved before building');
      assert.match(r.refused ?? '', /refused by \[unknown-field\]/);
      assert.equal(r.problems[0]?.code, 'unknown-field');
      assert.equal(r.problems[0]?.range.start.line, doc.positionAt(at).line);
      assert.equal(await exists(fileIn('orbit-demo.cell')), false);
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
      await doc.save();
      const ok = await vscode.commands.executeCommand<BuildImageResult>('jailhouse.buildCellImage', src);
      assert.ok(ok.written, JSON.stringify(ok));
      await vscode.workspace.fs.delete(fileIn('orbit-demo.cell'));
    });
  });
}
