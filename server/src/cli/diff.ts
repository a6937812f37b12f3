// `jhcell diff [--format text|json] [-D …] [-I …] A B`: what changed from A to B in resource
// terms. A and B are each a `.c` source, a `.cell` image or `REV:path` (a file as a git
// revision holds it). Exit 0: no differences in resources; 1: differences; 2: usage, or a side
// that cannot be read or is not a config.
import { diffConfigs } from '../diff/compare';
import { loadSide, type Loaded } from '../diff/load';
import { diffJson, diffText } from '../diff/report';
import { definesOf, parseArgs, UsageError } from './args';
import { formatDiag } from './dump';

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['-D', '-I', '--format'], []);
  if (parsed.positional.length !== 2) throw new UsageError(`diff takes two configs, A and B (${parsed.positional.length} given)`);
  const format = parsed.values.get('--format')?.at(-1) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format takes text or json, not ${format}`);
  const opts = { defines: definesOf(parsed), includeDirs: parsed.values.get('-I') ?? [] };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`jhcell diff: cannot write output: ${e.message}\n`);
    process.exit(e.code === 'EPIPE' ? 0 : 2);
  });

  const sides: Loaded[] = [];
  for (const spec of parsed.positional) {
    const r = loadSide(spec, opts);
    if ('error' in r) {
      process.stderr.write(`jhcell diff: ${r.error.startsWith(spec) ? '' : `${spec}: `}${r.error}\n`);
      return 2;
    }
    // The engine's errors go where `jhcell dump` puts them; the diff still runs on what was read.
    const a = r.analysis;
    for (const d of a?.diagnostics.filter((x) => x.severity === 'error') ?? []) {
      const line = formatDiag(d, a!.files);
      process.stderr.write((r.side.fileName?.(d.loc.file) ?? d.loc.file) + line.slice(d.loc.file.length) + '\n');
    }
    sides.push(r);
  }
  const [a, b] = sides;
  const result = diffConfigs(a.side, b.side);
  result.notes.unshift(...a.notes, ...b.notes);
  process.stdout.write(format === 'json' ? JSON.stringify(diffJson(a.side, b.side, result), null, 2) + '\n' : diffText(a.side, b.side, result));
  return result.changes.length ? 1 : 0;
}
