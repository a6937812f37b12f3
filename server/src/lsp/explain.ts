// `jailhouse/explainLog` {text, uri?} → what each hypervisor/driver line of a console log means
// against the configs the editor knows, with the fixes as workspace edits; and the same
// explanations as hovers and code lenses on an open `.log` document.
//
// Which configs: every config under the workspace folders (the bounded scan "check workspace"
// uses), the systems of the open configs, and the system of `uri` when it is a config. A log
// is about one machine, and the user opened the folder of its configs; a config outside the
// folders counts once it is open. What the scan's bounds leave out is said (`notChecked`).
import type { CodeLens, Connection, Hover, TextDocuments } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { explainEvents } from '../explain/explain';
import { readLog } from '../explain/log';
import type { Explanation } from '../explain/types';
import type { ConfigModel } from '../core/model';
import type { System } from '../rules/types';
import type { Loc } from '../util/source';
import { ExplainLogRequest, type ExplainedEvent, type ExplainFix, type ExplainLogParams, type ExplainLogResult, type LspRange } from '../protocol/methods';
import { pathToUri, toRange, uriToPath } from './convert';
import { isJailhouseConfig } from './detect';
import { findCFiles } from './scan';
import type { Session } from './session';

/** The server-side command a code lens runs to apply an explanation's fix (any LSP client can run it). */
export const APPLY_FIX_COMMAND = 'jailhouse.explain.applyFix';

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** A `.log` document (by language or name): the only documents the explainer decorates. */
export function isLogDocument(td: TextDocument): boolean {
  return td.languageId === 'log' || /\.log$/i.test(td.uri);
}

function systemsFor(session: Session, roots: string[], uri: string | undefined): { systems: System[]; configs: string[]; notChecked?: string } {
  const seeds: string[] = [];
  const scan = findCFiles(roots);
  const isConfig = (f: string) => {
    const t = session.files.read(f);
    return t !== undefined && isJailhouseConfig(t, f, session.files);
  };
  seeds.push(...scan.files.filter(isConfig));
  for (const d of session.documents.all()) {
    const f = uriToPath(d.uri);
    if (f && !seeds.includes(f) && isJailhouseConfig(d.getText(), f, session.files)) seeds.push(f);
  }
  const own = uri ? uriToPath(uri) : undefined;
  if (own && !seeds.includes(own) && isConfig(own)) seeds.push(own);
  const seen = new Set<string>();
  const systems: System[] = [];
  for (const f of seeds) {
    if (seen.has(f)) continue;
    const sys = session.systems.systemOf(f);
    for (const m of [sys.root, ...sys.cells]) if (m) seen.add(m);
    systems.push(session.analysesOf(sys));
  }
  const notes = [scan.notChecked, seeds.length ? undefined : 'no Jailhouse configuration in the workspace folders or among the open files'].filter(Boolean);
  return { systems, configs: [...seen].sort(), ...(notes.length ? { notChecked: notes.join('; ') } : {}) };
}

export function explainLog(session: Session, roots: string[], p: ExplainLogParams): ExplainLogResult {
  const { systems, configs, notChecked } = systemsFor(session, roots, p.uri);
  const explained = explainEvents(readLog(p.text ?? ''), systems, { board: session.board.board });
  const lookup = (f: string) => session.files.source(f) ?? session.cache.peek(f)?.files.get(f);
  const range = (loc: Loc): LspRange => toRange(loc, lookup);
  const modelOf = (f: string) => session.cache.get(f)?.model;
  return { version: 1, events: explained.map((x) => toEvent(x, range, modelOf)), configs, ...(notChecked ? { notChecked } : {}) };
}

function toEvent(x: Explanation, range: (loc: Loc) => LspRange, modelOf: (f: string) => ConfigModel | undefined): ExplainedEvent {
  const e = x.event;
  const section = e.kind === 'pio' ? 'pio_regions' : 'mem_regions';
  const regionLoc = (file: string, region: number): Loc | undefined => modelOf(file)?.[section][region]?.$loc;
  const covering = x.covering.map((c) => {
    const loc = regionLoc(c.file, c.region);
    return { file: c.file, uri: pathToUri(c.file), region: c.region, ...(c.name ? { name: c.name } : {}), cell: c.cell, ...(loc ? { range: range(loc) } : {}) };
  });
  const fixes: ExplainFix[] = x.fixes.map((f) => {
    const changes: ExplainFix['edit']['changes'] = {};
    for (const t of f.edits) (changes[pathToUri(t.loc.file)] ??= []).push({ range: range(t.loc), newText: t.newText });
    return { title: f.title, ...(f.preferred ? { preferred: true } : {}), edit: { changes } };
  });
  let anchor: ExplainedEvent['anchor'];
  if (x.cell) {
    const own = covering.find((c) => c.file === x.cell!.file && c.range);
    const header = modelOf(x.cell.file)?.header.$loc;
    const r = own?.range ?? (header ? range(header) : undefined);
    if (r) anchor = { file: x.cell.file, uri: pathToUri(x.cell.file), range: { start: r.start, end: r.start.line === r.end.line ? r.end : { line: r.start.line, character: r.start.character + 1 } } };
  }
  const out: ExplainedEvent = {
    line: e.line,
    endLine: e.endLine,
    kind: e.kind,
    text: e.text,
    ...(e.address !== undefined ? { address: hex(e.address) } : {}),
    ...(e.access ? { access: e.access } : {}),
    ...(e.size !== undefined ? { size: e.size } : {}),
    ...(e.cpu !== undefined ? { cpu: e.cpu } : {}),
    ...(x.cell ? { cell: { name: x.cell.name, file: x.cell.file, uri: pathToUri(x.cell.file), how: x.cell.how } } : e.cellName ? { cell: { name: e.cellName } } : {}),
    covering,
    device: x.device ? { name: x.device.name, start: hex(x.device.start), size: hex(x.device.size), source: x.device.source, ...(x.device.interrupts ? { interrupts: x.device.interrupts } : {}) } : null,
    message: x.message,
    ...(x.rules?.length ? { rules: x.rules } : {}),
    fixes,
    ...(anchor ? { anchor } : {}),
    markdown: '',
  };
  out.markdown = markdownOf(out);
  return out;
}

const link = (uri: string, file: string, r?: LspRange) => `[${file.split(/[\\/]/).pop()}${r ? `:${r.start.line + 1}` : ''}](${uri}${r ? `#L${r.start.line + 1}` : ''})`;

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

/** The code lens title: the cell, and the first sentence of the explanation, and the fix. */
export function lensTitle(e: ExplainedEvent): string {
  const first = e.message.split(/(?<=\.)\s/)[0].replace(/\.$/, '');
  const short = first.length > 90 ? `${first.slice(0, 89)}…` : first;
  return `explain: ${e.cell ? `cell ${e.cell.name}, ` : ''}${short}${e.fixes[0] ? ` — ${e.fixes[0].title}` : ''}`;
}

export function registerExplain(connection: Connection, session: Session, documents: TextDocuments<TextDocument>, roots: () => string[]): { hover(uri: string, line: number): Hover | null } {
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

  return {
    hover(uri, line) {
      const r = ofLog(uri);
      const e = r && faults(r).find((x) => x.line <= line && line <= x.endLine);
      return e ? { contents: { kind: MarkupKind.Markdown, value: e.markdown } } : null;
    },
  };
}
