// The VS Code side: starts the bundled language server (over IPC) once a Jailhouse
// configuration is opened, and adds commands and a status bar item. No analysis happens here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV } from '../../server/src/lsp/runtime';
import { CheckWorkspaceRequest } from '../../server/src/protocol/methods';
import { registerBoards } from './boards';
import { registerBuild } from './build';
import { isJailhouseDocument } from './configDocs';
import { registerDiff } from './diff';
import { registerMapView } from './mapView';
import { isConsoleLog, registerExplain } from './explain';
import { registerNewConfig } from './newConfig';
import { StatusItem } from './status';

export const LANGUAGE_ID = 'jailhouse-cell';
const SELECTOR = [
  { scheme: 'file', language: 'c' },
  { scheme: 'file', language: LANGUAGE_ID },
  // Console logs get hovers and code lenses explaining the hypervisor's lines (lsp/explain.ts).
  { scheme: 'file', language: 'log' },
];

let client: LanguageClient | undefined;
let starting: Promise<LanguageClient> | undefined;
let output: vscode.LogOutputChannel;
let status: StatusItem;

/** What the in-host tests use to wait for the server. */
export interface JailhouseApi {
  /** Resolves once the language server runs (starting it if needed). */
  ready(): Promise<void>;
}

function startClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  if (starting) return starting;
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    outputChannel: output,
    synchronize: {
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{c,h}'), vscode.workspace.createFileSystemWatcher('**/jailhouse-cells.json')],
    },
  };
  const c = new LanguageClient('jailhouse', 'Jailhouse Language Server', serverOptions, clientOptions);
  starting = c.start().then(() => {
    client = c;
    void status.update(vscode.window.activeTextEditor, c);
    return c;
  });
  starting.catch((e: unknown) => {
    output.appendLine(`failed to start the language server: ${String(e)}`);
    starting = undefined;
  });
  return starting;
}

async function maybeSwitchLanguage(doc: vscode.TextDocument): Promise<void> {
  const mode = vscode.workspace.getConfiguration('jailhouse').get<string>('languageMode', 'c');
  if (mode === LANGUAGE_ID && doc.languageId === 'c' && isJailhouseDocument(doc)) await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
}

export function activate(context: vscode.ExtensionContext): JailhouseApi {
  output = vscode.window.createOutputChannel('Jailhouse', { log: true });
  status = new StatusItem();
  context.subscriptions.push(output, status);

  const consider = (doc: vscode.TextDocument) => {
    if (isConsoleLog(doc)) {
      if (!starting) void startClient(context);
      return;
    }
    if (!isJailhouseDocument(doc)) return;
    void maybeSwitchLanguage(doc);
    if (!starting) void startClient(context);
  };
  vscode.workspace.textDocuments.forEach(consider);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(consider),
    vscode.window.onDidChangeActiveTextEditor((e) => void status.update(e, client)),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (d === vscode.window.activeTextEditor?.document) void status.update(vscode.window.activeTextEditor, client);
    }),
    vscode.commands.registerCommand('jailhouse.restartServer', async () => {
      if (client && client.state === State.Running) await client.restart();
      else await startClient(context);
      void status.update(vscode.window.activeTextEditor, client);
    }),
    vscode.commands.registerCommand('jailhouse.checkWorkspace', async () => {
      const c = await startClient(context);
      const r = await c.sendRequest(CheckWorkspaceRequest, {});
      const msg = `Jailhouse: ${r.files} configuration file(s) in ${r.systems} system(s): ${r.errors} error(s), ${r.warnings} warning(s).${r.notChecked ? ` Not checked: ${r.notChecked}.` : ''}`;
      output.appendLine(msg);
      void vscode.window.showInformationMessage(msg);
      return r;
    }),
    vscode.commands.registerCommand('jailhouse.showOutput', () => output.show(true)),
  );
  registerMapView(context, () => startClient(context));
  registerExplain(context, () => startClient(context));
  registerDiff(context, () => startClient(context));
  registerBoards(context, () => startClient(context));
  registerBuild(context, () => startClient(context));
  registerNewConfig(context, () => startClient(context));
  return {
    ready: async () => {
      await startClient(context);
    },
  };
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
