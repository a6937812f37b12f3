// Which editor documents are Jailhouse configs. The client bundles the server's one detector
// (server/src/syntax/configKind.ts) because it must decide before any server runs (the server
// starts with the first config opened); a wrapper config's included file is read from its
// open editor, else from disk.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { detectConfig, SCAN_LIMIT, treatAsConfig, type ConfigDetection } from '../../server/src/syntax/configKind';

/** The languages a config may be open in: plain C, or the extension's own mode. */
export const CONFIG_LANGUAGES = ['c', 'jailhouse-cell'];

/** The start of a file (the open document's text when it is open): the detector looks no further. */
export function readHead(file: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) return open.getText();
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    if (!fs.fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(SCAN_LIMIT);
    return buf.subarray(0, fs.readSync(fd, buf, 0, SCAN_LIMIT, 0)).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The detector's answer for a document the extension treats as a config (the server decides alike), else undefined. */
export function configDocument(doc: vscode.TextDocument): ConfigDetection | undefined {
  if (doc.uri.scheme !== 'file' || !CONFIG_LANGUAGES.includes(doc.languageId)) return undefined;
  const d = detectConfig(doc.uri.fsPath, doc.getText(), readHead);
  return treatAsConfig(d) ? d : undefined;
}

export function isJailhouseDocument(doc: vscode.TextDocument): boolean {
  return configDocument(doc) !== undefined;
}
