// Status bar item: which system (root cell) and board the active configuration belongs to, and
// for a cell why that root (or that it is checked without one).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface FileInfo {
  isConfig: boolean;
  kind?: 'system' | 'cell';
  name?: string;
  arch?: string;
  system?: string;
  rootFile?: string;
  cells?: number;
  board?: string;
  /** Cells: how the server grouped it (jailhouse/fileInfo). */
  grouping?: { reason: 'declared' | 'explicit' | 'folder' | 'prefix' | 'content' | 'none'; evidence?: string[]; candidates?: string[]; why?: string; text?: string };
}

/** Short words for the status bar; the tooltip carries the server's full sentence. */
const REASON: Record<string, string> = { declared: 'declared', explicit: 'named', folder: 'same folder', prefix: 'name prefix', content: 'inferred', none: 'no root' };

export class StatusItem implements vscode.Disposable {
  private item = vscode.window.createStatusBarItem('jailhouse.status', vscode.StatusBarAlignment.Left, 50);
  private seq = 0;

  constructor() {
    this.item.name = 'Jailhouse system';
    this.item.command = 'jailhouse.showOutput';
  }

  async update(editor: vscode.TextEditor | undefined, client: LanguageClient | undefined): Promise<void> {
    const mine = ++this.seq;
    if (!editor || !client || !['c', 'jailhouse-cell'].includes(editor.document.languageId)) {
      this.item.hide();
      return;
    }
    let info: FileInfo;
    try {
      info = await client.sendRequest<FileInfo>('jailhouse/fileInfo', { uri: editor.document.uri.toString() });
    } catch {
      info = { isConfig: false };
    }
    if (mine !== this.seq) return; // a newer editor switch already answered
    if (!info.isConfig) {
      this.item.hide();
      return;
    }
    const g = info.grouping;
    const rootless = !info.rootFile || g?.reason === 'none';
    const system = rootless ? 'no root cell' : (info.system ?? '(unnamed system)');
    const board = info.board && !rootless ? ` · ${info.board}` : '';
    const reason = g ? ` (${REASON[g.reason] ?? g.reason})` : '';
    this.item.text = `$(${rootless ? 'warning' : 'circuit-board'}) ${system}${board}${g && !rootless ? reason : ''}`;
    const what = info.kind === 'system' ? 'system configuration (root cell)' : `cell "${info.name ?? '?'}"`;
    const lines = [`**Jailhouse** ${what}${info.arch ? ` · ${info.arch}` : ''}`, '', `System: ${system}${info.rootFile && !rootless ? ` (\`${info.rootFile}\`)` : ''}`];
    if (g?.text) lines.push(g.text.charAt(0).toUpperCase() + g.text.slice(1));
    lines.push(`Cells in the system: ${info.cells ?? 0}`);
    this.item.tooltip = new vscode.MarkdownString(lines.join('\n\n'));
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
