// LSP handlers: translate requests into feature calls and results back into protocol types.
// Every handler is wrapped so a failure is logged and answered with an empty result.
import {
  CodeActionKind,
  CompletionItemKind,
  DidChangeConfigurationNotification,
  FoldingRangeKind,
  InlayHintKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type DocumentSymbol,
  type InitializeParams,
  type InitializeResult,
  type TextDocuments,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { complete, type CompletionKind } from '../features/completion';
import { definition } from '../features/definition';
import { foldingRanges } from '../features/folding';
import { hover } from '../features/hover';
import { inlayHints } from '../features/inlayHints';
import { documentSymbols, type OutlineSymbol, type SymbolKind as OutlineKind } from '../features/symbols';
import { planCodeActions } from '../features/codeActions';
import { CheckWorkspaceRequest, FileInfoRequest, ServerStatsRequest, type CheckWorkspaceResult, type FileInfo, type ServerStats, type UriParams } from '../protocol/methods';
import { offsetAt, rangeOf } from '../util/source';
import { checkWorkspaceFiles } from '../workspace/checkAll';
import { fixesFor, type FixOut } from './checker';
import { pathToUri, toLocation, toRange, uriToPath } from './convert';
import { isJailhouseConfig } from './detect';
import { findCFiles } from './scan';
import { Session } from './session';
import { boardCompletionEntries, initBoard, registerBoardHandlers, withBoardHover } from './boards';
import { normalizeSettings } from './settings';
import { rootActions } from './rootActions';
import { APPLY_FIX_COMMAND, isLogDocument, registerExplain } from './explain';
import { registerBuild } from './build';
import { registerGenerate } from './generate';

declare const __VERSION__: string | undefined;

export function registerHandlers(connection: Connection, documents: TextDocuments<TextDocument>): Session {
  const session = new Session(connection, documents);
  registerBoardHandlers(connection, session);
  registerBuild(connection, session);
  let canPullConfig = false;
  let workspaceRoots: string[] = [];
  const explain = registerExplain(connection, session, documents, () => workspaceRoots);
  registerGenerate(connection, session, () => workspaceRoots);

  function safe<P, R>(name: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
    return async (p: P) => {
      try {
        return await fn(p);
      } catch (e) {
        connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canPullConfig = !!params.capabilities.workspace?.configuration;
    explain.canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    session.canCreateFiles = !!params.capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create');
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (!workspaceRoots.length && params.rootUri) {
      const r = uriToPath(params.rootUri);
      if (r) workspaceRoots.push(r);
    }
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; pullDiagnostics?: boolean };
    if (init.settings) session.settings = normalizeSettings(init.settings);
    initBoard(session, params.initializationOptions);
    const wantsPull = !!init.pullDiagnostics && !!params.capabilities.textDocument?.diagnostic;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', '|', ' '], resolveProvider: false },
        definitionProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        // Code lenses on `.log` documents (lsp/explain.ts); their fixes run as a server command.
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [APPLY_FIX_COMMAND] },
        ...(wantsPull ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'jailhouse-cell-config', version: typeof __VERSION__ === 'string' ? __VERSION__ : 'dev' },
    };
  });

  async function pullSettings(): Promise<void> {
    if (!canPullConfig) return;
    const raw: unknown = await connection.workspace.getConfiguration('jailhouse');
    session.settings = normalizeSettings(raw);
  }

  connection.onInitialized(
    safe('initialized', undefined, async () => {
      if (canPullConfig) {
        void connection.client.register(DidChangeConfigurationNotification.type, { section: 'jailhouse' }).catch(() => undefined);
        await pullSettings();
        session.recheckAll();
      }
    }),
  );

  connection.onDidChangeConfiguration(
    safe('didChangeConfiguration', undefined, async (p) => {
      if (canPullConfig) await pullSettings();
      else {
        const s = (p.settings as { jailhouse?: unknown } | undefined)?.jailhouse;
        if (s) session.settings = normalizeSettings(s);
      }
      session.recheckAll();
    }),
  );

  const onDocChange = (td: TextDocument) => {
    const file = uriToPath(td.uri);
    // Console logs are only read when asked (hover, code lens): a growing log costs nothing.
    if (!file || isLogDocument(td)) return;
    if (isJailhouseConfig(td.getText(), file, session.files)) session.schedule(file);
    else {
      // Not (or no longer) a config: it still may be included by one, and it must not keep
      // diagnostics from a time it was one.
      session.clearFile(file);
      for (const other of session.documents.all()) {
        const op = uriToPath(other.uri);
        if (op && op !== file && session.cache.peek(op)?.files.has(file)) session.schedule(op);
      }
    }
  };
  documents.onDidOpen((e) => onDocChange(e.document));
  documents.onDidChangeContent((e) => onDocChange(e.document));
  documents.onDidClose(
    (e) =>
      void safe('didClose', undefined, () => {
        const file = uriToPath(e.document.uri);
        if (!file) return;
        session.cache.forget(file);
        session.forgetDoc(file);
        // Its system is re-checked against the saved file; if nothing of it is open any more,
        // its diagnostics are withdrawn (unless the workspace was checked as a whole).
        const onDisk = session.files.read(file);
        if (onDisk !== undefined && isJailhouseConfig(onDisk, file, session.files)) session.schedule(file);
        else if (!session.workspaceFiles.has(file)) session.clearFile(file);
      })(undefined),
  );
  connection.onDidChangeWatchedFiles(
    safe('didChangeWatchedFiles', undefined, (p) => {
      let declarationChanged = false;
      for (const c of p.changes) {
        const f = uriToPath(c.uri);
        if (!f) continue;
        session.files.invalidate(f);
        session.cache.forget(f);
        if (f.endsWith('.json')) {
          declarationChanged = true; // jailhouse-cells.json: systems may be grouped differently
          continue;
        }
        const text = session.files.read(f);
        if (text === undefined) session.fileDeleted(f);
        else if (isJailhouseConfig(text, f, session.files)) session.schedule(f);
        // Configs that include the file (`#include "x.c"`) see it change too.
        for (const d of session.documents.all()) {
          const op = uriToPath(d.uri);
          if (op && op !== f && session.cache.peek(op)?.files.has(f)) session.schedule(op);
        }
      }
      if (declarationChanged) session.recheckAll();
    }),
  );

  connection.onHover(
    safe('hover', null, (p) => {
      const log = documents.get(p.textDocument.uri);
      if (log && isLogDocument(log)) return explain.hover(p.textDocument.uri, p.position.line);
      const d = session.docFor(p.textDocument.uri);
      if (!d) return null;
      const file = d.doc.file;
      const off = offsetAt(d.source, p.position);
      const h = withBoardHover(session, d.doc, off, d.ctx, hover(d.doc, off, d.ctx));
      if (!h) return null;
      return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.loc.file === file ? rangeOf(d.source, h.loc) : undefined };
    }),
  );

  const KIND: Record<CompletionKind, CompletionItemKind> = {
    field: CompletionItemKind.Field,
    member: CompletionItemKind.Module,
    constant: CompletionItemKind.Constant,
    value: CompletionItemKind.Value,
    snippet: CompletionItemKind.Snippet,
  };
  connection.onCompletion(
    safe('completion', null, (p) => {
      const d = session.docFor(p.textDocument.uri);
      if (!d) return null;
      const src = d.source;
      const offset = offsetAt(src, p.position);
      const items: CompletionItem[] = [...complete(d.doc, offset), ...boardCompletionEntries(session, d.doc, offset, d.ctx)].map((e) => ({
        label: e.label,
        kind: KIND[e.kind],
        detail: e.detail,
        documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
        sortText: e.sortText,
        insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        // Texts are indented relative to the cursor's line; clients add its indentation.
        insertTextMode: InsertTextMode.adjustIndentation,
        textEdit: { range: rangeOf(src, { start: e.replaceStart, end: offset }), newText: e.insertText },
        additionalTextEdits: e.additionalEdits?.map((a) => ({ range: rangeOf(src, a), newText: a.newText })),
      }));
      return { isIncomplete: false, items };
    }),
  );

  connection.onDefinition(
    safe('definition', null, (p) => {
      const d = session.docFor(p.textDocument.uri);
      if (!d) return null;
      const locs = definition(d.doc, offsetAt(d.source, p.position), d.ctx);
      const lookup = (f: string) => session.files.source(f);
      return locs.map((l) => toLocation(l, lookup));
    }),
  );

  const SYMBOL: Record<OutlineKind, SymbolKind> = { struct: SymbolKind.Struct, array: SymbolKind.Array, field: SymbolKind.Field, object: SymbolKind.Object };
  connection.onDocumentSymbol(
    safe('documentSymbol', null, (p) => {
      const d = session.docFor(p.textDocument.uri);
      if (!d) return null;
      const src = d.source;
      const conv = (s: OutlineSymbol): DocumentSymbol => ({
        name: s.name || '(unnamed)',
        detail: s.detail,
        kind: SYMBOL[s.kind],
        range: rangeOf(src, s.loc),
        selectionRange: rangeOf(src, s.selection),
        children: s.children.map(conv),
      });
      return documentSymbols(d.doc).map(conv);
    }),
  );

  connection.onFoldingRanges(
    safe('foldingRanges', null, (p) => {
      const d = session.docFor(p.textDocument.uri);
      if (!d) return null;
      const src = d.source;
      return foldingRanges(d.doc).map((f) => {
        const r = rangeOf(src, f);
        return { startLine: r.start.line, endLine: Math.max(r.start.line, f.kind ? r.end.line : r.end.line - 1), kind: f.kind ? FoldingRangeKind.Comment : undefined };
      }).filter((f) => f.endLine > f.startLine);
    }),
  );

  connection.languages.inlayHint.on(
    safe('inlayHint', null, (p) => {
      const d = session.docFor(p.textDocument.uri);
      if (!d) return null;
      const src = d.source;
      const range = { start: offsetAt(src, p.range.start), end: offsetAt(src, p.range.end) };
      return inlayHints(d.doc, range, session.settings.inlayHints).map((h) => ({
        position: rangeOf(src, { start: h.offset, end: h.offset }).start,
        label: h.label,
        kind: h.side === 'before' ? InlayHintKind.Parameter : InlayHintKind.Type,
        tooltip: h.tooltip,
        paddingLeft: h.side === 'after',
        paddingRight: h.side === 'before',
      }));
    }),
  );

  connection.onCodeAction(
    safe('codeAction', null, (p) => {
      const file = uriToPath(p.textDocument.uri);
      if (!file || !session.documents.get(p.textDocument.uri)) return null;
      const src = session.files.source(file);
      if (!src) return null;
      const sys = session.systemAnalyses(file);
      const lookup = (f: string) => session.files.source(f);
      const toEdit = (edits: FixOut['edits']): WorkspaceEdit => {
        const changes: Record<string, TextEdit[]> = {};
        for (const e of edits) (changes[pathToUri(e.file)] ??= []).push({ range: toRange({ file: e.file, start: e.start, end: e.end }, lookup), newText: e.newText });
        return { changes };
      };
      const plan = planCodeActions({
        file,
        diags: session.lastDiags.get(file) ?? [],
        start: offsetAt(src, p.range.start),
        end: offsetAt(src, p.range.end),
        only: p.context.only,
        fixesOf: (d) => fixesFor(d, sys),
      });
      return plan.flatMap((a): CodeAction[] => {
        if (a.type === 'root') return rootActions(session, file, a.diag, p.context.diagnostics.find((x) => x.code === a.diag.code), workspaceRoots);
        if (a.type === 'fixAll') return [{ title: a.title, kind: a.kind, edit: toEdit(a.edits) }];
        const lspDiag = p.context.diagnostics.find((x) => x.code === a.diag.code && x.message === a.diag.message);
        return [{ title: a.fix.title, kind: CodeActionKind.QuickFix, isPreferred: !!a.fix.preferred, diagnostics: lspDiag ? [lspDiag] : undefined, edit: toEdit(a.fix.edits) }];
      });
    }),
  );

  connection.languages.diagnostics.on(
    safe('pullDiagnostics', { kind: 'full' as const, items: [] }, (p) => {
      const file = uriToPath(p.textDocument.uri);
      const td = session.documents.get(p.textDocument.uri);
      if (!file || !td || !isJailhouseConfig(td.getText(), file, session.files)) return { kind: 'full' as const, items: [] };
      return { kind: 'full' as const, items: session.diagnosticsOf(file) };
    }),
  );

  connection.onRequest(
    FileInfoRequest,
    safe('fileInfo', { isConfig: false }, (p: UriParams): FileInfo => {
      const file = uriToPath(p.uri);
      return file ? session.fileInfo(file) : { isConfig: false };
    }),
  );

  // Process figures for the benchmark and for bug reports ("Jailhouse: Show Output" prints them).
  connection.onRequest(
    ServerStatsRequest,
    safe('serverStats', { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, documents: 0 }, (): ServerStats => {
      const m = process.memoryUsage();
      return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, documents: documents.keys().length };
    }),
  );

  connection.onRequest(
    CheckWorkspaceRequest,
    safe('checkWorkspace', { files: 0, systems: 0, errors: 0, warnings: 0 }, (): CheckWorkspaceResult => {
      const scan = findCFiles(workspaceRoots);
      const r = checkWorkspaceFiles(scan.files, {
        isConfig: (f) => {
          const t = session.files.read(f);
          return t !== undefined && isJailhouseConfig(t, f, session.files);
        },
        willCheck: (configs) => configs.forEach((f) => session.workspaceFiles.add(f)),
        systemOf: (f) => session.systems.systemOf(f),
        check: (sys) => session.checkAndPublish(sys),
        severitiesOf: (f) => (session.lastDiags.get(f) ?? []).map((d) => d.severity),
      });
      return { files: r.configs.length, systems: r.systems, errors: r.errors, warnings: r.warnings, ...(scan.notChecked ? { notChecked: scan.notChecked } : {}) };
    }),
  );

  documents.listen(connection);
  return session;
}
