// The board in VS Code: the `jailhouse.board` setting (a bundled id, or a path to a board
// JSON or a device tree), a status-bar picker over bundled boards, workspace board files and
// DTS files, and the import of a device tree into a board file. The resolved description is
// sent to the server (`jailhouse/setBoard`), so completion, hover and diagnostics follow.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { formatDtsDiag } from '../../server/src/boards/dts/diag';
import { importDtsFile } from '../../server/src/boards/dts/import';
import { boardToJson, stringifyBoard } from '../../server/src/boards/json';
import { isDtsPath, loadBoard } from '../../server/src/boards/load';
import { bundledBoards } from '../../server/src/boards/registry';
import type { Board } from '../../server/src/boards/types';
import { isJailhouseDocument } from './configDocs';

const SET_BOARD = 'jailhouse/setBoard';
const OFFER_KEY = 'jailhouse.boards.dtsOfferDismissed';
const BOARD_GLOBS = '{**/*.board.json,**/boards/*.json,**/.jailhouse/board*.json}';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.vscode-test/**}';

/** What the in-host tests read back. */
export interface BoardsApi {
  /** The board last sent to the server (undefined: none, the root cell serves). */
  current(): Board | undefined;
  /** Resolves once the setting in effect has been resolved and sent. */
  synced(): Promise<void>;
}

function workspaceDir(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function setting(): string {
  return (vscode.workspace.getConfiguration('jailhouse').get<string>('board') ?? '').trim();
}

function includeDirs(): string[] {
  const dirs = vscode.workspace.getConfiguration('jailhouse').get<string[]>('boardIncludeDirs') ?? [];
  const base = workspaceDir() ?? process.cwd();
  return dirs.filter((d) => typeof d === 'string' && d).map((d) => (path.isAbsolute(d) ? d : path.join(base, d)));
}

export function registerBoards(context: vscode.ExtensionContext, start: () => Promise<LanguageClient>): BoardsApi {
  const output = vscode.window.createOutputChannel('Jailhouse Boards', { log: true });
  const item = vscode.window.createStatusBarItem('jailhouse.board', vscode.StatusBarAlignment.Left, 49);
  item.name = 'Jailhouse board';
  item.command = 'jailhouse.selectBoard';
  context.subscriptions.push(output, item);

  let current: Board | undefined;
  let lastSent: Promise<void> = Promise.resolve();
  const watched = new WeakSet<LanguageClient>();

  const render = () => {
    const spec = setting();
    item.text = `$(circuit-board) ${current ? current.name : spec ? `${spec} (unresolved)` : 'Board: root cell'}`;
    item.tooltip = new vscode.MarkdownString(
      current
        ? `**Jailhouse board** ${current.name}${current.soc ? ` · ${current.soc}` : ''}\n\n${current.devices.length} devices · ${current.arch}\n\nClick to choose another board.`
        : 'No board chosen: cells use their root cell as the board. Click to choose one.',
    );
    const ed = vscode.window.activeTextEditor?.document;
    const relevant = !!ed && (['c', 'jailhouse-cell'].includes(ed.languageId) || isDtsPath(ed.fileName) || ed.fileName.endsWith('.board.json'));
    if (relevant || spec) item.show();
    else item.hide();
  };

  const resolve = (): Board | undefined => {
    const spec = setting();
    if (!spec) return undefined;
    const r = loadBoard(spec, { baseDir: workspaceDir(), includeDirs: includeDirs() });
    for (const d of r.dtsDiags ?? []) output.appendLine(formatDtsDiag(d));
    for (const p of r.problems) output.warn(`board ${spec}: ${p}`);
    if (!r.board && r.problems.length) void vscode.window.showWarningMessage(`Jailhouse board "${spec}": ${r.problems[0]}`);
    return r.board;
  };

  let sentTo: LanguageClient | undefined;
  let resolvedOnce = false;
  const send = async (c: LanguageClient) => {
    sentTo = c;
    if (!watched.has(c)) {
      watched.add(c);
      // A restarted server has lost the board: send it again.
      context.subscriptions.push(c.onDidChangeState((e) => e.newState === State.Running && void c.sendNotification(SET_BOARD, { board: current ? boardToJson(current) : null })));
    }
    await c.sendNotification(SET_BOARD, { board: current ? boardToJson(current) : null, baseDir: workspaceDir() });
  };

  const sync = (startServer: boolean) => {
    resolvedOnce = true;
    current = resolve();
    render();
    lastSent = (async () => {
      try {
        if (startServer || current) await send(await start());
      } catch (e) {
        output.error(`cannot send the board: ${String(e)}`);
      }
    })();
    return lastSent;
  };

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('jailhouse.board') || e.affectsConfiguration('jailhouse.boardIncludeDirs')) void sync(true);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => render()),
    vscode.workspace.onDidSaveTextDocument((d) => {
      const spec = setting();
      if (spec && !bundledBoards().some((b) => b.id === spec) && path.resolve(workspaceDir() ?? '', spec) === d.fileName) void sync(true);
    }),
    vscode.commands.registerCommand('jailhouse.selectBoard', () => pickBoard()),
    vscode.commands.registerCommand('jailhouse.importDeviceTree', (uri?: vscode.Uri) => importDeviceTree(uri)),
  );

  async function pickBoard(): Promise<string | undefined> {
    type Pick = vscode.QuickPickItem & { value?: string };
    const items: Pick[] = [{ label: '$(close) None', description: 'the root cell serves as the board', value: '' }];
    items.push({ label: 'Bundled boards', kind: vscode.QuickPickItemKind.Separator });
    for (const b of bundledBoards()) items.push({ label: b.name, description: b.id, detail: `${b.soc ?? ''} · ${b.devices.length} devices`, value: b.id });
    const base = workspaceDir();
    const rel = (u: vscode.Uri) => (base ? path.relative(base, u.fsPath) : u.fsPath);
    const [jsons, dtss] = await Promise.all([vscode.workspace.findFiles(BOARD_GLOBS, EXCLUDE, 200), vscode.workspace.findFiles('**/*.dts', EXCLUDE, 300)]);
    if (jsons.length) {
      items.push({ label: 'Board files in the workspace', kind: vscode.QuickPickItemKind.Separator });
      for (const u of jsons) items.push({ label: path.basename(u.fsPath), description: rel(u), value: rel(u) });
    }
    if (dtss.length) {
      items.push({ label: 'Device trees in the workspace', kind: vscode.QuickPickItemKind.Separator });
      for (const u of dtss) items.push({ label: path.basename(u.fsPath), description: rel(u), value: rel(u) });
    }
    const chosen = await vscode.window.showQuickPick(items, { title: 'Jailhouse board', placeHolder: 'Board for completion, hover and checks', matchOnDescription: true, matchOnDetail: true });
    if (!chosen || chosen.value === undefined) return undefined;
    await vscode.workspace.getConfiguration('jailhouse').update('board', chosen.value, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    await lastSent;
    return chosen.value;
  }

  async function importDeviceTree(uri?: vscode.Uri): Promise<string | undefined> {
    let file = uri?.fsPath ?? (isDtsPath(vscode.window.activeTextEditor?.document.fileName ?? '') ? vscode.window.activeTextEditor!.document.fileName : undefined);
    if (!file) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Device tree': ['dts', 'dtsi'] }, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
      file = picked?.[0]?.fsPath;
    }
    if (!file) return undefined;
    const r = importDtsFile(file, { includeDirs: includeDirs() });
    output.info(`import ${file}: ${r.diags.length} message(s)`);
    for (const d of r.diags) output.appendLine(formatDtsDiag(d));
    if (!r.board) {
      void vscode.window.showErrorMessage(`Cannot import ${path.basename(file)}: ${r.diags[0] ? formatDtsDiag(r.diags[0]) : 'nothing readable'}`);
      return undefined;
    }
    const target = path.join(path.dirname(file), `${r.board.id}.board.json`);
    await vscode.workspace.fs.writeFile(vscode.Uri.file(target), Buffer.from(stringifyBoard(boardToJson(r.board)) + '\n'));
    const base = workspaceDir();
    await vscode.workspace.getConfiguration('jailhouse').update('board', base ? path.relative(base, target) : target, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    const errors = r.diags.filter((d) => d.severity === 'error').length;
    void vscode.window.showInformationMessage(`Imported ${r.board.devices.length} devices from ${path.basename(file)} into ${path.basename(target)}${errors ? ` (${errors} error(s), see the output)` : ''}.`);
    await lastSent;
    return target;
  }

  const offerDts = async () => {
    if (setting() || context.workspaceState.get<boolean>(OFFER_KEY)) return;
    const dts = await vscode.workspace.findFiles('**/*.dts', EXCLUDE, 1);
    if (!dts.length) return;
    const pick = await vscode.window.showInformationMessage('This workspace holds device trees. Use one as the Jailhouse board for completion and hover?', 'Choose Board', 'Import Device Tree', "Don't Ask Again");
    if (pick === 'Choose Board') await pickBoard();
    else if (pick === 'Import Device Tree') await importDeviceTree();
    else if (pick === "Don't Ask Again") await context.workspaceState.update(OFFER_KEY, true);
  };

  // Send the board as soon as a server runs for a Jailhouse document.
  const isConfigDoc = isJailhouseDocument;
  let offered = false;
  const onDoc = (d: vscode.TextDocument) => {
    if (!isConfigDoc(d)) return;
    if (!resolvedOnce) void sync(true);
    else lastSent = start().then((c) => (c !== sentTo ? send(c) : undefined), (e: unknown) => output.error(`cannot send the board: ${String(e)}`));
    if (!offered) {
      offered = true;
      void offerDts();
    }
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(onDoc));
  if (vscode.workspace.textDocuments.some(isConfigDoc)) vscode.workspace.textDocuments.filter(isConfigDoc).slice(0, 1).forEach(onDoc);
  else void sync(false);
  return { current: () => current, synced: () => lastSent };
}
