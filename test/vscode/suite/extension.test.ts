// Runs inside a real VS Code extension host against the installed extension: diagnostics
// appear, the quick fix applies, hover and completion answer, other C files are untouched.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileIn, until } from './helpers';

const EXTENSION_ID = 'jailhouse-tools.jailhouse-cell-config';

function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `'${needle}' in ${doc.uri.path}`);
  return doc.positionAt(i + delta);
}

const jailhouseDiags = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'jailhouse');

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export function registerExtensionTests(): void {
  suite('Jailhouse extension in VS Code', () => {
    let demo: vscode.TextDocument;

    suiteSetup(async () => {
      const ext = vscode.extensions.getExtension<{ ready(): Promise<void> }>(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is installed`);
      demo = await vscode.workspace.openTextDocument(fileIn('orbit-demo.c'));
      await vscode.window.showTextDocument(demo);
      const api = await ext.activate();
      await api.ready();
    });

    test('a Jailhouse config stays a C document and gets diagnostics', async () => {
      assert.equal(demo.languageId, 'c');
      const d = await until('count-mismatch diagnostic', () => jailhouseDiags(demo.uri).find((x) => x.code === 'count-mismatch'));
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, positionOf(demo, '.num_memory_regions').line);
    });

    test('hover on a region size shows the size and extent', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', demo.uri, positionOf(demo, '0x01000000', 3));
      const text = hoverText(hovers);
      assert.match(text, /16 MiB/);
      assert.match(text, /0x80000000`–`0x80ffffff/);
    });

    test('completion offers memory flags in a region', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', demo.uri, positionOf(demo, '.flags = JAILHOUSE_MEM_READ', 9));
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('JAILHOUSE_MEM_ROOTSHARED'), labels.slice(0, 20).join(', '));
    });

    test('the quick fix applies and the diagnostic clears', async () => {
      const d = await until('count-mismatch diagnostic', () => jailhouseDiags(demo.uri).find((x) => x.code === 'count-mismatch'));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', demo.uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.isPreferred && a.edit);
      assert.ok(fix?.edit, `a preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(demo.getText(), /\.num_memory_regions = ARRAY_SIZE\(config\.mem_regions\)/);
      await until('diagnostic cleared', () => !jailhouseDiags(demo.uri).some((x) => x.code === 'count-mismatch'));
    });

    test('document symbols list the regions by name', async () => {
      const syms = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', demo.uri);
      const regions = syms.find((s) => s.name === 'mem_regions');
      assert.deepEqual(
        regions?.children.map((c) => c.name),
        ['UART', 'RAM', 'communication region'],
      );
    });

    test('an ordinary C file is left alone', async () => {
      const plain = await vscode.workspace.openTextDocument(fileIn('plain.c'));
      await vscode.window.showTextDocument(plain);
      assert.equal(plain.languageId, 'c');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', plain.uri, positionOf(plain, 'point p', 2));
      assert.equal(hoverText(hovers).includes('Jailhouse'), false);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(jailhouseDiags(plain.uri).length, 0);
    });

    test('with jailhouse.languageMode = jailhouse-cell a config opens in that language and keeps every feature', async () => {
      const cfg = vscode.workspace.getConfiguration('jailhouse');
      await cfg.update('languageMode', 'jailhouse-cell', vscode.ConfigurationTarget.Workspace);
      try {
        const uri = fileIn('orbit.c');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const doc = await until('orbit.c switched to jailhouse-cell', () =>
          vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'jailhouse-cell'),
        );
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '.phys_start = 0x7fc00000', 2));
        assert.match(hoverText(hovers), /phys_start/);
        const syms = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
        assert.ok(syms.some((s) => s.name === 'mem_regions'), syms.map((s) => s.name).join(', '));
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, '.flags = JAILHOUSE_MEM_READ', 9));
        assert.ok(list.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'JAILHOUSE_MEM_ROOTSHARED'));
        // An ordinary C file opened now stays C.
        const plain = await vscode.workspace.openTextDocument(fileIn('plain.c'));
        assert.equal(plain.languageId, 'c');
        await vscode.languages.setTextDocumentLanguage(doc, 'c');
      } finally {
        await cfg.update('languageMode', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    test('commands are registered in one category', async () => {
      const all = await vscode.commands.getCommands(true);
      for (const c of ['jailhouse.restartServer', 'jailhouse.checkWorkspace', 'jailhouse.showOutput']) assert.ok(all.includes(c), c);
      const r = await vscode.commands.executeCommand<{ files: number; systems: number }>('jailhouse.checkWorkspace');
      assert.equal(r.files, 2);
      assert.equal(r.systems, 1);
    });
  });
}
