// Status bar item: which system (root cell) and board the active configuration belongs to.
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
}

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
    const system = info.system ?? '(no system config found)';
    const board = info.board ? ` · ${info.board}` : '';
    this.item.text = `$(circuit-board) ${system}${board}`;
    const what = info.kind === 'system' ? 'system configuration (root cell)' : `cell "${info.name ?? '?'}"`;
    this.item.tooltip = new vscode.MarkdownString(
      [`**Jailhouse** ${what}${info.arch ? ` · ${info.arch}` : ''}`, '', `System: ${system}${info.rootFile ? ` (\`${info.rootFile}\`)` : ''}`, `Cells in the system: ${info.cells ?? 0}`].join('\n\n'),
    );
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
