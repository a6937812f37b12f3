// `jhcell new system --board ID|FILE …`: a root cell config from a board (generate/system.ts);
// `jhcell new cell …`: a non-root cell from a system (cli/newCell.ts).
import { existsSync, writeFileSync } from 'node:fs';
import { loadBoard } from '../boards/load';
import { isGenerateError } from '../generate/errors';
import { generateSystem } from '../generate/system';
import type { SystemOptions } from '../generate/types';
import { noteText, parseArgs, sizeArg, UsageError } from './args';
import { runNewCell } from './newCell';

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'system':
      return newSystem(rest);
    case 'cell':
      return runNewCell(rest);
    default:
      throw new UsageError(sub ? `unknown new command '${sub}' (system, cell)` : 'new needs a command: system or cell');
  }
}

const last = (p: ReturnType<typeof parseArgs>, k: string) => p.values.get(k)?.at(-1);

function newSystem(args: string[]): number {
  const p = parseArgs(args, ['--board', '-I', '-o', '--name', '--hypervisor-size', '--cell-ram', '--console', '--ivshmem-links'], ['--force']);
  if (p.positional.length) throw new UsageError(`new system takes no file arguments (got ${p.positional.join(' ')}); the board is --board ID|FILE`);
  const spec = last(p, '--board');
  if (!spec) throw new UsageError('new system needs --board ID|FILE (a bundled board id, a board JSON or a device tree; `jhcell board list` shows the bundled ones)');
  const options: SystemOptions = {};
  const name = last(p, '--name');
  if (name !== undefined) options.name = name;
  const hv = last(p, '--hypervisor-size');
  if (hv !== undefined) options.hypervisorSize = sizeArg(hv, '--hypervisor-size');
  const cellRam = last(p, '--cell-ram');
  if (cellRam !== undefined) options.cellRamSize = sizeArg(cellRam, '--cell-ram');
  const con = last(p, '--console');
  if (con !== undefined) options.console = con;
  const links = last(p, '--ivshmem-links');
  if (links !== undefined) {
    if (!/^\d+$/.test(links)) throw new UsageError(`--ivshmem-links ${links}: give a number of links (0 to 32)`);
    options.ivshmemLinks = Number(links);
  }
  const out = last(p, '-o');
  if (out && existsSync(out) && !p.flags.has('--force')) {
    process.stderr.write(`jhcell new system: ${out} exists; give --force to overwrite it\n`);
    return 1;
  }
  const loaded = loadBoard(spec, { includeDirs: p.values.get('-I') ?? [] });
  for (const m of loaded.problems) process.stderr.write(`jhcell new system: ${m}\n`);
  if (!loaded.board) return 1;
  let result;
  try {
    result = generateSystem(loaded.board, options);
  } catch (e) {
    if (!isGenerateError(e)) throw e;
    process.stderr.write(`jhcell new system: ${e.message}\n`);
    return 1;
  }
  // The config alone goes to standard output; what is said about it to standard error (as `new cell`).
  if (out) {
    try {
      writeFileSync(out, result.text);
    } catch (e) {
      process.stderr.write(`jhcell new system: cannot write ${out}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    process.stderr.write(`wrote ${out}\n`);
  } else process.stdout.write(result.text);
  process.stderr.write(noteText(result.notes));
  return 0;
}
