// The memory-map webview: command `jailhouse.showMemoryMap` and a "Show memory map" code lens on
// the header of every Jailhouse configuration. The language server draws the map
// (`jailhouse/memoryMap`); this file only shows it, refreshes it after edits, and reveals the
// source of a clicked element. The webview runs media/map.js under a strict CSP: scripts and
// styles only from the extension's media folder, nothing inline, nothing remote.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { INFO_HTML, TOOLBAR_HTML } from '../../server/src/map/page';
import { MemoryMapRequest, type MapLoc, type MemoryMapResult } from '../../server/src/protocol/methods';
import { CONFIG_LANGUAGES, configDocument, isJailhouseDocument } from './configDocs';

export const SHOW_MEMORY_MAP = 'jailhouse.showMemoryMap';
const LANGUAGES = CONFIG_LANGUAGES;
/** Re-draw this long after the last keystroke. */
const REFRESH_DELAY_MS = 300;

/** What the command resolves to (used by the in-host tests). */
export interface MapShown {
  title?: string;
  error?: string;
  conflicts: number;
}

function isConfigDoc(doc: vscode.TextDocument): boolean {
  return isJailhouseDocument(doc);
}

class MapPanel {
  private seq = 0;
  private refs: Record<string, MapLoc> = {};
  private timer: NodeJS.Timeout | undefined;
  private webviewReady = false;
  private pendingMessage: unknown;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private target: vscode.Uri,
    private sourceColumn: vscode.ViewColumn,
    private readonly getClient: () => Promise<LanguageClient>,
    media: vscode.Uri,
    private readonly onDispose: () => void,
  ) {
    const webview = panel.webview;
    const css = webview.asWebviewUri(vscode.Uri.joinPath(media, 'map.css'));
    const js = webview.asWebviewUri(vscode.Uri.joinPath(media, 'map.js'));
    const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src ${webview.cspSource}; img-src ${webview.cspSource} data:; font-src ${webview.cspSource};`;
    webview.html = [
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<link rel="stylesheet" href="${css}">`,
      '<title>Memory map</title></head><body>',
      TOOLBAR_HTML,
      '<div id="viewport">Loading the memory map…</div>',
      INFO_HTML,
      `<script src="${js}"></script>`,
      '</body></html>',
    ].join('');
    this.disposables.push(
      webview.onDidReceiveMessage((m: { type?: string; ref?: string }) => {
        if (m?.type === 'ready') {
          this.webviewReady = true;
          if (this.pendingMessage) void webview.postMessage(this.pendingMessage);
        } else if (m?.type === 'reveal' && typeof m.ref === 'string') void this.reveal(m.ref);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && isConfigDoc(e.document)) this.schedule();
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isConfigDoc(d)) this.schedule();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  retarget(uri: vscode.Uri, column: vscode.ViewColumn): void {
    this.target = uri;
    this.sourceColumn = column;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  async refresh(): Promise<MapShown> {
    const seq = ++this.seq;
    let result: MemoryMapResult;
    try {
      const client = await this.getClient();
      result = await client.sendRequest(MemoryMapRequest, { uri: this.target.toString() });
    } catch (e) {
      result = { error: `The language server did not answer: ${e instanceof Error ? e.message : String(e)}` };
    }
    // A newer request is on its way: its answer is the one to show.
    if (seq !== this.seq) return { title: result.title, error: result.error, conflicts: result.map?.conflicts?.length ?? 0 };
    this.refs = result.map?.refs ?? {};
    if (result.title) this.panel.title = result.title;
    const message = result.svg ? { type: 'update', svg: result.svg, title: result.title } : { type: 'update', error: result.error ?? 'No memory map available.' };
    this.pendingMessage = message;
    if (this.webviewReady) await this.panel.webview.postMessage(message);
    return { title: result.title, error: result.error, conflicts: result.map?.conflicts?.length ?? 0 };
  }

  private async reveal(ref: string): Promise<void> {
    const loc = this.refs[ref];
    if (!loc) return;
    const uri = loc.uri ? vscode.Uri.parse(loc.uri) : vscode.Uri.file(loc.file);
    const r = loc.range;
    const range = r ? new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) : new vscode.Range(0, 0, 0, 0);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: this.sourceColumn, selection: new vscode.Selection(range.start, range.start), preserveFocus: false });
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      // Anchored at the end, so the cursor (and the status bar) sits where the element starts.
      editor.selection = new vscode.Selection(range.end, range.start);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDispose();
  }
}

class HeaderLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const d = configDocument(doc);
    if (!d) return [];
    // On the header member, or on a wrapper config's `#include` of the config it wraps.
    const at = doc.positionAt(d.at?.start ?? 0);
    return [new vscode.CodeLens(new vscode.Range(at, at), { title: 'Show memory map', command: SHOW_MEMORY_MAP, arguments: [doc.uri] })];
  }
}

/**
 * Registers the command and the code lens. `getClient` starts the language server if needed;
 * the map panel is one per window and follows the file it was last opened for.
 */
export function registerMapView(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const media = vscode.Uri.joinPath(context.extensionUri, 'media');
  let current: MapPanel | undefined;
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(
      LANGUAGES.map((language) => ({ scheme: 'file', language })),
      new HeaderLens(),
    ),
    vscode.commands.registerCommand(SHOW_MEMORY_MAP, async (arg?: vscode.Uri | string): Promise<MapShown> => {
      const editor = vscode.window.activeTextEditor;
      const uri = typeof arg === 'string' ? vscode.Uri.parse(arg) : (arg ?? editor?.document.uri);
      if (!uri) {
        void vscode.window.showWarningMessage('Open a Jailhouse configuration to see its memory map.');
        return { error: 'no configuration', conflicts: 0 };
      }
      const column = editor?.viewColumn ?? vscode.ViewColumn.One;
      if (current) {
        current.retarget(uri, column);
        current.panel.reveal(vscode.ViewColumn.Beside, true);
      } else {
        const panel = vscode.window.createWebviewPanel('jailhouse.memoryMap', 'Memory map', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
          enableScripts: true,
          localResourceRoots: [media],
        });
        current = new MapPanel(panel, uri, column, getClient, media, () => (current = undefined));
      }
      return current.refresh();
    }),
  );
}
