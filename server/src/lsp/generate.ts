// The wizards' requests: `jailhouse/newSystem` (a root cell from a board), `jailhouse/cellChoices`
// (what a new cell of a system could take) and `jailhouse/newCell` (a non-root cell). The
// generators (generate/) write the text; this file finds their inputs where the server keeps
// them — the board named in the request or chosen for the workspace (lsp/boards.ts), the system
// of a config with all its existing cells (lsp/systems.ts), so their CPUs and RAM count as
// taken — and checks the text they give in its system before anyone writes it, reporting every
// error found (`problems`): a wizard never hands over a config the editor would then mark red.
//
// Bad input (unknown board, a size that is not one, a file that is no system) is answered with
// an error the client shows; nothing is guessed.
import * as path from 'node:path';
import { ResponseError, ErrorCodes, type Connection } from 'vscode-languageserver/node';
import { boardFromValue } from '../boards/load';
import { bundledBoards } from '../boards/registry';
import type { Board } from '../boards/types';
import type { Analysis } from '../core/analysis';
import type { Diag } from '../core/diagnostics';
import { analyze } from '../engine/analyze';
import { boardForRoot, cellChoices, generateCell } from '../generate/cell';
import { generateSystem } from '../generate/system';
import type { CellChoices, CellOptions, GeneratedConfig, SystemOptions } from '../generate/types';
import {
  CellChoicesRequest,
  NewCellRequest,
  NewSystemRequest,
  type CellChoicesResult,
  type Jsonish,
  type NewCellParams,
  type NewConfigResult,
  type NewSystemParams,
  type NewSystemResult,
  type UriParams,
} from '../protocol/methods';
import { bitIds, hex } from '../util/format';
import { parseSize } from '../generate/sizes';
import { positionAt } from '../util/source';
import type { System } from '../workspace';
import { membersOf } from '../workspace/system';
import { boardState } from './boards';
import { checkSystem } from './checker';
import { uriToPath } from './convert';
import { isJailhouseConfig } from './detect';
import type { Session } from './session';

/** A request the wizard cannot fulfil as asked: answered as an error with this message. */
class BadRequest extends Error {}

/** The generators refuse a board or options they cannot turn into a config with a sentence for the user (GenerateError, CellProblem). */
const isRefusal = (e: unknown): boolean => e instanceof Error && (e.name === 'GenerateError' || e.name === 'CellProblem');

/** A size (or address) as JSON carries it: a byte count, or text the generators' parseSize reads (`64M`, `0x4000000`). */
function sizeParam(v: unknown, what: string): bigint | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v <= 0) throw new BadRequest(`${what}: ${v} is not a size in bytes`);
    return BigInt(v);
  }
  if (typeof v !== 'string') throw new BadRequest(`${what}: a number or a string like "64M", not ${typeof v}`);
  const n = parseSize(v);
  if (n === undefined || n === 0n) throw new BadRequest(`${what}: '${v}' is not a size (write e.g. 64M, 0x4000000, 512K or 1G)`);
  return n;
}

function stringParam(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new BadRequest(`${what} must be a string`);
  return v.trim() || undefined;
}

/** The board of the request, else the one chosen for the workspace. */
function boardFor(session: Session, p: NewSystemParams): Board {
  const spec = stringParam(p.board, 'board');
  if (!spec) {
    const chosen = boardState(session).board;
    if (!chosen) throw new BadRequest('no board given and none chosen for the workspace (Jailhouse: Select Board)');
    return chosen;
  }
  const dirs = Array.isArray(p.includeDirs) ? p.includeDirs.filter((d): d is string => typeof d === 'string' && !!d) : session.settings.includeDirs;
  const r = boardFromValue(spec, { baseDir: stringParam(p.baseDir, 'baseDir'), includeDirs: dirs });
  if (!r.board) throw new BadRequest(`board ${spec}: ${r.problems[0] ?? 'nothing readable'}`);
  return r.board;
}

function systemOptions(o: NewSystemParams['options']): SystemOptions {
  if (o !== undefined && (typeof o !== 'object' || o === null)) throw new BadRequest('options must be an object');
  const links = o?.ivshmemLinks;
  if (links !== undefined && (typeof links !== 'number' || !Number.isInteger(links) || links < 0 || links > 64)) throw new BadRequest(`ivshmemLinks: ${String(links)} is not a link count (0 to 64)`);
  const out: SystemOptions = {};
  const name = stringParam(o?.name, 'name');
  if (name !== undefined) out.name = name;
  const hv = sizeParam(o?.hypervisorSize, 'hypervisorSize');
  if (hv !== undefined) out.hypervisorSize = hv;
  const ram = sizeParam(o?.cellRamSize, 'cellRamSize');
  if (ram !== undefined) out.cellRamSize = ram;
  const cons = stringParam(o?.console, 'console');
  if (cons !== undefined) out.console = cons;
  if (links !== undefined) out.ivshmemLinks = links;
  return out;
}

function cellOptions(o: NewCellParams['options'] | undefined): CellOptions {
  if (typeof o !== 'object' || o === null) throw new BadRequest('options with the cell name are required');
  const name = stringParam(o.name, 'name');
  if (!name) throw new BadRequest('the cell needs a name');
  const out: CellOptions = { name };
  if (o.cpus !== undefined) {
    if (!Array.isArray(o.cpus) || !o.cpus.every((c) => Number.isInteger(c) && c >= 0 && c < 4096)) throw new BadRequest('cpus must be a list of CPU numbers');
    out.cpus = [...o.cpus];
  }
  const ram = sizeParam(o.ramSize, 'ramSize');
  if (ram !== undefined) out.ramSize = ram;
  if (o.devices !== undefined) {
    if (!Array.isArray(o.devices) || !o.devices.every((d) => typeof d === 'string')) throw new BadRequest('devices must be a list of names');
    out.devices = [...o.devices];
  }
  if (o.linux !== undefined) out.linux = !!o.linux;
  const start = sizeParam(o.ramStart, 'ramStart');
  if (start !== undefined) out.ramStart = start;
  return out;
}

/** `file:line:col: message [code]` for a finding (1-based line and column, as compilers print). */
function problemLine(d: Diag, text: (file: string) => string | undefined): string {
  const t = text(d.loc.file);
  const pos = t === undefined ? undefined : positionAt({ path: d.loc.file, text: t }, d.loc.start);
  return `${d.loc.file}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ''}: ${d.message} [${d.code}]`;
}

const findingKey = (d: Diag) => `${d.loc.file}:${d.loc.start}:${d.code}:${d.message}`;

/** Errors of `after` that `before` did not have: what the new config brings into its system. */
function newErrors(session: Session, before: System | undefined, after: System, board: Board | undefined, text: (file: string) => string | undefined): string[] {
  const errorsOf = (s: System) => checkSystem(s, session.settings, board ?? session.boardChoice()).filter((d) => d.severity === 'error');
  const old = new Set(before ? errorsOf(before).map(findingKey) : []);
  return errorsOf(after)
    .filter((d) => !old.has(findingKey(d)))
    .map((d) => problemLine(d, text));
}

function analyzeGenerated(session: Session, file: string, text: string): Analysis {
  const s = session.settings;
  // Includes the text makes (a board header beside it) are read as the cache reads them.
  return analyze(file, text, { defines: s.defines, includeDirs: s.includeDirs, readFile: (p) => (p === file ? text : session.files.read(p)) });
}

function toJson<T>(v: T): Jsonish<T> {
  if (typeof v === 'bigint') return hex(v) as Jsonish<T>;
  if (Array.isArray(v)) return v.map(toJson) as Jsonish<T>;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)])) as Jsonish<T>;
  return v as Jsonish<T>;
}

export function newSystem(session: Session, roots: string[], p: NewSystemParams): NewSystemResult {
  if (typeof p !== 'object' || p === null) throw new BadRequest('parameters missing');
  const board = boardFor(session, p);
  const generated: GeneratedConfig = generateSystem(board, systemOptions(p.options));
  const suggestedPath = roots.length ? path.join(roots[0], 'configs', board.arch, generated.fileName) : undefined;
  // Checked where it would be written (its includes resolve from there), else under a name of its own.
  const file = suggestedPath ?? path.resolve(generated.fileName);
  const analysis = analyzeGenerated(session, file, generated.text);
  const system: System = { root: analysis, cells: [] };
  const problems = newErrors(session, undefined, system, board, (f) => (f === file ? generated.text : session.files.read(f)));
  const hv = analysis.model?.system?.hypervisor_memory.size;
  const area = analysis.model ? cellChoices(system, board).cellArea : undefined;
  return {
    ...generated,
    ...(suggestedPath ? { suggestedPath } : {}),
    problems,
    arch: board.arch,
    board: { id: board.id, name: board.name },
    ...(hv !== undefined ? { hypervisorSize: hex(hv) } : {}),
    ...(area ? { cellRamSize: hex(area.size) } : {}),
  };
}

/** The system of `uri` as the editor checks it (root and every existing cell), with the root's path. */
function systemOfUri(session: Session, uri: unknown): { root: string; files: string[]; system: System } {
  const file = typeof uri === 'string' ? uriToPath(uri) : undefined;
  if (!file) throw new BadRequest(`not a file: ${String(uri)}`);
  const text = session.files.read(file);
  if (text === undefined) throw new BadRequest(`cannot read ${file}`);
  if (!isJailhouseConfig(text, file, session.files)) throw new BadRequest(`${path.basename(file)} is not a Jailhouse configuration`);
  const found = session.systems.systemOf(file);
  if (!found.root) throw new BadRequest(`${path.basename(file)} belongs to no system: no system (root cell) config was found for it`);
  const system = session.analysesOf(found);
  if (!system.root?.model) throw new BadRequest(`${path.basename(found.root)} could not be read as a system configuration`);
  return { root: found.root, files: membersOf(found), system };
}

/**
 * The board a new cell's devices come from: the workspace's, else the one bundled board the root
 * matches, as `jhcell new cell` picks it (generate/cellBoard.ts). Without one the devices are the
 * root's regions, which carry no interrupts.
 */
function cellBoard(session: Session, root: string, system: System): Board | undefined {
  const chosen = boardState(session).board;
  if (chosen) return chosen;
  const model = system.root?.model;
  return model ? boardForRoot(model, root, bundledBoards()).board : undefined;
}

export function choicesFor(session: Session, p: UriParams): CellChoicesResult {
  const { root, system } = systemOfUri(session, p?.uri);
  const choices: CellChoices = cellChoices(system, cellBoard(session, root, system));
  const takenCpus = system.cells.flatMap((c) => bitIds(c.model?.cpus ?? []).map((cpu) => ({ cpu, cell: c.model?.cell.name || path.basename(c.file, '.c') })));
  return {
    ...toJson(choices),
    rootFile: root,
    rootName: system.root?.model?.cell.name ?? path.basename(root, '.c'),
    takenCpus: takenCpus.sort((a, b) => a.cpu - b.cpu),
    cells: system.cells.map((c) => c.file),
  };
}

export function newCell(session: Session, p: NewCellParams): NewConfigResult {
  if (typeof p !== 'object' || p === null) throw new BadRequest('parameters missing');
  const { root, files, system } = systemOfUri(session, p.uri);
  const generated = generateCell(system, cellOptions(p.options), cellBoard(session, root, system));
  const suggestedPath = path.join(path.dirname(root), generated.fileName);
  if (files.includes(suggestedPath)) throw new BadRequest(`${path.basename(suggestedPath)} is already a config of this system: choose another cell name`);
  const analysis = analyzeGenerated(session, suggestedPath, generated.text);
  const after: System = { ...system, cells: [...system.cells, analysis], grouping: undefined };
  const problems = newErrors(session, system, after, undefined, (f) => (f === suggestedPath ? generated.text : session.files.read(f)));
  return { ...generated, suggestedPath, problems };
}

/** Call once after the session exists; `roots` gives the workspace folders (the system's default place). */
export function registerGenerate(connection: Connection, session: Session, roots: () => string[]): void {
  const answer =
    <P, R>(name: string, fn: (p: P) => R) =>
    (p: P): R => {
      try {
        return fn(p);
      } catch (e) {
        if (e instanceof BadRequest || isRefusal(e)) throw new ResponseError(ErrorCodes.InvalidParams, (e as Error).message);
        connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        // An unexpected failure: its message is still the answer, never an empty result.
        throw new ResponseError(ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
      }
    };
  connection.onRequest(NewSystemRequest, answer('newSystem', (p: NewSystemParams) => newSystem(session, roots(), p)));
  connection.onRequest(CellChoicesRequest, answer('cellChoices', (p: UriParams) => choicesFor(session, p)));
  connection.onRequest(NewCellRequest, answer('newCell', (p: NewCellParams) => newCell(session, p)));
}
