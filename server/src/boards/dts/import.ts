// Device tree → board description: devices with CPU-visible register windows (through every
// `ranges` on the way up, addresses.ts) and GIC interrupts (through inherited
// `interrupt-parent` and `interrupts-extended`, interrupts.ts), RAM from memory nodes (ram.ts),
// CPUs (cpus.ts), the GIC's own bases (gic.ts), and the console chosen/stdout-path names (console.ts).
import { basename, extname } from 'node:path';
import type { Board, BoardArch } from '../types';
import { readConsole } from './console';
import { TreeContext, type Report } from './context';
import { readCpus } from './cpus';
import { readDevicesAndRam } from './devices';
import { lineColOf, type DtsDiag } from './diag';
import { readGic } from './gic';
import { parseDts, type DtTree } from './parser';
import { defaultReadFile, locate, preprocess, type PpOptions, type PpResult } from './preprocess';
import { stringsOf } from './tree';

export interface ImportOptions extends PpOptions {
  /** Board id; default: the file name without extension. */
  id?: string;
  /** Used when no CPU compatible tells the architecture. */
  arch?: BoardArch;
}

export interface ImportResult {
  /** Undefined only when nothing could be read at all. */
  board?: Board;
  diags: DtsDiag[];
}

export function importDts(path: string, text: string, opts: ImportOptions = {}): ImportResult {
  const pp = preprocess(path, text, opts);
  const diags: DtsDiag[] = [...pp.diags];
  const tree = parseDts(pp.text);
  const at = (offset: number, severity: DtsDiag['severity'], message: string) => diags.push(diagAt(pp, offset, severity, message));
  for (const i of tree.issues) at(i.at, i.severity, i.message);
  if (tree.root.children.size === 0 && tree.root.props.size === 0) {
    const message = tree.plugin ? 'an overlay (/plugin/) has no tree of its own: import the board .dts it applies to' : 'no device-tree root node (/ { … };) found';
    diags.push({ severity: 'error', file: path, line: 1, column: 1, message });
    return { diags };
  }
  const board = buildBoard(tree, path, opts, at);
  return { board, diags };
}

export function importDtsFile(path: string, opts: ImportOptions = {}): ImportResult {
  const text = (opts.readFile ?? defaultReadFile)(path);
  if (text === undefined) return { diags: [{ severity: 'error', file: path, line: 1, column: 1, message: 'cannot read the file' }] };
  return importDts(path, text, opts);
}

function diagAt(pp: PpResult, offset: number, severity: DtsDiag['severity'], message: string): DtsDiag {
  const loc = locate(pp, offset);
  const text = pp.files.get(loc.file) ?? '';
  return { severity, file: loc.file, ...lineColOf(text, loc.offset), message };
}

/** The board a parsed tree describes; each part is read by the module named after it. */
function buildBoard(tree: DtTree, path: string, opts: ImportOptions, report: Report): Board {
  const ctx = new TreeContext(tree, report);
  const root = tree.root;
  const { cpus, arch } = readCpus(ctx, opts.arch);
  const gic = readGic(ctx);
  const { devices, ram } = readDevicesAndRam(ctx);
  const model = stringsOf(root.props.get('model'))[0];
  const rootCompat = stringsOf(root.props.get('compatible'));
  const id = (opts.id ?? basename(path, extname(path))).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'imported';
  const board: Board = {
    id,
    name: model ?? id,
    arch,
    source: { description: `Imported from the device tree ${basename(path)}`, paths: [path] },
    cpus: cpus.length > 0 ? { count: cpus.length, list: cpus } : { count: 1 },
    ram,
    devices,
  };
  if (rootCompat.length > 0) board.soc = rootCompat[rootCompat.length - 1];
  if (gic) board.interruptController = gic;
  const stdout = readConsole(ctx, devices);
  if (stdout) board.console = stdout;
  return board;
}
