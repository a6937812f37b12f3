// `jhcell board import FILE.dts [-I DIR]... [--json] [--id ID] [-o FILE]`: a device tree as a
// board description; `jhcell board list [--json]`: the bundled boards;
// `jhcell board show ID|FILE [--json]`: one board's devices.
import { writeFileSync } from 'node:fs';
import { formatDtsDiag } from '../boards/dts/diag';
import { importDtsFile } from '../boards/dts/import';
import { boardToJson, stringifyBoard } from '../boards/json';
import { loadBoard } from '../boards/load';
import { bundledBoards } from '../boards/registry';
import type { Board } from '../boards/types';
import { hex, irqLabel, sizeLabel } from '../boards/types';
import { parseArgs, UsageError } from './args';
import { ARCH_NAMES } from '../schema';

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'import':
      return importCmd(rest);
    case 'list':
      return listCmd(rest);
    case 'show':
      return showCmd(rest);
    default:
      throw new UsageError(sub ? `unknown board command '${sub}' (import, list, show)` : 'board needs a command: import, list or show');
  }
}

function importCmd(args: string[]): number {
  const p = parseArgs(args, ['-I', '--id', '-o', '--arch'], ['--json']);
  if (p.positional.length !== 1) throw new UsageError('board import takes exactly one FILE.dts');
  const arch = p.values.get('--arch')?.[0];
  if (arch !== undefined && !(ARCH_NAMES as readonly string[]).includes(arch)) throw new UsageError('--arch must be arm or arm64');
  const r = importDtsFile(p.positional[0], { includeDirs: p.values.get('-I') ?? [], id: p.values.get('--id')?.[0], arch: arch as Board['arch'] | undefined });
  for (const d of r.diags) process.stderr.write(`${formatDtsDiag(d)}\n`);
  if (!r.board) return 1;
  const out = p.values.get('-o')?.[0];
  const json = stringifyBoard(boardToJson(r.board)) + '\n';
  if (out) {
    writeFileSync(out, json);
    process.stderr.write(`wrote ${out}: ${r.board.devices.length} devices\n`);
  } else process.stdout.write(p.flags.has('--json') ? json : summary(r.board));
  return r.diags.some((d) => d.severity === 'error') ? 1 : 0;
}

function listCmd(args: string[]): number {
  const p = parseArgs(args, [], ['--json']);
  if (p.positional.length) throw new UsageError('board list takes no arguments');
  const boards = bundledBoards();
  if (p.flags.has('--json')) {
    process.stdout.write(JSON.stringify(boards.map((b) => ({ id: b.id, name: b.name, soc: b.soc, arch: b.arch, devices: b.devices.length })), null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...boards.map((b) => b.id.length));
  for (const b of boards) process.stdout.write(`${b.id.padEnd(w)}  ${b.arch.padEnd(5)}  ${String(b.devices.length).padStart(3)} devices  ${b.name}\n`);
  return 0;
}

function showCmd(args: string[]): number {
  const p = parseArgs(args, ['-I'], ['--json']);
  if (p.positional.length !== 1) throw new UsageError('board show takes exactly one board id or file');
  const r = loadBoard(p.positional[0], { includeDirs: p.values.get('-I') ?? [] });
  for (const m of r.problems) process.stderr.write(`jhcell board: ${m}\n`);
  if (!r.board) return 1;
  process.stdout.write(p.flags.has('--json') ? stringifyBoard(boardToJson(r.board)) + '\n' : summary(r.board));
  return 0;
}

function summary(b: Board): string {
  const lines = [`${b.name} (${b.id}, ${b.arch}${b.soc ? `, ${b.soc}` : ''})`];
  lines.push(`CPUs: ${b.cpus.count}`);
  for (const r of b.ram) lines.push(`RAM: ${hex(r.base)} ${sizeLabel(r.size)}`);
  const ic = b.interruptController;
  if (ic?.type === 'gic') lines.push(`GICv${ic.version}: ${(['gicd', 'gicc', 'gich', 'gicv', 'gicr'] as const).filter((k) => ic[k] !== undefined).map((k) => `${k} ${hex(ic[k]!)}`).join(', ')}`);
  else if (ic) lines.push(`IOAPICs: ${ic.ioapics.map((a) => hex(a.base)).join(', ')}`);
  lines.push('', 'devices:');
  const w = Math.min(24, Math.max(4, ...b.devices.map((d) => d.name.length)));
  for (const d of b.devices) {
    const win = d.reg.map((r) => `${r.space === 'pio' ? 'io ' : ''}${hex(r.base)}+${sizeLabel(r.size)}`).join(', ');
    const irq = d.interrupts.map(irqLabel).join(', ');
    lines.push(`  ${d.name.padEnd(w)}  ${win || '-'}${irq ? `  [${irq}]` : ''}${d.disabled ? '  (disabled)' : ''}`);
  }
  return lines.join('\n') + '\n';
}
