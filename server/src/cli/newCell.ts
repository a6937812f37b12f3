// `jhcell new cell --system ROOT.c --name NAME [--cpus LIST] [--ram SIZE] [--ram-start ADDR]
// [--device NAME]... [--linux] [--board ID|FILE] [-o FILE.c] [--force]`: a non-root cell for the
// system ROOT.c belongs to (its cells in the root's folder count as taken), written to FILE.c or
// standard output; notes on standard error. Exit 0 written, 1 the system is unusable or the file
// exists or cannot be written, 2 usage (including what the system cannot give: no free CPU, RAM, device).
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadBoard } from '../boards/load';
import { bundledBoards } from '../boards/registry';
import type { Board } from '../boards/types';
import { CellProblem, generateCell, boardForRoot } from '../generate/cell';
import { checkSystem } from '../rules';
import { loadSystems } from '../workspace';
import { definesOf, noteText, parseArgs, sizeArg, UsageError } from './args';

/** `2-3,5` → [2, 3, 5]. */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((s) => s.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`--cpus: '${part}' is not a CPU number or range (as in 2-3,5)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b > 1023) throw new UsageError(`--cpus: bad range '${part}'`);
    for (let c = a; c <= b; c++) out.push(c);
  }
  return [...new Set(out)].sort((x, y) => x - y);
}

const say = (line: string) => process.stderr.write(`${line}\n`);

export async function runNewCell(args: string[]): Promise<number> {
  const p = parseArgs(args, ['--system', '--name', '--cpus', '--ram', '--ram-start', '--device', '--board', '-o', '--output', '-D', '-I'], ['--linux', '--force']);
  if (p.positional.length) throw new UsageError(`new cell takes no positional arguments (got ${p.positional.join(' ')}); the root is --system ROOT.c`);
  const rootArg = p.values.get('--system')?.at(-1);
  const name = p.values.get('--name')?.at(-1);
  if (!rootArg) throw new UsageError('new cell needs --system ROOT.c (the system configuration the cell runs on)');
  if (!name) throw new UsageError('new cell needs --name NAME');
  const cpus = p.values.has('--cpus') ? parseCpuList(p.values.get('--cpus')!.at(-1)!) : undefined;
  const ramSize = p.values.has('--ram') ? sizeArg(p.values.get('--ram')!.at(-1)!, '--ram') : undefined;
  const ramStart = p.values.has('--ram-start') ? sizeArg(p.values.get('--ram-start')!.at(-1)!, '--ram-start') : undefined;
  const out = (p.values.get('-o') ?? p.values.get('--output'))?.at(-1);
  if (out && existsSync(out) && !p.flags.has('--force')) {
    say(`jhcell new cell: ${out} exists; give --force to overwrite it`);
    return 1;
  }

  const rootFile = path.resolve(rootArg);
  if (!existsSync(rootFile)) {
    say(`jhcell new cell: ${rootArg}: no such file`);
    return 2;
  }
  const { systems, problems } = loadSystems([rootFile], { defines: definesOf(p), includeDirs: p.values.get('-I') ?? [] });
  for (const pr of problems) say(`jhcell new cell: ${pr.file}: ${pr.message}`);
  const system = systems.find((s) => s.root?.file === rootFile);
  if (!system?.root?.model) {
    const asCell = systems.find((s) => s.cells.some((c) => c.file === rootFile));
    const model = asCell?.cells.find((c) => c.file === rootFile)?.model;
    say(`jhcell new cell: ${rootArg} is ${model ? 'a cell configuration' : 'not a Jailhouse configuration'}, not a system (root cell) configuration`);
    return 2;
  }

  // Errors in the root make every placement a guess; errors elsewhere are the siblings' own.
  const found = checkSystem(system);
  const rootErrors = (found.get(rootFile) ?? []).filter((d) => d.severity === 'error');
  if (rootErrors.length) {
    say(`jhcell new cell: ${rootArg} has ${rootErrors.length} error(s); fix them first (jhcell check ${rootArg}):`);
    for (const d of rootErrors.slice(0, 5)) say(`  ${d.message} [${d.code}]`);
    return 1;
  }
  for (const c of system.cells) {
    const n = (found.get(c.file) ?? []).filter((d) => d.severity === 'error').length;
    if (n) say(`note: ${path.relative(process.cwd(), c.file)} has ${n} error(s) (jhcell check); the new cell avoids its CPUs, memory and interrupts as written`);
  }
  if (system.cells.length) say(`note: other cells of the system, whose CPUs, RAM, interrupts and ivshmem links count as taken: ${system.cells.map((c) => path.basename(c.file)).join(', ')}`);

  let board: Board | undefined;
  const spec = p.values.get('--board')?.at(-1);
  if (spec !== undefined) {
    const r = loadBoard(spec, { includeDirs: p.values.get('-I') ?? [] });
    for (const pr of r.problems) say(`jhcell new cell: board ${spec}: ${pr}`);
    if (!r.board) return 2;
    board = r.board;
  } else {
    const m = boardForRoot(system.root.model, rootFile, bundledBoards());
    board = m.board;
    if (board) say(`note: devices are named as on the bundled board ${board.id}, which the root matches (GIC and RAM${m.byName ? ', and the file name' : ''}); --board to choose another`);
    else if (m.matched.length) say(`note: the root matches the bundled boards ${m.matched.map((b) => b.id).join(', ')}; devices are named after the root's regions (--board to choose one)`);
  }

  let generated;
  try {
    generated = generateCell(system, { name, cpus, ramSize, ramStart, devices: p.values.get('--device') ?? [], linux: p.flags.has('--linux') }, board);
  } catch (e) {
    if (!(e instanceof CellProblem)) throw e;
    say(`jhcell new cell: ${e.message}`);
    return e.kind === 'system' ? 1 : 2;
  }
  if (out) {
    try {
      writeFileSync(out, generated.text);
    } catch (e) {
      say(`jhcell new cell: cannot write ${out}: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
    say(`wrote ${out}`);
    if (path.resolve(path.dirname(out)) !== path.dirname(rootFile) || !path.basename(out).startsWith(path.basename(rootFile, '.c')))
      say(`note: keep it beside ${path.basename(rootFile)} and named ${generated.fileName} (or list it in jailhouse-cells.json) so jhcell check groups it with its root`);
  } else process.stdout.write(generated.text);
  process.stderr.write(noteText(generated.notes));
  return 0;
}
