// `jhcell check` beside the compiler pipeline it replaces, measured in one run on the same tree:
// (a) upstream's way — every configs/<arch>/*.c through gcc -c with the flags and include dirs
// of upstream's configs/Makefile (docs/format.md §1.3), objcopy -O binary, then
// tools/jailhouse-config-check (`jailhouse config check SYSCONFIG [CELLCONFIG…]`) once per
// system, on its root and cells; (b) `node dist/cli.js check <tree>/configs`, which reads and
// checks the same files from source. Needs gcc, objcopy, python3 and a Jailhouse tree
// (JAILHOUSE_SRC, else /work/jh); without them the table says what was skipped.
// `npm run bench -- pipeline`, or alone: `node --import tsx bench/pipeline.ts`. JH_BENCH_RUNS sets
// the number of timed runs (7); JH_BENCH_CALLGRIND=1 adds the instruction count of one cold check.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSystems } from '../server/src/workspace';
import { UPSTREAM_CFLAGS, UPSTREAM_OBJCOPYFLAGS, upstreamBuild } from '../test/support/gcc';
import { formatTable, median, type BenchRow, type BenchTable } from './run';

const ARCHS = ['x86', 'arm', 'arm64'];
/** `make -j2`: as many jobs at once as this machine has cores, and 2 at most (the brief's machine). */
const JOBS = 2;
const RUNS = Number(process.env.JH_BENCH_RUNS ?? 7);
const TARGET = 50;

interface Job {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are results, not failures (config check exits 1 when it finds overlaps). */
  ok: number[];
}

interface Config {
  arch: string;
  file: string;
  cell: string;
}

function tree(): string | undefined {
  for (const d of [process.env.JAILHOUSE_SRC, '/work/jh']) if (d && fs.existsSync(path.join(d, 'configs'))) return d;
  return undefined;
}

const has = (cmd: string, arg = '--version') => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;

function runJob(j: Job): Promise<string | undefined> {
  return new Promise((resolve) => {
    const p = spawn(j.cmd, j.args, { stdio: ['ignore', 'ignore', 'pipe'], env: j.env ?? process.env });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('error', (e) => resolve(`${j.cmd}: ${e.message}`));
    p.on('close', (code) => resolve(code !== null && j.ok.includes(code) && !err.includes('Traceback') ? undefined : `${path.basename(j.cmd)} ${j.args.at(-1)}: exit ${code}: ${err.trim().split('\n').at(-1)}`));
  });
}

/** Runs the jobs `width` at a time, as make -jN does with independent targets; the failures. */
async function pool(jobs: Job[], width: number): Promise<string[]> {
  const failed: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const f = await runJob(jobs[next++]);
      if (f) failed.push(f);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return failed;
}

/** One gcc + objcopy job per config (`cmd` runs both, as make runs the .o then the .cell rule). */
function compileJobs(src: string, configs: Config[], out: string): Job[] {
  return configs.map((c) => {
    const obj = path.join(out, `${c.arch}-${path.basename(c.file, '.c')}.o`);
    const { includeDirs, flags } = upstreamBuild(src, c.arch);
    const inc = includeDirs.map((d) => `-I${d}`);
    // One shell per config: `gcc … && objcopy …`, the two recipes make runs for x.cell.
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const line = `gcc ${[...flags, ...inc, '-c', c.file, '-o', obj].map(q).join(' ')} && objcopy ${[...UPSTREAM_OBJCOPYFLAGS, obj, c.cell].map(q).join(' ')}`;
    return { cmd: '/bin/sh', args: ['-c', line], ok: [0] };
  });
}

function upstreamPipeline(src: string, configs: Config[], systems: string[][], out: string, width = JOBS): Promise<string[]> {
  return (async () => {
    const failed = await pool(compileJobs(src, configs, out), width);
    const cellOf = new Map(configs.map((c) => [c.file, c.cell]));
    const check = path.join(src, 'tools/jailhouse-config-check');
    const env = { ...process.env, PYTHONPATH: src };
    const checks = systems.map((files) => ({ cmd: 'python3', args: [check, ...files.map((f) => cellOf.get(f)!)], env, ok: [0, 1] }));
    return [...failed, ...(await pool(checks, width))];
  })();
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * Instructions of one cold `jhcell check` under callgrind (JH_BENCH_CALLGRIND=1): unlike wall
 * time, the same on a busy machine. Single-threaded, fixed hash and random seeds, so that two
 * runs of the same build count alike; the code cache for these flags is made by a first run.
 */
function instructionsRow(cli: string, args: string[], scratch: string): BenchRow {
  const name = 'instructions of one cold jhcell check (callgrind, all of Node included)';
  if (!has('valgrind')) return { name, result: 'not measured: valgrind is not installed' };
  const env = { ...process.env, XDG_CACHE_HOME: path.join(scratch, 'xdg') };
  const node = [process.execPath, '--single-threaded', '--hash-seed=1', '--random-seed=1'];
  spawnSync(node[0], [...node.slice(1), cli, ...args], { stdio: 'ignore', env });
  const count = (argv: string[]): number | undefined => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${path.join(scratch, 'callgrind.out')}`, ...argv], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
    const m = /Collected : (\d+)/.exec(r.stderr ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const ours = count([...node, cli, ...args]);
  const bare = count([...node, '-e', '0']);
  if (ours === undefined || bare === undefined) return { name, result: 'not measured: callgrind gave no count' };
  const g = (n: number) => `${(n / 1e9).toFixed(2)} G`;
  return { name, result: `${g(ours)} (node -e 0: ${g(bare)}; jhcell's own: ${g(ours - bare)})` };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export async function run(): Promise<BenchTable[]> {
  const title = 'pipeline: jhcell check beside gcc + objcopy + jailhouse config check (upstream configs/)';
  const machine = `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${os.platform()}`;
  const src = tree();
  const cli = path.resolve(__dirname, '../dist/cli.js');
  const missing = [
    !src && 'a Jailhouse tree (set JAILHOUSE_SRC)',
    !has('gcc') && 'gcc',
    !has('objcopy') && 'objcopy',
    !has('python3') && 'python3',
    !fs.existsSync(cli) && 'dist/cli.js (npm run build)',
  ].filter(Boolean);
  if (missing.length || !src) return [{ title, rows: [{ name: 'skipped', result: `missing: ${missing.join(', ')}` }], notes: [machine] }];

  const configs: Config[] = [];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jhcell-pipeline-'));
  for (const arch of ARCHS) {
    const dir = path.join(src, 'configs', arch);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.c')).sort()) configs.push({ arch, file: path.join(dir, f), cell: path.join(out, `${arch}-${path.basename(f, '.c')}.cell`) });
  }
  // Which cells go with which system config: the grouping `jhcell check` finds (a root and its
  // cells per board); config check reads a system config and the cells given with it.
  const loaded = loadSystems(ARCHS.map((a) => path.join(src, 'configs', a)).filter((d) => fs.existsSync(d)), { declaration: false });
  const systems: string[][] = [];
  let rootless = 0;
  for (const sys of loaded.systems) {
    if (!sys.root) {
      rootless += sys.cells.length;
      continue;
    }
    systems.push([sys.root.file, ...sys.cells.map((c) => c.file).filter((f) => f !== sys.root!.file)]);
  }

  const ours = (args: string[]) => () => spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
  const checkArgs = ['check', path.join(src, 'configs')];
  // Warm-up: file cache, gcc's and python's own files, the CLI's bundles.
  const warm = await upstreamPipeline(src, configs, systems, out);
  ours(checkArgs)();

  const theirs: number[] = [];
  const serial: number[] = [];
  const mine: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so that a burst of other load on the machine falls on both sides alike.
    theirs.push(await timeAsync(() => upstreamPipeline(src, configs, systems, out)));
    serial.push(await timeAsync(() => upstreamPipeline(src, configs, systems, out, 1)));
    mine.push(time(ours(checkArgs)));
  }
  // The floor of any Node CLI: start-up alone, with nothing to run.
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) bare.push(time(() => spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' })));
  const rows: BenchRow[] = [
    { name: `upstream: gcc + objcopy (${configs.length} configs) + config check (${systems.length} systems), make -j${JOBS}`, result: fmt(median(theirs)) },
    { name: `jhcell check configs/ (${configs.length} configs, Node start-up included)`, result: fmt(median(mine)) },
    { name: 'speed-up: upstream / jhcell check', target: `≥ ${TARGET}×`, result: `${(median(theirs) / median(mine)).toFixed(1)}×`, ok: median(theirs) / median(mine) >= TARGET },
    { name: 'for scale: bare Node start-up (node -e 0), the floor of any Node CLI', result: `${fmt(median(bare))}; upstream / that = ${(median(theirs) / median(bare)).toFixed(0)}×` },
    { name: 'upstream one job at a time (plain make), and jhcell check beside it', result: `${fmt(median(serial))}: ${(median(serial) / median(mine)).toFixed(1)}×` },
  ];
  const buildDir = path.join(out, 'jhcell-build');
  // Every config by name (build takes files), into one folder: as the upstream side, every image.
  const buildArgs = ['build', '--out-dir', buildDir, ...configs.map((c) => c.file)];
  const probe = spawnSync(process.execPath, [cli, ...buildArgs], { encoding: 'utf8' });
  if (probe.status === 0 || probe.status === 1) {
    const builds: number[] = [];
    for (let i = 0; i < RUNS; i++) builds.push(time(ours(buildArgs)));
    rows.splice(2, 0, { name: 'jhcell build --out-dir (every .cell image)', result: fmt(median(builds)) });
    rows.push({ name: 'speed-up: upstream / jhcell build', result: `${(median(theirs) / median(builds)).toFixed(1)}×` });
  } else {
    rows.push({ name: 'jhcell build --out-dir', result: `not measured: exit ${probe.status}: ${(probe.stderr || '').trim().split('\n')[0]}` });
  }
  if (process.env.JH_BENCH_CALLGRIND === '1') rows.push(instructionsRow(cli, checkArgs, out));
  fs.rmSync(out, { recursive: true, force: true });
  const notes = [
    `wall time, median of ${RUNS} runs after one warm-up (file cache warm), the two sides interleaved; tree: ${src}`,
    `upstream side: ${JOBS} jobs at a time (as make -j${JOBS}): every gcc -c ${UPSTREAM_CFLAGS.join(' ')} -I… && objcopy ${UPSTREAM_OBJCOPYFLAGS.join(' ')}, then`,
    `  python3 tools/jailhouse-config-check SYSTEM.cell CELL.cell… per system (root and cells as jhcell groups them)`,
    ...(rootless ? [`  ${rootless} cell(s) without a root config are compiled but not config-checked (config check needs a system config)`] : []),
    ...(warm.length ? [`  ${warm.length} upstream job(s) failed: ${warm.slice(0, 3).join('; ')}`] : []),
    machine,
  ];
  return [{ title, rows, notes }];
}

if (require.main === module) {
  run().then((ts) => {
    for (const t of ts) process.stdout.write(formatTable(t) + '\n\n');
  });
}
