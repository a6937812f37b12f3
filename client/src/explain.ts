// "Jailhouse: Explain Console Output": sends console text (the selection, else the clipboard,
// else a file the user picks) to the language server (`jailhouse/explainLog`), shows each
// explanation as a diagnostic on the config it is about (with its fixes as code actions) and
// all of them in a Markdown preview. The server explains; this file only shows.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExplainLogRequest, type ExplainedEvent, type ExplainFix, type ExplainLogResult } from '../../server/src/protocol/methods';
import { readLog } from '../../server/src/explain/log';
import { CONFIG_LANGUAGES } from './configDocs';

export const EXPLAIN_COMMAND = 'jailhouse.explainConsoleOutput';
const PANEL_SCHEME = 'jailhouse-explain';
const PANEL_URI = vscode.Uri.from({ scheme: PANEL_SCHEME, path: '/Console explained.md' });

/** What the command resolves to (the in-host tests read it). */
export interface ExplainShown extends ExplainLogResult {
  /** Where the text came from. */
  from: 'argument' | 'selection' | 'clipboard' | 'file' | 'none';
  /** The preview's source document. */
  panel?: string;
}

/** A `.log` document with a line the hypervisor or the driver prints: the server is started for it; other logs are left alone. */
export function isConsoleLog(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && doc.languageId === 'log' && readLog(doc.getText()).some((e) => e.kind !== 'info');
}

/** Faults (not the informational lines) are what the user acts on. */
const isFault = (e: ExplainedEvent) => e.kind !== 'info';

function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function toWorkspaceEdit(edit: ExplainFix['edit']): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const [uri, edits] of Object.entries(edit.changes)) for (const e of edits) we.replace(vscode.Uri.parse(uri), toRange(e.range), e.newText);
  return we;
}

function panelText(r: ExplainLogResult, source: string): string {
  const faults = r.events.filter(isFault);
  const head = [`# Console output explained`, '', `From ${source}: ${faults.length} fault(s), ${r.events.length - faults.length} other line(s) read; ${r.configs.length} configuration file(s) looked at.`];
  if (r.notChecked) head.push('', `Not checked: ${r.notChecked}.`);
  if (!r.events.length) head.push('', 'No line of the text is one the hypervisor or the Jailhouse driver prints.');
  return [...head, ...r.events.filter(isFault).flatMap((e) => ['', '---', '', e.markdown])].join('\n') + '\n';
}

export function registerExplain(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('jailhouse-explain');
  const fixesOf = new Map<vscode.Diagnostic, ExplainFix[]>();
  let panel = '';
  const changed = new vscode.EventEmitter<vscode.Uri>();

  context.subscriptions.push(
    diagnostics,
    changed,
    vscode.workspace.registerTextDocumentContentProvider(PANEL_SCHEME, { onDidChange: changed.event, provideTextDocumentContent: () => panel }),
    vscode.languages.registerCodeActionsProvider(
      CONFIG_LANGUAGES.map((language) => ({ scheme: 'file', language })),
      {
        provideCodeActions: (_doc, _range, ctx) =>
          ctx.diagnostics.flatMap((d) =>
            (fixesOf.get(d) ?? []).map((f) => {
              const a = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
              a.diagnostics = [d];
              a.isPreferred = !!f.preferred;
              a.edit = toWorkspaceEdit(f.edit);
              return a;
            }),
          ),
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    // An edit to a config makes the explanations on it stale: they are withdrawn, not left wrong.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && diagnostics.has(e.document.uri)) diagnostics.delete(e.document.uri);
    }),
    vscode.commands.registerCommand(EXPLAIN_COMMAND, async (arg?: { text?: string } | vscode.Uri): Promise<ExplainShown> => {
      const client = await getClient();
      const editor = vscode.window.activeTextEditor;
      const ask = (text: string, uri?: string) => client.sendRequest(ExplainLogRequest, { text, ...(uri ? { uri } : {}) });
      let from: ExplainShown['from'] = 'none';
      let source = '';
      let r: ExplainLogResult | undefined;
      if (arg instanceof vscode.Uri || (arg && typeof arg.text === 'string')) {
        const uri = arg instanceof vscode.Uri ? arg : undefined;
        const text = uri ? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) : (arg as { text: string }).text;
        r = await ask(text, uri?.toString());
        from = 'argument';
        source = uri ? vscode.workspace.asRelativePath(uri) : 'the text given';
      } else if (editor && !editor.selection.isEmpty) {
        r = await ask(editor.document.getText(editor.selection), editor.document.uri.toString());
        from = 'selection';
        source = `the selection in ${vscode.workspace.asRelativePath(editor.document.uri)}`;
      } else {
        const clip = await vscode.env.clipboard.readText();
        if (clip.trim()) {
          r = await ask(clip);
          from = 'clipboard';
          source = 'the clipboard';
        }
        // A clipboard without a line we know is not what the user meant: ask for a file.
        if (!r?.events.length) {
          const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Explain', filters: { 'Console logs': ['log', 'txt'], 'All files': ['*'] } });
          if (picked?.[0]) {
            r = await ask(new TextDecoder().decode(await vscode.workspace.fs.readFile(picked[0])), picked[0].toString());
            from = 'file';
            source = vscode.workspace.asRelativePath(picked[0]);
          }
        }
      }
      if (!r) return { version: 1, events: [], configs: [], from };

      diagnostics.clear();
      fixesOf.clear();
      const byFile = new Map<string, vscode.Diagnostic[]>();
      for (const e of r.events.filter(isFault)) {
        if (!e.anchor) continue;
        const d = new vscode.Diagnostic(toRange(e.anchor.range), `Console line ${e.line + 1}: ${e.message}`, e.fixes.length ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
        d.source = 'jailhouse explain';
        d.code = e.kind;
        fixesOf.set(d, e.fixes);
        (byFile.get(e.anchor.uri) ?? byFile.set(e.anchor.uri, []).get(e.anchor.uri)!).push(d);
      }
      for (const [uri, ds] of byFile) diagnostics.set(vscode.Uri.parse(uri), ds);

      panel = panelText(r, source);
      changed.fire(PANEL_URI);
      try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', PANEL_URI);
      } catch {
        // Without the built-in Markdown preview, the text itself is the panel.
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(PANEL_URI), { viewColumn: vscode.ViewColumn.Beside, preview: true });
      }
      const faults = r.events.filter(isFault).length;
      if (!faults) void vscode.window.showInformationMessage(r.events.length ? 'Jailhouse: the text has no fault to explain.' : 'Jailhouse: no hypervisor or driver line found in the text.');
      return { ...r, from, panel: PANEL_URI.toString() };
    }),
  );
}
