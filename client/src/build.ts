// *Jailhouse: Build Cell Image*: the `.cell` image of a config written beside it by the language
// server (`jailhouse/buildImage`, what `jhcell build` writes). The document is saved first, so
// the image is the file's. A refusal shows the diagnostic that refused it and where.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BuildImageRequest, type BuildImageResult } from '../../server/src/protocol/methods';
import { isJailhouseDocument } from './configDocs';

export const BUILD_COMMAND = 'jailhouse.buildCellImage';
/** Context key: the active editor shows a Jailhouse config (menus and palette use it). */
const ACTIVE_CONFIG_KEY = 'jailhouse.activeConfig';

export function registerBuild(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const output = vscode.window.createOutputChannel('Jailhouse Build');
  const updateContext = () => {
    const doc = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', ACTIVE_CONFIG_KEY, !!doc && doc.uri.scheme === 'file' && isJailhouseDocument(doc));
  };
  updateContext();
  context.subscriptions.push(
    output,
    vscode.window.onDidChangeActiveTextEditor(updateContext),
    vscode.commands.registerCommand(BUILD_COMMAND, async (arg?: vscode.Uri): Promise<BuildImageResult> => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file') {
        void vscode.window.showWarningMessage('Open a Jailhouse configuration (a .c file on disk) to build its cell image.');
        return { refused: 'no configuration', problems: [], warnings: [] };
      }
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open?.isDirty && !(await open.save())) {
        void vscode.window.showErrorMessage(`${path.basename(uri.fsPath)} could not be saved: nothing was built.`);
        return { refused: 'not saved', problems: [], warnings: [] };
      }
      const client = await getClient();
      const r = await client.sendRequest(BuildImageRequest, { uri: uri.toString() });
      report(output, uri, r);
      return r;
    }),
  );
}

function report(output: vscode.OutputChannel, uri: vscode.Uri, r: BuildImageResult): void {
  const name = path.basename(uri.fsPath);
  output.appendLine(`${new Date().toLocaleTimeString()} ${vscode.workspace.asRelativePath(uri)}`);
  for (const p of r.problems) {
    output.appendLine(`  ${vscode.workspace.asRelativePath(vscode.Uri.parse(p.uri))}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message} [${p.code}]`);
  }
  for (const w of r.warnings) output.appendLine(`  warning: ${w}`);
  if (r.written) {
    const built = `Built ${path.basename(r.written.file)} (${r.written.bytes} bytes)`;
    output.appendLine(`  ${built}`);
    if (r.warnings.length) {
      void vscode.window.showWarningMessage(`${built}, but: ${r.warnings[0]}`, 'Show Details').then((a) => a && output.show(true));
    } else {
      void vscode.window.showInformationMessage(built);
    }
    return;
  }
  output.appendLine(`  ${r.refused ?? 'not built'}`);
  const first = r.problems[0];
  const where = first ? ` (${path.basename(vscode.Uri.parse(first.uri).fsPath)}:${first.range.start.line + 1}: ${first.message})` : '';
  void vscode.window.showErrorMessage(`${name}: ${r.refused ?? 'not built'}${where}`, ...(first ? ['Go to Problem', 'Show Details'] : ['Show Details'])).then(async (a) => {
    if (a === 'Show Details') output.show(true);
    if (a === 'Go to Problem' && first) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(first.uri));
      const at = new vscode.Position(first.range.start.line, first.range.start.character);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, new vscode.Position(first.range.end.line, first.range.end.character)) });
    }
  });
}
