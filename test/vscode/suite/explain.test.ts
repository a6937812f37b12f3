// "Jailhouse: Explain Console Output" inside a real VS Code: the selection of a console log is
// explained against the workspace's configs, the explanation lands as a diagnostic on the cell
// with its fix as a code action, the fix written makes the address covered without a new error,
// the panel opens; and the open `.log` file itself gets hovers and code lenses.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileIn, until } from './helpers';
import type { ExplainShown } from '../../../client/src/explain';

const errorsOf = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'jailhouse' && d.severity === vscode.DiagnosticSeverity.Error)
    .map((d) => `${String(d.code)}: ${d.message}`)
    .sort();

const explainTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.includes('Console explained'));

export function registerExplainTests(): void {
  suite('Jailhouse: Explain Console Output', () => {
    test('the selection is explained: a diagnostic on the cell, its fix as a code action, the panel', async () => {
      const log = await vscode.workspace.openTextDocument(fileIn('orbit-console.log'));
      const editor = await vscode.window.showTextDocument(log);
      editor.selection = new vscode.Selection(0, 0, log.lineCount, 0);
      const shown = await vscode.commands.executeCommand<ExplainShown>('jailhouse.explainConsoleOutput');
      assert.equal(shown.from, 'selection');
      const e = shown.events.find((x) => x.kind === 'mmio');
      assert.ok(e, JSON.stringify(shown.events));
      assert.equal(e.address, '0xa000200');
      assert.equal(e.cell?.name, 'orbit-demo');
      assert.ok(e.covering.some((c) => c.file.endsWith('orbit.c') && c.name === 'Ethernet'), JSON.stringify(e.covering));
      assert.ok(e.fixes.length > 0);

      const cell = fileIn('orbit-demo.c');
      const diag = await until('the explanation on the cell', () => vscode.languages.getDiagnostics(cell).find((d) => d.source === 'jailhouse explain'));
      assert.match(diag.message, /^Console line 2: /);
      const doc = await vscode.workspace.openTextDocument(cell);
      await vscode.window.showTextDocument(doc);
      const errorsBefore = errorsOf(cell);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', cell, diag.range);
      const fix = actions.find((a) => a.title === e.fixes[0].title);
      assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
      const before = doc.getText();
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.notEqual(doc.getText(), before);
      // The explanation is withdrawn once the cell changes; the checks see no new error.
      await until('the stale explanation withdrawn', () => !vscode.languages.getDiagnostics(cell).some((d) => d.source === 'jailhouse explain'));
      await until('the fixed cell re-checked', async () => {
        await new Promise((r) => setTimeout(r, 200));
        return JSON.stringify(errorsOf(cell)) === JSON.stringify(errorsBefore);
      });
      const again = await vscode.commands.executeCommand<ExplainShown>('jailhouse.explainConsoleOutput', { text: log.getText() });
      const after = again.events.find((x) => x.kind === 'mmio');
      assert.ok(after?.covering.some((c) => c.file === cell.fsPath), JSON.stringify(after?.covering));
      assert.equal(after?.fixes.length, 0);

      await until('the panel open', () => explainTab());
      // Leave the workspace as the other suites expect it.
      const whole = new vscode.WorkspaceEdit();
      whole.replace(cell, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), before);
      assert.ok(await vscode.workspace.applyEdit(whole));
      await doc.save();
    });

    test('the open .log file: a hover on the fault line and a code lens that names the cell and the fix', async () => {
      const log = await vscode.workspace.openTextDocument(fileIn('orbit-console.log'));
      await vscode.window.showTextDocument(log);
      const line = log.getText().split('\n').findIndex((l) => l.startsWith('Unhandled data read'));
      const lenses = await until('the code lens', async () => {
        const ls = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', log.uri);
        return ls.some((l) => l.range.start.line === line) ? ls : undefined;
      });
      const lens = lenses.find((l) => l.range.start.line === line);
      assert.match(lens?.command?.title ?? '', /^explain: cell orbit-demo, .* — .*Ethernet/);
      for (let c = 0; c < log.lineAt(line).text.length; c++) {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log.uri, new vscode.Position(line, c));
        const text = hovers.flatMap((h) => h.contents).map((x) => (typeof x === 'string' ? x : 'value' in x ? x.value : '')).join('\n');
        assert.match(text, /orbit-demo[\s\S]*Ethernet/, `hover at ${line}:${c}`);
      }
    });
  });
}
