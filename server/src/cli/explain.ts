// `jhcell explain`: what the hypervisor's and the driver's lines in a console log mean for the
// given configs: the cell, the regions and device at the address, what is wrong and the edits
// that fix it. Exit 0 = explained, 1 = the log holds no line we read, 2 = usage.
import * as fs from 'node:fs';
import { loadBoard } from '../boards/load';
import type { Board } from '../boards/types';
import { explainEvents } from '../explain/explain';
import { explanationJson, sourcesOf } from '../explain/json';
import { readLog } from '../explain/log';
import type { Explanation } from '../explain/types';
import type { SourceFile } from '../util/source';
import { rangeOf, type Loc } from '../util/source';
import { hex } from '../util/format';
import { loadSystems, type System } from '../workspace';
import { definesOf, parseArgs, UsageError } from './args';
import { displayPath } from '../util/paths';

export async function run(args: string[]): Promise<number> {
  const p = parseArgs(args, ['--format', '-D', '-I', '--board'], []);
  const format = p.values.get('--format')?.at(-1) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (text or json)`);
  const [logFile, ...paths] = p.positional;
  if (logFile === undefined) throw new UsageError('no log file given (LOGFILE, or - for standard input)');
  if (!paths.length) throw new UsageError('no config file or folder given');
  let log: string;
  try {
    log = logFile === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(logFile, 'utf8');
  } catch (e) {
    process.stderr.write(`jhcell explain: cannot read ${logFile}: ${(e as Error).message}\n`);
    return 2;
  }
  const boardSpec = p.values.get('--board')?.at(-1);
  let board: Board | undefined;
  if (boardSpec !== undefined) {
    const r = loadBoard(boardSpec, { includeDirs: p.values.get('-I') ?? [] });
    for (const pr of r.problems) process.stderr.write(`jhcell explain: board ${boardSpec}: ${pr}\n`);
    if (!r.board) return 2;
    board = r.board;
  }
  const loaded = loadSystems(paths, { defines: definesOf(p), includeDirs: p.values.get('-I') ?? [] });
  for (const m of loaded.missing) process.stderr.write(`jhcell explain: cannot read ${m}\n`);
  if (loaded.missing.length && !loaded.systems.length) return 2;
  if (!loaded.systems.length) process.stderr.write(`jhcell explain: no Jailhouse config among ${paths.join(', ')}: the lines are explained without cells\n`);

  const events = readLog(log);
  const explained = explainEvents(events, loaded.systems, { board });
  const sf = sourcesOf(loaded.systems);
  if (format === 'json') {
    const out = { version: 1, events: explained.map((x) => explanationJson(x, sf, displayPath)) };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    const logName = logFile === '-' ? '<stdin>' : displayPath(logFile);
    process.stdout.write(explained.map((x) => textBlock(x, logName, sf, loaded.systems)).join('\n'));
    const infos = events.length - explained.length;
    process.stdout.write(`${explained.length ? '\n' : ''}${explained.length} event${explained.length === 1 ? '' : 's'} explained${infos ? ` (and ${infos} informational line${infos === 1 ? '' : 's'} used)` : ''}\n`);
  }
  if (!events.length) {
    process.stderr.write(`jhcell explain: no hypervisor or driver line found in ${logFile === '-' ? 'standard input' : logFile}\n`);
    return 1;
  }
  return 0;
}

const at = (sf: (f: string) => SourceFile, loc: Loc) => {
  const r = rangeOf(sf(loc.file), loc);
  return `${displayPath(loc.file)}:${r.start.line + 1}:${r.start.character + 1}`;
};

/** Where region `k` of `file` is written, for a compiler-style link. */
function regionLoc(systems: System[], file: string, k: number, pio: boolean): Loc | undefined {
  for (const s of systems) {
    for (const a of [s.root, ...s.cells]) {
      if (a?.file !== file || !a.model) continue;
      return (pio ? a.model.pio_regions[k] : a.model.mem_regions[k])?.$loc;
    }
  }
  return undefined;
}

function textBlock(x: Explanation, logName: string, sf: (f: string) => SourceFile, systems: System[]): string {
  const e = x.event;
  let s = `${logName}:${e.line + 1}: ${e.text.trim()}\n`;
  if (x.cell) s += `  cell: "${x.cell.name}" (${displayPath(x.cell.file)}${x.cell.how === 'cpu' ? `, owns CPU ${e.cpu}` : ''})\n`;
  s += `  ${x.message}\n`;
  for (const k of x.covering) {
    const loc = regionLoc(systems, k.file, k.region, e.kind === 'pio');
    s += `  ${loc ? at(sf, loc) : displayPath(k.file)}: note: ${e.kind === 'pio' ? 'PIO range' : 'region'} ${k.region}${k.name ? ` (${k.name})` : ''} of "${k.cell}" covers it\n`;
  }
  if (x.device) s += `  device: ${x.device.name} (${hex(x.device.start)}, size ${hex(x.device.size)}; ${x.device.source})\n`;
  if (x.rules?.length) s += `  rules: ${x.rules.join(', ')}\n`;
  for (const f of x.fixes) {
    s += `  fix: ${f.title}\n`;
    for (const d of f.edits) {
      const old = sf(d.loc.file).text.slice(d.loc.start, d.loc.end);
      s += `    ${at(sf, d.loc)}: ${old ? `replace '${old}' with` : 'insert'}\n`;
      for (const l of d.newText.split('\n').filter((l) => l.trim())) s += `      + ${l.replace(/\t/g, '    ')}\n`;
    }
  }
  return s;
}
