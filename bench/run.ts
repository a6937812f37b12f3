// `npm run bench`: runs every benchmark module in bench/ and prints its tables.
//
// A benchmark module is any bench/*.ts other than this file. It exports
//   `run(): Promise<BenchTable[]> | BenchTable[]`   (or a default export of that shape);
// a module that prints on its own may return nothing. `npm run bench -- NAME…` runs only the
// modules whose file name contains one of the NAMEs. With more than one module, each runs in a
// Node process of its own.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface BenchRow {
  /** What was measured. */
  name: string;
  /** The goal, as text (`≥ 20 MB/s`); empty when there is none. */
  target?: string;
  /** The measurement, as text. */
  result: string;
  /** Whether the target is met; undefined when there is no target. */
  ok?: boolean;
}

export interface BenchTable {
  title: string;
  rows: BenchRow[];
  /** Lines printed under the table (inputs, machine, caveats). */
  notes?: string[];
}

type BenchFn = () => Promise<BenchTable[] | void> | BenchTable[] | void;

/** The middle value (the upper one of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function formatTable(t: BenchTable): string {
  const head = ['measurement', 'target', 'result', ''];
  const body = t.rows.map((r) => [r.name, r.target ?? '', r.result, r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [`== ${t.title}`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  for (const n of t.notes ?? []) out.push(`   ${n}`);
  return out.join('\n');
}

async function main(filters: string[]): Promise<number> {
  const dir = __dirname;
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .filter((f) => !filters.length || filters.some((n) => f.includes(n)))
    .sort();
  if (!modules.length) {
    console.log(filters.length ? `no benchmark module matches ${filters.join(', ')}` : 'no benchmark modules in bench/');
    return filters.length ? 1 : 0;
  }
  if (modules.length > 1) return runApart(modules);
  let failed = 0;
  let missed = 0;
  for (const file of modules) {
    const name = basename(file, '.ts');
    let mod: Record<string, unknown>;
    try {
      mod = (await import(join(dir, file))) as Record<string, unknown>;
    } catch (e) {
      console.log(`== ${name}: cannot load: ${e instanceof Error ? e.message : String(e)}\n`);
      failed++;
      continue;
    }
    const fn = (typeof mod.run === 'function' ? mod.run : typeof mod.default === 'function' ? mod.default : undefined) as BenchFn | undefined;
    if (!fn) {
      console.log(`== ${name}: exports no run() function; skipped\n`);
      continue;
    }
    try {
      const tables = await fn();
      for (const t of tables ?? []) {
        console.log(formatTable(t) + '\n');
        missed += t.rows.filter((r) => r.ok === false).length;
      }
    } catch (e) {
      console.log(`== ${name}: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      failed++;
    }
  }
  if (missed) console.log(`${missed} target(s) missed.`);
  // Missed targets are reported, not fatal: a benchmark is a measurement, not a test.
  return failed ? 1 : 0;
}

const MISSED_LINE = /^(\d+) target\(s\) missed\.$/m;

/**
 * Each module in a Node process of its own: one module's heap (caches, garbage, a grown old
 * generation) would otherwise be billed to the next one's timings.
 */
function runApart(modules: string[]): number {
  let failed = 0;
  let missed = 0;
  for (const file of modules) {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, file], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    const out = r.stdout ?? '';
    const m = MISSED_LINE.exec(out);
    if (m) missed += Number(m[1]);
    process.stdout.write(out.replace(MISSED_LINE, '').replace(/\n+$/, '\n\n'));
    if (r.status !== 0) {
      if (!out.includes(`== ${basename(file, '.ts')}`)) console.log(`== ${basename(file, '.ts')}: failed (exit ${r.status ?? r.signal})\n`);
      failed++;
    }
  }
  if (missed) console.log(`${missed} target(s) missed.`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
