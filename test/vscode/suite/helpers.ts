// What every in-host test needs: a file of the opened workspace folder, and a wait for a
// condition the extension reaches asynchronously (diagnostics published, a lens resolved, …).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export function fileIn(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Polls `probe` until it gives something other than undefined/false; a timeout names `what`. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
