// Quick fixes of `system-root` (a cell checked without a root): one per candidate root, each
// writing the choice into jailhouse-cells.json — the declaration in force for the cell, else a
// new one at the workspace folder holding the cell (next to the cell without a folder).
import * as path from 'node:path';
import { CodeActionKind, CreateFile, TextDocumentEdit, TextEdit, type CodeAction, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Diag } from '../core/diagnostics';
import { DECLARATION_FILE, declareCell, type SystemRootData } from '../workspace';
import { pathToUri } from './convert';
import type { Session } from './session';

/** Where a new declaration goes: the innermost workspace folder holding `file`, else its folder. */
export function declarationTarget(session: Session, file: string, workspaceRoots: string[]): string {
  const existing = session.systems.declarationFileFor(file);
  if (existing) return existing;
  const holder = workspaceRoots.filter((r) => !path.relative(r, file).startsWith('..')).sort((a, b) => b.length - a.length)[0];
  return path.join(holder ?? path.dirname(file), DECLARATION_FILE);
}

function wholeText(text: string): TextEdit['range'] {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

export function rootActions(session: Session, file: string, diag: Diag, lspDiag: Diagnostic | undefined, workspaceRoots: string[]): CodeAction[] {
  const candidates = (diag.data as SystemRootData | undefined)?.candidates ?? [];
  if (!candidates.length) return [];
  const target = declarationTarget(session, file, workspaceRoots);
  const current = session.files.read(target);
  const uri = pathToUri(target);
  const out: CodeAction[] = [];
  for (const root of candidates) {
    const known = session.systems.systemOf(root).cells;
    const text = declareCell(target, current, root, file, known);
    if (text === undefined) continue; // a declaration we cannot parse: its own errors say why
    // A new file needs CreateFile where the client supports it; others get an insertion into
    // the new file's URI, which clients without resource operations open as a new buffer.
    const edit: WorkspaceEdit =
      current === undefined && session.canCreateFiles
        ? { documentChanges: [CreateFile.create(uri, { ignoreIfExists: true }), TextDocumentEdit.create({ uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, text)])] }
        : { changes: { [uri]: [current === undefined ? TextEdit.insert({ line: 0, character: 0 }, text) : TextEdit.replace(wholeText(current), text)] } };
    out.push({
      title: `Check with ${path.basename(root)} (write ${DECLARATION_FILE})`,
      kind: CodeActionKind.QuickFix,
      isPreferred: out.length === 0 && candidates.length === 1,
      diagnostics: lspDiag ? [lspDiag] : undefined,
      edit,
    });
  }
  return out;
}
