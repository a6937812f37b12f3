// The vocabulary of the rules layer: what a rule sees (a whole system), what it returns
// (diagnostics), and the text edits its quick fixes propose.
import type { Analysis } from '../core/analysis';
import type { System } from '../workspace/system';
import type { Diag, Severity, SeverityLevel } from '../core/diagnostics';
import type { ConfigModel } from '../core/model';
import type { Board } from '../boards/types';
import type { Loc } from '../util/source';

export type { Diag, Severity, SeverityLevel } from '../core/diagnostics';
export type { Grouping, GroupingReason, System } from '../workspace/system';




export interface CheckOptions {
  /** Per-id severity overrides (`memory-overlap: 'error'`, `name: 'off'`). */
  severity?: Record<string, SeverityLevel>;
  /** Include the engine's own diagnostics (syntax, unknown-field, …); default true. */
  engineDiagnostics?: boolean;
  /** The board the board-* rules check against; without it they report nothing. */
  board?: BoardChoice;
}

/**
 * A chosen board (the editor's, `jhcell check --board`), or `root`: each non-root cell against
 * its root cell's own description of the machine (the editor when no board is chosen).
 */
export type BoardChoice = Board | 'root';

/** One parsed file of the system with its model (files without a model are skipped by rules). */
export interface CellRef {
  analysis: Analysis;
  model: ConfigModel;
  file: string;
  /** Display name: the cell name, else the file's base name. */
  label: string;
  isRoot: boolean;
}

/** How strongly two non-root cells are tied together. */
export type Pairing = 'together' | 'unknown' | 'apart';

export interface RuleContext {
  system: System;
  root?: CellRef;
  /** Non-root cells with a model. */
  cells: CellRef[];
  /** Root first (when present), then the cells. */
  all: CellRef[];
  /** Whether two non-root cells run at the same time, per the declaration. */
  pairing(a: CellRef, b: CellRef): Pairing;
  /** CheckOptions.board: what the board-* rules check against. */
  board?: BoardChoice;
}

export interface TextEdit {
  /** The range to replace (offsets into `loc.file`); an empty range inserts. */
  loc: Loc;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor offers first (`isPreferred`). */
  preferred?: boolean;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** Anchor in docs/rules.md (`#memory-overlap`). */
  docs: string;
  description: string;
  check(ctx: RuleContext): Diag[];
  fixes?(diag: Diag, ctx: RuleContext): Fix[];
}
