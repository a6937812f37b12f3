// The board in VS Code: the `jailhouse.board` setting (a bundled id, or a path to a board
// JSON or a device tree), a status-bar picker over bundled boards, workspace board files and
// DTS files, and the import of a device tree into a board file. The server reads boards: this
// file only names the one chosen (`jailhouse/setBoard`), asks what it got (`jailhouse/getBoard`)
// and shows it, so the extension host bundles no board or device-tree reader.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { isDtsPath } from '../../server/src/boards/dtsPath';
import { GetBoardRequest, ImportDeviceTreeRequest, ListBoardsRequest, SetBoardNotification, type BoardInfo } from '../../server/src/protocol/methods';
import { isJailhouseDocument } from './configDocs';

const OFFER_KEY = 'jailhouse.boards.dtsOfferDismissed';
const BOARD_GLOBS = '{**/*.board.json,**/boards/*.json,**/.jailhouse/board*.json}';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.vscode-test/**}';

/** What the in-host tests read back. */
export interface BoardsApi {
  /** The board the server took (undefined: none, the root cell serves). */
  current(): BoardInfo | undefined;
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

  let current: BoardInfo | undefined;
  let lastSent: Promise<void> = Promise.resolve();
  let sentTo: LanguageClient | undefined;
  let resolvedOnce = false;
  const watched = new WeakSet<LanguageClient>();

  const render = () => {
    const spec = setting();
    item.text = `$(circuit-board) ${current ? current.name : spec ? `${spec} (unresolved)` : 'Board: root cell'}`;
    item.tooltip = new vscode.MarkdownString(
      current
        ? `**Jailhouse board** ${current.name}${current.soc ? ` · ${current.soc}` : ''}\n\n${current.devices ?? 0} devices · ${current.arch}\n\nClick to choose another board.`
        : 'No board chosen: cells use their root cell as the board. Click to choose one.',
    );
    const ed = vscode.window.activeTextEditor?.document;
    const relevant = !!ed && (['c', 'jailhouse-cell'].includes(ed.languageId) || isDtsPath(ed.fileName) || ed.fileName.endsWith('.board.json'));
    if (relevant || spec) item.show();
    else item.hide();
  };

  /** Names the board of the setting to the server, and takes back what it made of it. */
  const send = async (c: LanguageClient, spec: string): Promise<BoardInfo> => {
    sentTo = c;
    if (!watched.has(c)) {
      watched.add(c);
      // A restarted server has lost the board: name it again.
      context.subscriptions.push(c.onDidChangeState((e) => e.newState === State.Running && void c.sendNotification(SetBoardNotification, params(setting()))));
    }
    await c.sendNotification(SetBoardNotification, params(spec));
    // Answered after the notification is handled: messages are handled in order.
    return c.sendRequest(GetBoardRequest);
  };
  const params = (spec: string) => ({ board: spec || null, baseDir: workspaceDir(), includeDirs: includeDirs() });

  const show = (spec: string, info: BoardInfo) => {
    current = info.name ? info : undefined;
    for (const p of info.problems) output.warn(`board ${spec}: ${p}`);
    if (!current && info.problems.length) void vscode.window.showWarningMessage(`Jailhouse board "${spec}": ${info.problems[0]}`);
    render();
  };

  const sync = (startServer: boolean) => {
    resolvedOnce = true;
    const spec = setting();
    current = undefined;
    render();
    lastSent = (async () => {
      try {
        if (!startServer && !spec) return;
        const info = await send(await start(), spec);
        if (spec === setting()) show(spec, info);
      } catch (e) {
        output.error(`cannot send the board: ${String(e)}`);
      }
    })();
    return lastSent;
  };

  /** The bundled boards, as the server lists them. */
  const bundled = async () => (await start()).sendRequest(ListBoardsRequest);

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('jailhouse.board') || e.affectsConfiguration('jailhouse.boardIncludeDirs')) void sync(true);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => render()),
    vscode.workspace.onDidSaveTextDocument(async (d) => {
      const spec = setting();
      if (spec && path.resolve(workspaceDir() ?? '', spec) === d.fileName && !(await bundled()).some((b) => b.id === spec)) void sync(true);
    }),
    vscode.commands.registerCommand('jailhouse.selectBoard', () => pickBoard()),
    vscode.commands.registerCommand('jailhouse.importDeviceTree', (uri?: vscode.Uri) => importDeviceTree(uri)),
  );

  async function pickBoard(): Promise<string | undefined> {
    type Pick = vscode.QuickPickItem & { value?: string };
    const items: Pick[] = [{ label: '$(close) None', description: 'the root cell serves as the board', value: '' }];
    items.push({ label: 'Bundled boards', kind: vscode.QuickPickItemKind.Separator });
    for (const b of await bundled()) items.push({ label: b.name, description: b.id, detail: `${b.soc ?? ''} · ${b.devices} devices`, value: b.id });
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
    const r = await (await start()).sendRequest(ImportDeviceTreeRequest, { path: file, includeDirs: includeDirs() });
    output.info(`import ${file}: ${r.messages.length} message(s)`);
    for (const m of r.messages) output.appendLine(m);
    if (!r.board || r.text === undefined) {
      void vscode.window.showErrorMessage(`Cannot import ${path.basename(file)}: ${r.messages[0] ?? 'nothing readable'}`);
      return undefined;
    }
    const target = path.join(path.dirname(file), `${r.board.id}.board.json`);
    await vscode.workspace.fs.writeFile(vscode.Uri.file(target), Buffer.from(r.text));
    const base = workspaceDir();
    await vscode.workspace.getConfiguration('jailhouse').update('board', base ? path.relative(base, target) : target, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(`Imported ${r.board.devices} devices from ${path.basename(file)} into ${path.basename(target)}${r.errors ? ` (${r.errors} error(s), see the output)` : ''}.`);
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
    else
      lastSent = start().then(
        async (c) => {
          if (c === sentTo) return;
          const spec = setting();
          const info = await send(c, spec);
          if (spec === setting()) show(spec, info);
        },
        (e: unknown) => output.error(`cannot send the board: ${String(e)}`),
      );
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
