// The vocabulary of the rules layer: what a rule sees (a whole system), what it returns
// (diagnostics), and the text edits its quick fixes propose.
import type { Analysis } from '../core/analysis';
import type { Diag, Severity } from '../core/diagnostics';
import type { ConfigModel } from '../core/model';
import type { Loc } from '../util/source';

export type { Diag, Severity } from '../core/diagnostics';

/** A severity setting: a severity, or `off` to drop the rule's findings. */
export type SeverityLevel = Severity | 'off';

/**
 * One Jailhouse system: the root (system) config and the non-root cells that run on it.
 * Every file is an Analysis as `analyze()` returns it.
 */
export interface SystemUnderCheck {
  /** The system config; undefined when cells were found without their root. */
  root?: Analysis;
  cells: Analysis[];
  /**
   * Declared cell sets: each lists cell files (as in `Analysis.file`) that run at the same
   * time. Undefined = nothing declared: any two cells may or may not coexist, so cross-cell
   * conflicts are warnings saying the two cannot run together. When declared, conflicts inside
   * a common set are errors and conflicts between cells never in one set are not reported; a
   * cell of the system in no set runs with the root alone (the `cell-set` rule says so).
   */
  sets?: string[][];
  /** The declaration file the sets come from (for messages). */
  declaredIn?: string;
  /** Per cell file: why it is checked with this root, or that no root was found. */
  grouping?: Record<string, Grouping>;
}

/**
 * Why a cell is checked with its root (docs/rules.md "Systems and cell sets"): named in a
 * jailhouse-cells.json, named together on the command line, the only system of its folder,
 * its file name, its content, or none of these (checked without a root).
 */
export type GroupingReason = 'declared' | 'explicit' | 'folder' | 'prefix' | 'content' | 'none';

export interface Grouping {
  reason: GroupingReason;
  /** `content`: what matched the root (`irqchip 0xfec00000`, `RAM inside root regions (3/3)`). */
  evidence?: string[];
  /** `none`: the system configs that were considered (absolute paths), best first. */
  candidates?: string[];
  /** `none`: why no root was chosen (`qemu.c and board.c fit equally well`). */
  why?: string;
}

export interface CheckOptions {
  /** Per-id severity overrides (`memory-overlap: 'error'`, `name: 'off'`). */
  severity?: Record<string, SeverityLevel>;
  /** Include the engine's own diagnostics (syntax, unknown-field, …); default true. */
  engineDiagnostics?: boolean;
}

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
  system: SystemUnderCheck;
  root?: CellRef;
  /** Non-root cells with a model. */
  cells: CellRef[];
  /** Root first (when present), then the cells. */
  all: CellRef[];
  /** Whether two non-root cells run at the same time, per the declaration. */
  pairing(a: CellRef, b: CellRef): Pairing;
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
