// `jailhouse/explainLog` {text, uri?} → what each hypervisor/driver line of a console log means
// against the configs the editor knows, with the fixes as workspace edits; and the same
// explanations as hovers and code lenses on an open `.log` document.
//
// Which configs: the system of `uri` when it is a config, the systems of the open configs, and
// every config under the workspace folders (the bounded scan "check workspace" uses). A log is
// about one machine, and the user opened the folder of its configs; a config outside the
// folders counts once it is open. What the scan's bounds leave out is said (`notChecked`).
import * as path from 'node:path';
import type { CodeLens, Connection, Hover, TextDocuments } from 'vscode-languageserver/node';
import { CodeLensRefreshRequest, MarkupKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { explainEvents } from '../explain/explain';
import { readLog } from '../explain/log';
import type { Explanation } from '../explain/types';
import type { ConfigModel } from '../core/model';
import type { System } from '../rules/types';
import { rangeOf, type Loc, type SourceFile } from '../util/source';
import { explanationJson, sourcesOf } from '../explain/json';
import { ExplainLogRequest, type ExplainedEvent, type ExplainFix, type ExplainLogParams, type ExplainLogResult, type LspRange } from '../protocol/methods';
import { pathToUri, uriToPath } from './convert';
import { isJailhouseConfig } from './detect';
import { findCFiles } from './scan';
import type { Session } from './session';

/** The server-side command a code lens runs to apply an explanation's fix (any LSP client can run it). */
export const APPLY_FIX_COMMAND = 'jailhouse.explain.applyFix';

/** A `.log` document (by language or name): the only documents the explainer decorates. */
export function isLogDocument(td: TextDocument): boolean {
  return td.languageId === 'log' || /\.log$/i.test(td.uri);
}

function systemsFor(session: Session, roots: string[], uri: string | undefined): { systems: System[]; configs: string[]; notChecked?: string } {
  // The explainer takes the first cell of a name it finds (upstream folders hold many
  // "inmate-demo"s): the config the text came from first, then the open configs, then the rest.
  const seeds = new Set<string>();
  const scan = findCFiles(roots);
  const isConfig = (f: string) => {
    const t = session.files.read(f);
    return t !== undefined && isJailhouseConfig(t, f, session.files);
  };
  const own = uri ? uriToPath(uri) : undefined;
  if (own && isConfig(own)) seeds.add(own);
  for (const d of session.documents.all()) {
    const f = uriToPath(d.uri);
    if (f && !seeds.has(f) && isJailhouseConfig(d.getText(), f, session.files)) seeds.add(f);
  }
  for (const f of scan.files) if (!seeds.has(f) && isConfig(f)) seeds.add(f);
  const seen = new Set<string>();
  const systems: System[] = [];
  for (const f of seeds) {
    if (seen.has(f)) continue;
    const sys = session.systems.systemOf(f);
    for (const m of [sys.root, ...sys.cells]) if (m) seen.add(m);
    systems.push(session.analysesOf(sys));
  }
  const notes = [scan.notChecked, seeds.size ? undefined : 'no Jailhouse configuration in the workspace folders or among the open files'].filter(Boolean);
  return { systems, configs: [...seen].sort(), ...(notes.length ? { notChecked: notes.join('; ') } : {}) };
}

export function explainLog(session: Session, roots: string[], p: ExplainLogParams): ExplainLogResult {
  const { systems, configs, notChecked } = systemsFor(session, roots, p.uri);
  const explained = explainEvents(readLog(p.text ?? ''), systems, { board: session.board.board });
  const modelOf = (f: string) => session.cache.get(f)?.model;
  return { version: 1, events: explained.map((x) => toEvent(x, sourcesOf(systems), modelOf)), configs, ...(notChecked ? { notChecked } : {}) };
}

function toEvent(x: Explanation, sf: (file: string) => SourceFile, modelOf: (f: string) => ConfigModel | undefined): ExplainedEvent {
  // The CLI's JSON contract (explain/json.ts), then what an editor needs on top: URIs, the
  // ranges of the covering regions, fixes as workspace edits, where to show it, Markdown.
  const base = explanationJson(x, sf);
  const range = (loc: Loc): LspRange => rangeOf(sf(loc.file), loc);
  const section = x.event.kind === 'pio' ? 'pio_regions' : 'mem_regions';
  const covering = x.covering.map((c, i) => {
    const loc = modelOf(c.file)?.[section][c.region]?.$loc;
    return { ...base.covering[i], uri: pathToUri(c.file), ...(loc ? { range: range(loc) } : {}) };
  });
  const fixes: ExplainFix[] = base.fixes.map((f) => {
    const changes: ExplainFix['edit']['changes'] = {};
    for (const t of f.edits) (changes[pathToUri(t.file)] ??= []).push({ range: t.range, newText: t.newText });
    return { title: f.title, ...(f.preferred ? { preferred: true } : {}), edit: { changes } };
  });
  let anchor: ExplainedEvent['anchor'];
  if (x.cell) {
    const own = covering.find((c) => c.file === x.cell!.file && c.range);
    const header = modelOf(x.cell.file)?.header.$loc;
    const r = own?.range ?? (header ? range(header) : undefined);
    // One line: the element's first line, not the whole block.
    if (r) anchor = { file: x.cell.file, uri: pathToUri(x.cell.file), range: { start: r.start, end: r.start.line === r.end.line ? r.end : { line: r.start.line, character: r.start.character + 1 } } };
  }
  const out: ExplainedEvent = {
    ...base,
    cell: x.cell ? { ...base.cell!, file: x.cell.file, uri: pathToUri(x.cell.file) } : base.cell,
    covering,
    fixes,
    ...(anchor ? { anchor } : {}),
    markdown: '',
  };
  out.markdown = markdownOf(out);
  return out;
}

const link = (uri: string, file: string, r?: LspRange) => `[${path.basename(file)}${r ? `:${r.start.line + 1}` : ''}](${uri}${r ? `#L${r.start.line + 1}` : ''})`;

/** The readable form of one explanation (hover on the log line, the VS Code panel). */
export function markdownOf(e: ExplainedEvent): string {
  const lines = [`**Line ${e.line + 1}** \`${e.text.replace(/`/g, "'")}\``, '', e.message];
  if (e.cell) lines.push('', `Cell **${e.cell.name}**${e.cell.uri && e.cell.file ? ` — ${link(e.cell.uri, e.cell.file, e.anchor?.range)}` : ''}${e.cell.how === 'cpu' ? ' (the cell owning the CPU; the log does not name it)' : ''}`);
  if (e.device) lines.push('', `Device: **${e.device.name}** ${e.device.start} (size ${e.device.size}), from ${e.device.source}`);
  if (e.covering.length) lines.push('', 'Mapped by:', ...e.covering.map((c) => `- ${c.cell}: region ${c.region}${c.name ? ` (${c.name})` : ''} — ${link(c.uri, c.file, c.range)}`));
  if (e.rules?.length) lines.push('', `Checks that explain it: ${e.rules.map((r) => `\`${r}\``).join(', ')}`);
  if (e.fixes.length) lines.push('', 'Fix:', ...e.fixes.map((f) => `- ${f.title}`));
  return lines.join('\n');
}

/** The code lens title, short: the cell, the access and the device, then the fix (else the first words of the explanation). */
export function lensTitle(e: ExplainedEvent): string {
  const first = e.message.split(/(?<=\.)\s/)[0].replace(/\.$/, '');
  const tail = e.fixes[0]?.title ?? (first.length > 70 ? `${first.slice(0, 69)}…` : first);
  if (e.kind === 'driver') return `explain: ${[e.ioctl, e.errno].filter(Boolean).join(' ') || 'driver error'} — ${e.rules?.length ? `checks: ${e.rules.join(', ')}` : tail}`;
  const what = `${e.access ?? e.kind}${e.address ? ` at ${e.address}` : ''}${e.device ? ` (${e.device.name})` : ''}`;
  return `explain: ${e.cell ? `cell ${e.cell.name}, ` : ''}${what} — ${tail}`;
}

export interface ExplainHandlers {
  hover(uri: string, line: number): Hover | null;
  /** The client re-asks for code lenses when told (`workspace/codeLens/refresh`). */
  canRefreshLenses: boolean;
}

export function registerExplain(connection: Connection, session: Session, documents: TextDocuments<TextDocument>, roots: () => string[]): ExplainHandlers {
  const fail = (what: string, e: unknown) => connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  // Hovers and lenses of one log version share one explanation (the configs may change under
  // it: a newer config edit is seen on the next version or request).
  let last: { uri: string; version: number; result: ExplainLogResult } | undefined;
  const ofLog = (uri: string): ExplainLogResult | undefined => {
    const td = documents.get(uri);
    if (!td || !isLogDocument(td)) return undefined;
    if (last?.uri === uri && last.version === td.version) return last.result;
    const result = explainLog(session, roots(), { text: td.getText(), uri });
    last = { uri, version: td.version, result };
    return result;
  };
  const faults = (r: ExplainLogResult) => r.events.filter((e) => e.kind !== 'info');
  documents.onDidChangeContent(() => (last = undefined));

  connection.onRequest(ExplainLogRequest, (p: ExplainLogParams): ExplainLogResult => {
    try {
      last = undefined;
      return explainLog(session, roots(), p ?? { text: '' });
    } catch (e) {
      fail('explainLog', e);
      return { version: 1, events: [], configs: [], notChecked: `the log could not be explained: ${e instanceof Error ? e.message : String(e)}` };
    }
  });

  connection.onCodeLens((p): CodeLens[] | null => {
    try {
      const r = ofLog(p.textDocument.uri);
      if (!r) return null;
      return faults(r).map((e) => ({
        range: { start: { line: e.line, character: 0 }, end: { line: e.line, character: 0 } },
        // A lens without a fix is a plain label (an empty command id is not clickable).
        command: e.fixes[0] ? { title: lensTitle(e), command: APPLY_FIX_COMMAND, arguments: [e.fixes[0].edit] } : { title: lensTitle(e), command: '' },
      }));
    } catch (e) {
      fail('codeLens', e);
      return null;
    }
  });

  connection.onExecuteCommand(async (p) => {
    if (p.command !== APPLY_FIX_COMMAND || !p.arguments?.[0]) return null;
    try {
      const r = await connection.workspace.applyEdit({ label: 'Jailhouse: explain fix', edit: p.arguments[0] as ExplainFix['edit'] });
      return r.applied;
    } catch (e) {
      fail('applyFix', e);
      return false;
    }
  });

  // A config checked again may have changed what a log's lenses say (a fix applied makes its
  // lens stale): open logs get fresh lenses, asked for by the client.
  const onChecked = session.onChecked;
  session.onChecked = (files) => {
    onChecked?.(files);
    last = undefined;
    if (handlers.canRefreshLenses && documents.all().some(isLogDocument)) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };

  const handlers: ExplainHandlers = {
    canRefreshLenses: false,
    hover(uri, line) {
      const r = ofLog(uri);
      const e = r && faults(r).find((x) => x.line <= line && line <= x.endLine);
      return e ? { contents: { kind: MarkupKind.Markdown, value: e.markdown } } : null;
    },
  };
  return handlers;
}
