// Status bar item: which system (root cell) and board the active configuration belongs to, and
// for a cell why that root (or that it is checked without one).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FileInfoRequest, type FileInfo } from '../../server/src/protocol/methods';
import { statusText } from './statusText';

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
      info = await client.sendRequest(FileInfoRequest, { uri: editor.document.uri.toString() });
    } catch {
      info = { isConfig: false };
    }
    if (mine !== this.seq) return; // a newer editor switch already answered
    if (!info.isConfig) {
      this.item.hide();
      return;
    }
    const { text, tooltip } = statusText(info);
    this.item.text = text;
    this.item.tooltip = new vscode.MarkdownString(tooltip.join('\n\n'));
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
