// The custom requests and notifications between the language server and its clients: the one
// place their names and message shapes are written. The server's handlers and the VS Code
// client (which bundles this file) both import it; docs/protocol.md describes it for other
// editors. Only types and message constants live here, so the client pulls in no analysis.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Grouping } from '../workspace';
import type { CellChoices, GeneratedConfig, SystemOptions, CellOptions } from '../generate/types';

/** A document, by its URI. */
export interface UriParams {
  uri: string;
}

// ── Status of one file ───────────────────────────────────────────────────────────────────

/** What a file is and which system it belongs to (the VS Code status bar shows it). */
export interface FileInfo {
  isConfig: boolean;
  kind?: 'system' | 'cell';
  name?: string;
  arch?: string;
  /** The root cell's name. */
  system?: string;
  rootFile?: string;
  cells?: number;
  board?: string;
  /** Cells: why the cell is checked with `rootFile`, or `none` (checked without a root), with the sentence every front end shows. */
  grouping?: Grouping & { text: string };
  errors?: number;
}

export const FileInfoRequest = new RequestType<UriParams, FileInfo, void>('jailhouse/fileInfo');

// ── Memory map ───────────────────────────────────────────────────────────────────────────

/** A source location as a front end wants it; `range` is there when the file's text is known. */
export interface MapLoc {
  file: string;
  uri?: string;
  start?: number;
  end?: number;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface MemoryMapResult {
  title?: string;
  /** The drawing; its clickable elements carry `data-ref` keys of `map.refs`. */
  svg?: string;
  /** The map as JSON (docs/model-json.md's conventions), with `refs`: the source behind every `data-ref`. */
  map?: { refs?: Record<string, MapLoc>; conflicts?: unknown[]; [key: string]: unknown };
  uri?: string;
  /** Why there is no map (not a config, unreadable, internal failure). */
  error?: string;
}

export const MemoryMapRequest = new RequestType<UriParams, MemoryMapResult, void>('jailhouse/memoryMap');

// ── Whole workspace ──────────────────────────────────────────────────────────────────────

export interface CheckWorkspaceResult {
  files: number;
  systems: number;
  errors: number;
  warnings: number;
  /** What the scan's bounds left out, as a sentence; absent when nothing was. */
  notChecked?: string;
}

export const CheckWorkspaceRequest = new RequestType<Record<string, never> | undefined, CheckWorkspaceResult, void>('jailhouse/checkWorkspace');

/** Process figures, for the benchmark and bug reports. */
export interface ServerStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  documents: number;
}

export const ServerStatsRequest = new RequestType0<ServerStats, void>('jailhouse/serverStats');

// ── Boards ───────────────────────────────────────────────────────────────────────────────

export interface SetBoardParams {
  /** A bundled id, a path to a board JSON file or a device tree, a board description (the JSON form), or null to clear. */
  board: unknown;
  /** Directory relative paths are resolved from (the workspace folder). */
  baseDir?: string;
  /** Include directories for a device tree's `#include`s (absolute); default: the `includeDirs` setting. */
  includeDirs?: string[];
}

export const SetBoardNotification = new NotificationType<SetBoardParams>('jailhouse/setBoard');

/** The board in effect, and what went wrong reading the last one set. */
export interface BoardInfo {
  id?: string;
  name?: string;
  soc?: string;
  arch?: string;
  devices?: number;
  /** Problems, as `file:line:col: severity: message` lines (device trees) or sentences. */
  problems: string[];
}

export const GetBoardRequest = new RequestType0<BoardInfo, void>('jailhouse/getBoard');

/** A bundled board, as a picker lists it. */
export interface BoardSummary {
  id: string;
  name: string;
  soc?: string;
  arch: string;
  devices: number;
}

export const ListBoardsRequest = new RequestType0<BoardSummary[], void>('jailhouse/listBoards');

export interface ImportDeviceTreeParams {
  /** The `.dts` file (absolute). */
  path: string;
  /** Include directories for its `#include`s (absolute); default: the `includeDirs` setting. */
  includeDirs?: string[];
}

export interface ImportDeviceTreeResult {
  /** The board read, absent when nothing usable was. */
  board?: BoardSummary;
  /** The board file's text (the JSON form), for the client to save. */
  text?: string;
  /** Every message of the reader, as `file:line:col: severity: message` lines. */
  messages: string[];
  errors: number;
}

export const ImportDeviceTreeRequest = new RequestType<ImportDeviceTreeParams, ImportDeviceTreeResult, void>('jailhouse/importDeviceTree');

// ── Console explainer ────────────────────────────────────────────────────────────────────

export interface ExplainLogParams {
  /** The console output: hypervisor lines, driver errors, anything around them. */
  text: string;
  /** Where the text came from (a `.log` document or a config); a config's system is explained against even outside the workspace folders. */
  uri?: string;
}

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** One fix as an LSP workspace edit (`changes` keyed by URI). */
export interface ExplainFix {
  title: string;
  preferred?: boolean;
  edit: { changes: Record<string, { range: LspRange; newText: string }[]> };
}

/** One event of the log and what it means; the shape of `jhcell explain --format json` with URIs added. */
export interface ExplainedEvent {
  /** 0-based lines of the log text the event spans. */
  line: number;
  endLine: number;
  kind: string;
  text: string;
  /** `0x…` (address, port or MSR number). */
  address?: string;
  access?: 'read' | 'write';
  size?: number;
  cpu?: number;
  /** Driver errors: the errno name and the ioctl. */
  errno?: string;
  ioctl?: string;
  /** The cell; `file` is null when the log names a cell no config describes, the whole is null when nothing names it. */
  cell: { name: string; file: string | null; uri?: string; how?: 'named' | 'cpu' } | null;
  covering: { file: string; uri: string; region: number; name?: string; cell: string; range?: LspRange }[];
  device: { name: string; start: string; size: string; source: string; interrupts?: number[] } | null;
  message: string;
  rules?: string[];
  fixes: ExplainFix[];
  /** Where a front end shows the explanation on the configs: the covering region of the cell, else the cell's header. */
  anchor?: { file: string; uri: string; range: LspRange };
  /** The explanation as Markdown (hover and panel text), with links to the source lines. */
  markdown: string;
}

export interface ExplainLogResult {
  version: 1;
  events: ExplainedEvent[];
  /** The configs explained against (paths). */
  configs: string[];
  /** What the explainer could not look at (the workspace scan's bounds, no configs found). */
  notChecked?: string;
}

export const ExplainLogRequest = new RequestType<ExplainLogParams, ExplainLogResult, void>('jailhouse/explainLog');

// ── New configurations (the wizards) ─────────────────────────────────────────────────────

/** A value as JSON carries it: bigints become `0x…` strings, everything else stays. */
export type Jsonish<T> = T extends bigint ? string : T extends (infer U)[] ? Jsonish<U>[] : T extends object ? { [K in keyof T]: Jsonish<T[K]> } : T;

/** A size in a request: a byte count, or text such as `64M`, `0x4000000`, `1 GiB` — binary units. */
export type SizeParam = number | string;

/** A generated config, with where to write it and what the engine and the checks say of it. */
export interface NewConfigResult extends GeneratedConfig {
  /** Absolute path a person would write it to (configs/<arch>/ of the workspace, or beside the root cell). */
  suggestedPath?: string;
  /** Errors the engine and the checks report on the text in its system, as `file:line:col: message [code]` (none expected; said, not hidden). */
  problems: string[];
}

export interface NewSystemParams {
  /** A bundled board id, or a path to a board JSON file or a device tree; absent: the board chosen for the workspace. */
  board?: string;
  /** Directory relative board paths are taken from. */
  baseDir?: string;
  /** Include directories for a device tree (absolute); default: the `includeDirs` setting. */
  includeDirs?: string[];
  options?: Omit<SystemOptions, 'hypervisorSize' | 'cellRamSize'> & { hypervisorSize?: SizeParam; cellRamSize?: SizeParam };
}

export interface NewSystemResult extends NewConfigResult {
  arch: string;
  board: { id: string; name: string };
  /** The hypervisor carve-out the text has (the generator's estimate unless given), `0x…`. */
  hypervisorSize?: string;
  /** The RAM area left for non-root cells in the text, `0x…`. */
  cellRamSize?: string;
}

/** Answered with an error (not a result) when the board cannot be read or the options are wrong. */
export const NewSystemRequest = new RequestType<NewSystemParams, NewSystemResult, void>('jailhouse/newSystem');

/** What a new cell of the system (`uri`: its system config or one of its cells) could take. */
export interface CellChoicesResult extends Jsonish<CellChoices> {
  /** The system config the choices are for. */
  rootFile: string;
  rootName: string;
  /** CPUs other cells take, with the cell (name) that takes each. */
  takenCpus: { cpu: number; cell: string }[];
  /** The non-root cells of the system counted as existing. */
  cells: string[];
}

export const CellChoicesRequest = new RequestType<UriParams, CellChoicesResult, void>('jailhouse/cellChoices');

export interface NewCellParams {
  /** The system config (or a cell of the system). */
  uri: string;
  /** `ramStart`: needed when the root names no RAM region for cells (`cellAreaProblem`); a number or `0x…` text. */
  options: Omit<CellOptions, 'ramSize' | 'ramStart'> & { ramSize?: SizeParam; ramStart?: SizeParam };
}

export const NewCellRequest = new RequestType<NewCellParams, NewConfigResult, void>('jailhouse/newCell');

// ── Cell images (jhcell build) ───────────────────────────────────────────────────────────

/** A diagnostic that refused an image, where it is. */
export interface BuildProblem {
  uri: string;
  range: LspRange;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

export interface BuildImageResult {
  /** The image written beside the source (`foo.c` → `foo.cell`). */
  written?: { file: string; uri: string; bytes: number };
  /** Why nothing was written, as a sentence naming the code that refused it. */
  refused?: string;
  /** The diagnostics that refused it (empty when written). */
  problems: BuildProblem[];
  /** Written, but the target will not read it as the source means: one sentence each. */
  warnings: string[];
}

export const BuildImageRequest = new RequestType<UriParams, BuildImageResult, void>('jailhouse/buildImage');

// ── Compare with saved / committed version ───────────────────────────────────────────────

/** What the editor's text is compared with. */
export type DiffAgainst =
  /** The file on disk when the buffer differs from it, else git `HEAD`. */
  | 'auto'
  /** The file on disk. */
  | 'saved'
  /** The file as git `HEAD` holds it (its `#include "…"` files from `HEAD` too). */
  | 'head'
  /** The file as another git revision holds it (`HEAD~2`, a branch, a commit). */
  | { revision: string }
  /** Another file: a compiled `.cell` image (from the target) or another source (absolute path). */
  | { file: string };

export interface DiffConfigParams {
  uri: string;
  /** Default `auto`. */
  against?: DiffAgainst;
}

/** Where a change's subject is written on one side: `uri` and `range` when the editor shows that text. */
export interface DiffConfigLoc {
  /** The file as the text output names it (`HEAD:configs/x.c` for a revision). */
  file: string;
  /** 1-based. */
  line: number;
  uri?: string;
  range?: LspRange;
}

/** One change; the shape of `jhcell diff --format json`'s `changes[]` (docs/model-json.md) with URIs added. */
export interface DiffConfigChange {
  resource: string;
  change: 'added' | 'removed' | 'changed';
  subject: string;
  text: string;
  fields?: { field: string; from: string; to: string; added?: string; removed?: string; note?: string }[];
  detail?: string;
  a?: DiffConfigLoc;
  b?: DiffConfigLoc;
}

export interface DiffConfigResult {
  /** What was compared with, in words (`the saved file`, `HEAD`, a path). */
  against?: string;
  /** Side A (the saved / committed / other version) and B (the editor's text), as the text output names them. */
  a?: string;
  b?: string;
  /** The diff as `jhcell diff` prints it (one line per change, notes, summary). */
  text?: string;
  changes?: DiffConfigChange[];
  equal?: boolean;
  bytesEqual?: boolean;
  notes?: string[];
  /** Why there is no diff (not a config, not in git, unreadable). */
  error?: string;
}

export const DiffConfigRequest = new RequestType<DiffConfigParams, DiffConfigResult, void>('jailhouse/diffConfig');
