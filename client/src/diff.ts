// "Jailhouse: Compare with Saved / Committed Version" (`jailhouse.diffConfig`) and "Compare
// with…" (`jailhouse.diffConfigWith`): the editor's text against the saved file (when there are
// unsaved changes), else git HEAD, or what the user picks (a revision, a compiled .cell from the
// target, another config). The server compares (`jailhouse/diffConfig`); the result opens as a
// read-only text document, one line per change, each line a link to where the change is written.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DiffConfigRequest, type DiffAgainst, type DiffConfigChange, type DiffConfigResult } from '../../server/src/protocol/methods';
import { CONFIG_LANGUAGES } from './configDocs';

export const DIFF_COMMAND = 'jailhouse.diffConfig';
export const DIFF_WITH_COMMAND = 'jailhouse.diffConfigWith';
const SCHEME = 'jailhouse-diff';

/** What the commands resolve to (the in-host tests read it). */
export interface DiffShown extends DiffConfigResult {
  /** The result document's URI. */
  document?: string;
}

/** The change lines of a result document: the text starts with the `---` and `+++` lines. */
const FIRST_CHANGE_LINE = 2;

function target(c: DiffConfigChange): vscode.Uri | undefined {
  // The editor's side (B) first: that is the text the user is looking at.
  const at = c.b?.uri ? c.b : c.a?.uri ? c.a : undefined;
  if (!at?.uri) return undefined;
  return vscode.Uri.parse(at.uri).with({ fragment: `L${(at.range?.start.line ?? at.line - 1) + 1}` });
}

async function pickAgainst(doc: vscode.TextDocument): Promise<DiffAgainst | undefined> {
  type Item = vscode.QuickPickItem & { against: DiffAgainst | 'revision' | 'file' };
  const items: Item[] = [
    { label: 'Saved file', description: doc.isDirty ? 'the file on disk, without your unsaved changes' : 'no unsaved changes', against: 'saved' },
    { label: 'HEAD', description: 'the last commit (git)', against: 'head' },
    { label: 'Another revision…', description: 'a branch, tag or commit (git)', against: 'revision' },
    { label: 'A compiled .cell or another config…', description: 'e.g. the image running on the target', against: 'file' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Compare the editor with…' });
  if (!picked) return undefined;
  if (picked.against === 'revision') {
    const rev = await vscode.window.showInputBox({ title: 'Compare with revision', prompt: 'A git revision: HEAD~1, a branch, a tag or a commit', value: 'HEAD~1' });
    return rev?.trim() ? { revision: rev.trim() } : undefined;
  }
  if (picked.against === 'file') {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Compare', filters: { 'Jailhouse configs': ['cell', 'c'], 'All files': ['*'] } });
    return files?.[0] ? { file: files[0].fsPath } : undefined;
  }
  return picked.against;
}

export function registerDiff(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const shown = new Map<string, DiffConfigResult>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let count = 0;

  const run = async (against: DiffAgainst | undefined, uri?: vscode.Uri): Promise<DiffShown> => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file' || !CONFIG_LANGUAGES.includes(doc.languageId)) {
      const error = 'open a Jailhouse configuration (.c) in the editor first';
      void vscode.window.showWarningMessage(`Jailhouse: ${error}.`);
      return { error };
    }
    const client = await getClient();
    const r = await client.sendRequest(DiffConfigRequest, { uri: doc.uri.toString(), against: against ?? 'auto' });
    if (r.error) {
      void vscode.window.showErrorMessage(`Jailhouse: cannot compare${r.against ? ` with ${r.against}` : ''}: ${r.error}`);
      return r;
    }
    const name = doc.uri.path.split('/').pop() ?? 'config';
    // A new document per comparison: an earlier one stays as it was (its links still point where they did).
    const docUri = vscode.Uri.from({ scheme: SCHEME, path: `/${name} vs ${(r.against ?? '').replace(/[/\\]/g, '_')}.diff`, query: `${++count}` });
    shown.set(docUri.toString(), r);
    changed.fire(docUri);
    const opened = await vscode.workspace.openTextDocument(docUri);
    await vscode.window.showTextDocument(opened, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
    const n = r.changes?.length ?? 0;
    void vscode.window.setStatusBarMessage(`Jailhouse: ${n ? `${n} change${n === 1 ? '' : 's'}` : 'no differences in resources'} against ${r.against}`, 5000);
    return { ...r, document: docUri.toString() };
  };

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (u) => shown.get(u.toString())?.text ?? '' }),
    vscode.languages.registerDocumentLinkProvider(
      { scheme: SCHEME },
      {
        provideDocumentLinks: (doc) => {
          const r = shown.get(doc.uri.toString());
          const links: vscode.DocumentLink[] = [];
          r?.changes?.forEach((c, k) => {
            const to = target(c);
            const line = FIRST_CHANGE_LINE + k;
            if (!to || line >= doc.lineCount) return;
            const link = new vscode.DocumentLink(doc.lineAt(line).range, to);
            link.tooltip = `Go to ${c.b?.uri ? c.b.file : c.a?.file}:${c.b?.uri ? c.b.line : c.a?.line}`;
            links.push(link);
          });
          return links;
        },
      },
    ),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === SCHEME) shown.delete(d.uri.toString());
    }),
    vscode.commands.registerCommand(DIFF_COMMAND, (against?: DiffAgainst, uri?: vscode.Uri) => run(against, uri)),
    vscode.commands.registerCommand(DIFF_WITH_COMMAND, async (uri?: vscode.Uri): Promise<DiffShown> => {
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      const against = doc && (await pickAgainst(doc));
      return against ? run(against, uri) : {};
    }),
  );
}
