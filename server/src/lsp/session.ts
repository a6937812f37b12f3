// The server's state: documents, settings, analyses, systems, and the diagnostics pipeline
// (coalesced re-checks of whole systems, published per file). No protocol handling here.
import * as path from 'node:path';
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../core/analysis';
import type { Diag } from '../core/diagnostics';
import type { Board } from '../boards/types';
import type { BoardChoice } from '../rules';
import { Doc, type FeatureContext } from '../features/context';
import { AnalysisCache } from './analyses';
import { checkSystem } from './checker';
import { pathToUri, toDiagnostic, uriToPath } from './convert';
import { isJailhouseConfig } from './detect';
import { FileStore } from './files';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import type { SourceFile } from '../util/source';
import { SystemIndex } from './systems';
import { groupingLine, rootDiagnostics, type Grouping, type System } from '../workspace';
import type { FileInfo } from '../protocol/methods';
import { membersOf } from '../workspace/system';

export interface CheckedSystem {
  files: System<string>;
  analyses: System;
  diags: Diag[];
}

export interface BoardState {
  board?: Board;
  problems: string[];
}

/**
 * What the board rules check against in the editor: the chosen board, else each cell's root
 * cell's own description of the machine.
 */
export function boardChoiceOf(state: BoardState): BoardChoice {
  return state.board ?? 'root';
}

export class Session {
  settings: Settings = DEFAULT_SETTINGS;
  /** The chosen board (lsp/boards.ts sets it from the client's choice) and why it failed to load. */
  readonly board: BoardState = { problems: [] };
  readonly files: FileStore;
  readonly cache: AnalysisCache;
  readonly systems: SystemIndex;
  /** Files found by "check workspace": their diagnostics stay published while closed. */
  readonly workspaceFiles = new Set<string>();
  /** Latest diagnostics per file (engine form), for code actions and pull requests. */
  readonly lastDiags = new Map<string, Diag[]>();
  private lastSystem = new Map<string, CheckedSystem>();
  private docs = new Map<string, Doc>();
  private published = new Set<string>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running = false;
  /** The client applies CreateFile in workspace edits (else new files are written as plain edits). */
  canCreateFiles = false;
  /** Called after each publish round (tests and the benchmark observe it through the protocol). */
  onChecked?: (files: string[]) => void;

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
  ) {
    this.files = new FileStore(documents);
    this.cache = new AnalysisCache(this.files, () => this.settings);
    this.systems = new SystemIndex(this.files, (f) => this.cache.get(f)?.model);
  }

  log(msg: string): void {
    this.connection.console.log(msg);
  }

  /** A Jailhouse document's feature input; undefined for unknown or non-Jailhouse documents. */
  docFor(uri: string): { doc: Doc; ctx: FeatureContext; text: TextDocument; source: SourceFile } | undefined {
    const td = this.documents.get(uri);
    const p = uriToPath(uri);
    if (!td || !p) return undefined;
    const source = this.files.source(p);
    if (!source || !isJailhouseConfig(source.text, p, this.files)) return undefined;
    const analysis = this.cache.get(p);
    if (!analysis) return undefined;
    // One Doc per analysis: its tokens are lexed once for all requests on that version.
    let doc = this.docs.get(p);
    if (!doc || doc.analysis !== analysis || doc.text !== source.text) {
      doc = new Doc(analysis, source.text);
      this.docs.set(p, doc);
    }
    return { doc, ctx: { system: this.systemAnalyses(p) }, text: td, source };
  }

  forgetDoc(file: string): void {
    this.docs.delete(file);
    this.files.closed(file);
  }

  systemAnalyses(file: string): System {
    const cached = this.lastSystem.get(file);
    if (cached) return cached.analyses;
    return this.analysesOf(this.systems.systemOf(file));
  }

  analysesOf(sys: System<string>): System {
    const get = (p: string): Analysis | undefined => this.cache.get(p);
    return {
      root: sys.root ? get(sys.root) : undefined,
      cells: sys.cells.map(get).filter((a): a is Analysis => !!a),
      sets: sys.sets,
      declaredIn: sys.declaredIn,
      grouping: sys.grouping,
    };
  }

  /** What the board rules check against (boardChoiceOf). */
  boardChoice(): BoardChoice {
    return boardChoiceOf(this.board);
  }

  isOpen(file: string): boolean {
    return !!this.files.openDoc(file);
  }

  /** Queue a re-check of the system `file` belongs to (coalesced with other edits). */
  schedule(file: string): void {
    this.pending.add(file);
    if (this.running) return;
    if (this.timer) {
      if (this.settings.diagnosticsDelay === 0) return;
      clearTimeout(this.timer as NodeJS.Timeout); // debounce: the newest edit restarts the wait
    }
    const delay = this.settings.diagnosticsDelay;
    this.timer = delay > 0 ? setTimeout(() => void this.drain(), delay) : setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    try {
      while (this.pending.size) {
        const file = this.pending.values().next().value as string;
        this.pending.delete(file);
        try {
          const sys = this.systems.systemOf(file);
          // One check covers every file of the system: queued siblings are done with it.
          for (const f of [sys.root, ...sys.cells]) if (f) this.pending.delete(f);
          this.checkAndPublish(sys);
        } catch (e) {
          this.connection.console.error(`check of ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
        // Let newer edits arrive between systems; an edited file is simply queued again and
        // checked at its newest version, so no stale result outlives the work it replaced.
        if (this.pending.size) await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
  }

  checkSystemFiles(sys: System<string>): CheckedSystem {
    const analyses = this.analysesOf(sys);
    const diags = [...checkSystem(analyses, this.settings, this.boardChoice()), ...rootDiagnostics(analyses, this.settings.severity)];
    const checked = { files: sys, analyses, diags };
    for (const f of [sys.root, ...sys.cells]) if (f) this.lastSystem.set(f, checked);
    return checked;
  }

  checkAndPublish(sys: System<string>): void {
    const checked = this.checkSystemFiles(sys);
    const members = membersOf(sys);
    const anyOpen = members.some((f) => this.isOpen(f) || this.workspaceFiles.has(f));
    const byFile = new Map<string, Diag[]>();
    for (const f of members) byFile.set(f, []);
    for (const d of checked.diags) {
      if (d.loc.file.startsWith('<')) continue;
      const list = byFile.get(d.loc.file) ?? [];
      list.push(d);
      byFile.set(d.loc.file, list);
    }
    const done: string[] = [];
    for (const [file, diags] of byFile) {
      this.lastDiags.set(file, diags);
      if (anyOpen) this.publish(file, diags);
      else if (this.published.has(file)) this.publish(file, []);
      done.push(file);
    }
    this.onChecked?.(done);
  }

  private publish(file: string, diags: Diag[]): void {
    const lookup = (p: string) => this.files.source(p) ?? this.cache.peek(p)?.files.get(p);
    const out: Diagnostic[] = diags.map((d) => toDiagnostic(d, lookup));
    const doc = this.files.openDoc(file);
    if (diags.length) this.published.add(file);
    else this.published.delete(file);
    void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: out, version: doc?.version });
  }

  /** Diagnostics of one file for a pull request (computed now if never checked). */
  diagnosticsOf(file: string): Diagnostic[] {
    if (!this.lastDiags.has(file)) this.checkSystemFiles(this.systems.systemOf(file));
    const all = this.lastSystem.get(file)?.diags.filter((d) => d.loc.file === file) ?? [];
    const lookup = (p: string) => this.files.source(p);
    return all.map((d) => toDiagnostic(d, lookup));
  }

  /** Re-check everything shown after a settings change. */
  recheckAll(): void {
    this.cache.clear();
    this.systems.reset();
    this.systems.declarationSetting = this.settings.cellSets;
    const targets = new Set<string>([...this.published, ...this.workspaceFiles]);
    for (const d of this.documents.all()) {
      const p = uriToPath(d.uri);
      if (p && isJailhouseConfig(d.getText(), p, this.files)) targets.add(p);
    }
    for (const f of targets) this.schedule(f);
  }

  /** A config was deleted: withdraw its diagnostics and re-check the system it was part of. */
  fileDeleted(file: string): void {
    const sys = this.lastSystem.get(file)?.files;
    this.lastSystem.delete(file);
    this.lastDiags.delete(file);
    this.workspaceFiles.delete(file);
    this.clearFile(file);
    for (const f of sys ? [sys.root, ...sys.cells] : []) if (f && f !== file) this.schedule(f);
  }

  clearFile(file: string): void {
    if (this.published.has(file)) this.publish(file, []);
  }

  /** Status information for a file: what it is and which system it belongs to. */
  fileInfo(file: string): FileInfo {
    const text = this.files.read(file);
    if (text === undefined || !isJailhouseConfig(text, file, this.files)) return { isConfig: false };
    const a = this.cache.get(file);
    const m = a?.model;
    const sys = this.systems.systemOf(file);
    const rootModel = sys.root ? (sys.root === file ? m : this.cache.get(sys.root)?.model) : undefined;
    return {
      isConfig: true,
      kind: m?.kind,
      name: m?.cell.name,
      arch: m?.arch,
      system: rootModel?.cell.name,
      rootFile: sys.root,
      cells: sys.cells.length,
      board: sys.root ? path.basename(sys.root, '.c') : undefined,
      grouping: sys.root === file ? undefined : groupingInfo(sys.grouping[file] ?? { reason: 'none' }, sys.root, sys.declaredIn),
      errors: (this.lastDiags.get(file) ?? []).filter((d) => d.severity === 'error').length,
    };
  }
}

/** A cell's grouping with the sentence every front end shows (`checked with root … (…)`). */
function groupingInfo(g: Grouping, root: string | undefined, declaredIn: string | undefined): Grouping & { text: string } {
  return { ...g, text: groupingLine(g, root, declaredIn) };
}
