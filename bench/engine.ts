// Engine throughput: parse + evaluate of one generated ~5 MB config (MB/s, with the time per
// phase), and the time to analyse a folder of ~120 generated configs sized like upstream's.
// Inputs are generated here (invented boards); with JAILHOUSE_SRC set, the configs of that
// checkout are timed as well.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type * as AnalyzeModule from '../server/src/engine/analyze';
import type { Diag } from '../server/src/core/diagnostics';
import type * as EvaluateModule from '../server/src/model/evaluate';
import type * as ParserModule from '../server/src/syntax/parser';
import type * as PreprocessorModule from '../server/src/syntax/preprocessor';
import { median, type BenchTable } from './run';
import { prng } from '../test/support/prng';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Engine = typeof AnalyzeModule & typeof EvaluateModule & typeof ParserModule & typeof PreprocessorModule;

/**
 * The engine as it ships: bundled by esbuild with the options of scripts/build.mjs. Loading
 * the sources through tsx instead would measure tsx's module wrappers (every cross-module
 * reference becomes a getter call), not the engine.
 */
function loadBundledEngine(dir: string): Engine {
  const root = join(__dirname, '..');
  const outfile = join(dir, 'engine-bundle.js');
  buildSync({
    stdin: {
      contents: [
        "export { analyze, analyzeFile } from './server/src/engine/analyze';",
        "export { evaluateConfig } from './server/src/model/evaluate';",
        "export { parseConfig } from './server/src/syntax/parser';",
        "export { preprocess } from './server/src/syntax/preprocessor';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return require(outfile) as Engine;
}

const TARGET_MBPS = 20;
const TARGET_FOLDER_MS = 50;
const FOLDER_SIZE = 120;

const hex = (n: number) => `0x${n.toString(16)}`;

const MEM_FLAGS = [
  'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_IO',
  'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_EXECUTE',
  'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |\n\t\t\t\tJAILHOUSE_MEM_IO | JAILHOUSE_MEM_IO_32',
  'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_EXECUTE |\n\t\t\t\tJAILHOUSE_MEM_DMA | JAILHOUSE_MEM_LOADABLE',
];

interface Shape {
  arch: 'x86' | 'arm' | 'arm64';
  system: boolean;
  regions: number;
  irqchips: number;
  pci: number;
  pio: number;
  /** Long generated comments above regions (`jailhouse config create` style). */
  verbose: boolean;
}

/** One config in the style of the upstream files; `rnd` varies names and numbers. */
function generateConfig(shape: Shape, rnd: () => number, name: string): string {
  const { arch, system } = shape;
  const out: string[] = [];
  out.push(`/*\n * Generated benchmark board ${name} (${arch}, ${system ? 'root cell' : 'non-root cell'}).\n */\n`);
  out.push('#include <jailhouse/types.h>\n#include <jailhouse/cell-config.h>\n');
  out.push(`#define BOARD_UART_BASE ${hex(0x1c28000 + Math.floor(rnd() * 16) * 0x1000)}`);
  out.push('#define BOARD_REGION(addr, len, fl) { .phys_start = (addr), .virt_start = (addr), .size = (len), .flags = (fl), }');
  out.push('#ifndef CONFIG_INMATE_BASE\n#define CONFIG_INMATE_BASE 0x0\n#endif\n');
  const shmemLinks = shape.pci > 0 ? 1 : 0;
  const regions = shape.regions + shmemLinks * 4;
  out.push('struct {');
  out.push(`\tstruct ${system ? 'jailhouse_system header' : 'jailhouse_cell_desc cell'};`);
  out.push('\t__u64 cpus[1];');
  out.push(`\tstruct jailhouse_memory mem_regions[${regions}];`);
  if (shape.irqchips) out.push(`\tstruct jailhouse_irqchip irqchips[${shape.irqchips}];`);
  if (shape.pio) out.push(`\tstruct jailhouse_pio pio_regions[${shape.pio}];`);
  if (shape.pci) out.push(`\tstruct jailhouse_pci_device pci_devices[${shape.pci}];`);
  out.push('} __attribute__((packed)) config = {');
  const archConst = arch === 'x86' ? 'JAILHOUSE_X86' : arch === 'arm' ? 'JAILHOUSE_ARM' : 'JAILHOUSE_ARM64';
  const counts = [
    '\t\t.cpu_set_size = sizeof(config.cpus),',
    '\t\t.num_memory_regions = ARRAY_SIZE(config.mem_regions),',
    shape.irqchips ? '\t\t.num_irqchips = ARRAY_SIZE(config.irqchips),' : '',
    shape.pio ? '\t\t.num_pio_regions = ARRAY_SIZE(config.pio_regions),' : '',
    shape.pci ? '\t\t.num_pci_devices = ARRAY_SIZE(config.pci_devices),' : '',
  ].filter(Boolean);
  if (system) {
    out.push('\t.header = {');
    out.push('\t\t.signature = JAILHOUSE_SYSTEM_SIGNATURE,\n\t\t.revision = JAILHOUSE_CONFIG_REVISION,');
    out.push(`\t\t.architecture = ${archConst},\n\t\t.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,`);
    out.push(`\t\t.hypervisor_memory = {\n\t\t\t.phys_start = ${hex(0x7c000000)},\n\t\t\t.size = 0x400000,\n\t\t},`);
    out.push('\t\t.debug_console = {\n\t\t\t.address = BOARD_UART_BASE,\n\t\t\t.size = 0x1000,');
    out.push(`\t\t\t.type = ${arch === 'x86' ? 'JAILHOUSE_CON_TYPE_8250' : 'JAILHOUSE_CON_TYPE_PL011'},`);
    out.push('\t\t\t.flags = JAILHOUSE_CON_ACCESS_MMIO |\n\t\t\t\t JAILHOUSE_CON_REGDIST_4,\n\t\t},');
    out.push('\t\t.platform_info = {\n\t\t\t.pci_mmconfig_base = 0x8e00000,\n\t\t\t.pci_mmconfig_end_bus = 0,\n\t\t\t.pci_is_virtual = 1,\n\t\t\t.pci_domain = -1,');
    if (arch === 'x86') out.push('\t\t\t.x86 = {\n\t\t\t\t.pm_timer_address = 0x608,\n\t\t\t\t.vtd_interrupt_limit = 256,\n\t\t\t},');
    else out.push('\t\t\t.arm = {\n\t\t\t\t.gic_version = 3,\n\t\t\t\t.gicd_base = 0x8000000,\n\t\t\t\t.gicr_base = 0x80a0000,\n\t\t\t\t.maintenance_irq = 25,\n\t\t\t},');
    out.push('\t\t},');
    out.push(`\t\t.root_cell = {\n\t\t\t.name = "${name}",`);
    out.push(...counts.map((l) => '\t' + l));
    out.push('\t\t\t.vpci_irq_base = 136 - 32,\n\t\t},\n\t},\n');
  } else {
    out.push('\t.cell = {');
    out.push('\t\t.signature = JAILHOUSE_CELL_DESC_SIGNATURE,\n\t\t.revision = JAILHOUSE_CONFIG_REVISION,');
    out.push(`\t\t.architecture = ${archConst},\n\t\t.name = "${name}",`);
    out.push('\t\t.flags = JAILHOUSE_CELL_PASSIVE_COMMREG |\n\t\t\t JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED,\n');
    out.push(...counts);
    out.push('\n\t\t.vpci_irq_base = 140 - 32,\n\t\t.cpu_reset_address = CONFIG_INMATE_BASE,');
    out.push('\t\t.console = {\n\t\t\t.address = BOARD_UART_BASE,\n\t\t\t.type = JAILHOUSE_CON_TYPE_8250,');
    out.push('\t\t\t.flags = JAILHOUSE_CON_ACCESS_MMIO |\n\t\t\t\t JAILHOUSE_CON_REGDIST_4,\n\t\t},\n\t},\n');
  }
  out.push(`\t.cpus = {\n\t\t${system ? '0b1111' : '0x30'},\n\t},\n`);
  out.push('\t.mem_regions = {');
  if (shmemLinks) out.push('\t\t/* IVSHMEM shared memory region (networking) */\n\t\tJAILHOUSE_SHMEM_NET_REGIONS(0x7f800000, 0),');
  let addr = 0x10000000;
  for (let i = 0; i < shape.regions; i++) {
    const size = 0x1000 * (1 + Math.floor(rnd() * 64));
    const flags = MEM_FLAGS[Math.floor(rnd() * MEM_FLAGS.length)];
    if (shape.verbose) out.push(`\t\t/* MemRegion: ${addr.toString(16)}-${(addr + size - 1).toString(16)} : device ${i} */`);
    if (i % 9 === 5) {
      out.push(`\t\t/* block ${i} */\n\t\tBOARD_REGION(${hex(addr)}, ${hex(size)}, ${flags}),`);
    } else {
      out.push(`\t\t/* region ${i} */ {\n\t\t\t.phys_start = ${hex(addr)},\n\t\t\t.virt_start = ${hex(addr)},\n\t\t\t.size = ${hex(size)},\n\t\t\t.flags = ${flags},\n\t\t},`);
    }
    addr += size + 0x1000;
  }
  out.push('\t},\n');
  if (shape.irqchips) {
    out.push('\t.irqchips = {');
    for (let i = 0; i < shape.irqchips; i++) {
      out.push(`\t\t/* GIC */ {\n\t\t\t.address = 0x8000000,\n\t\t\t.pin_base = ${32 + 128 * i},\n\t\t\t.pin_bitmap = {\n\t\t\t\t0xffffffff, 1 << (77 - 64), 0, 1 << (141 - 128),\n\t\t\t},\n\t\t},`);
    }
    out.push('\t},\n');
  }
  if (shape.pio) {
    out.push('\t.pio_regions = {');
    for (let i = 0; i < shape.pio; i++) out.push(`\t\tPIO_RANGE(${hex(0x40 + i * 0x10)}, 4), /* port ${i} */`);
    out.push('\t},\n');
  }
  if (shape.pci) {
    out.push('\t.pci_devices = {');
    for (let i = 0; i < shape.pci; i++) {
      out.push(`\t\t/* 00:${i.toString(16).padStart(2, '0')}.0 */ {\n\t\t\t.type = JAILHOUSE_PCI_TYPE_${i === 0 ? 'IVSHMEM' : 'DEVICE'},\n\t\t\t.domain = 1,\n\t\t\t.bdf = ${i} << 3,`);
      if (i === 0) out.push('\t\t\t.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,\n\t\t\t.shmem_regions_start = 0,\n\t\t\t.shmem_dev_id = 0,\n\t\t\t.shmem_peers = 2,\n\t\t\t.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,');
      else out.push('\t\t\t.bar_mask = { 0xfffff000, },\n\t\t\t.num_msi_vectors = 1,\n\t\t\t.msi_64bits = 1,');
      out.push('\t\t},');
    }
    out.push('\t},\n');
  }
  out.push('};\n');
  return out.join('\n');
}

/** A config of about `bytes` bytes: one system with as many regions as needed. */
export function bigConfig(bytes: number): string {
  const rnd = prng(42);
  const probe = generateConfig({ arch: 'arm64', system: true, regions: 100, irqchips: 2, pci: 4, pio: 0, verbose: true }, prng(1), 'probe');
  const perRegion = probe.length / 100;
  const regions = Math.max(1, Math.round((bytes / perRegion) * 1.1));
  return generateConfig({ arch: 'arm64', system: true, regions, irqchips: 4, pci: 8, pio: 0, verbose: true }, rnd, 'big-board');
}

/**
 * Line count at quantile `u` of the upstream configs (v0.12+: p10 71, p25 117, median 148,
 * p75 212, p90 376, max 891 lines), interpolated linearly.
 */
function upstreamLines(u: number): number {
  const q: [number, number][] = [[0, 60], [0.1, 71], [0.25, 117], [0.5, 148], [0.75, 212], [0.9, 376], [1, 900]];
  for (let i = 1; i < q.length; i++) {
    if (u <= q[i][0]) {
      const [u0, l0] = q[i - 1];
      const [u1, l1] = q[i];
      return l0 + ((u - u0) / (u1 - u0)) * (l1 - l0);
    }
  }
  return 900;
}

/** ~120 configs with line counts spread like upstream's (60 to 900 lines). */
function folderConfigs(count: number): { name: string; text: string }[] {
  const rnd = prng(7);
  const out: { name: string; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    const arch = i % 10 === 0 ? 'x86' : i % 5 === 1 ? 'arm' : 'arm64';
    const system = i % 3 === 0;
    const targetLines = Math.round(upstreamLines(rnd()));
    const fixedLines = system ? 70 : 50;
    const regions = Math.max(2, Math.round((targetLines - fixedLines) / 7));
    const shape: Shape = { arch, system, regions, irqchips: arch === 'x86' ? 1 : 1 + (i % 3), pci: i % 4 === 3 ? 0 : 1 + (i % 5), pio: arch === 'x86' ? 8 : 0, verbose: arch === 'x86' };
    out.push({ name: `board-${String(i).padStart(3, '0')}.c`, text: generateConfig(shape, rnd, `board-${i}`) });
  }
  return out;
}

/**
 * Median wall-clock and best CPU milliseconds of `runs` calls. On a busy machine other
 * processes stretch the wall clock (and, less so, the CPU time through shared caches); the
 * best CPU time is the closest to what the code itself costs, so targets are judged on it.
 */
function timeIt(fn: () => void, runs: number): { wall: number; cpu: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: Math.min(...cpu) };
}

const fmtMs = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(1)} ms (best CPU ${t.cpu.toFixed(1)} ms)`;

function problemsOf(diags: Diag[]): number {
  return diags.filter((d) => d.severity === 'error').length;
}

function folderTime(engine: Engine, files: string[], runs: number): { ms: { wall: number; cpu: number }; errors: number; models: number } {
  const { analyzeFile } = engine;
  let errors = 0;
  let models = 0;
  for (const f of files) {
    const a = analyzeFile(f);
    errors += problemsOf(a.diagnostics);
    if (a.model) models++;
  }
  const ms = timeIt(() => {
    for (const f of files) analyzeFile(f);
  }, runs);
  return { ms, errors, models };
}

function configFiles(root: string): string[] {
  const out: string[] = [];
  for (const arch of ['x86', 'arm', 'arm64']) {
    const d = join(root, arch);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (f.endsWith('.c') && statSync(join(d, f)).isFile()) out.push(join(d, f));
  }
  return out;
}

/** A full GC between series (V8's gc() made reachable without --expose-gc on the command line). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export function run(): BenchTable[] {
  const tables: BenchTable[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'jh-bench-'));
  try {
    const engine = loadBundledEngine(dir);
    // Each series starts from a collected heap, so that garbage one leaves behind is not
    // billed to the next.
    collectGarbage();
    tables.push(throughput(engine));
    collectGarbage();
    tables.push(folder(engine, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tables;
}

function throughput(engine: Engine): BenchTable {
  const { analyze, preprocess, parseConfig, evaluateConfig } = engine;

  // 1. Throughput on one big config.
  const big = bigConfig(5 * 1024 * 1024);
  const file = '/bench/big-board.c';
  const mb = big.length / (1024 * 1024);
  const first = analyze(file, big);
  const regions = first.model?.mem_regions.length ?? 0;
  analyze(file, big); // warm-up
  const total = timeIt(() => analyze(file, big), 5);
  const pp = timeIt(() => preprocess(file, big), 3);
  const tokens = preprocess(file, big).tokens;
  const parse = timeIt(() => parseConfig(tokens), 3);
  const decl = parseConfig(tokens).decl!;
  const evaluate = timeIt(() => evaluateConfig(decl, [], file), 3);
  const mbps = (ms: number) => mb / (ms / 1000);
  return {
    title: 'engine: parse + evaluate of one generated config',
    rows: [
      {
        name: `analyze(), ${mb.toFixed(2)} MB, ${regions} regions`,
        target: `≥ ${TARGET_MBPS} MB/s`,
        result: `${mbps(total.wall).toFixed(1)} MB/s (best CPU: ${mbps(total.cpu).toFixed(1)} MB/s)`,
        ok: mbps(total.cpu) >= TARGET_MBPS,
      },
      { name: '  analyze() time', result: fmtMs(total) },
      { name: `  lex + preprocess (${tokens.length} tokens)`, result: fmtMs(pp) },
      { name: '  parse', result: fmtMs(parse) },
      { name: '  evaluate', result: fmtMs(evaluate) },
    ],
    notes: [
      `wall: median of 5 runs after a warm-up; CPU: the best run; bundled engine; ${problemsOf(first.diagnostics)} errors reported on the input (expected 0)`,
      'the phases are timed apart, each on the whole output of the one before (all tokens, then the whole tree): analyze() streams them into one another, so they add up to more than it',
      `targets are judged on the best CPU time (load average now ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`,
    ],
  };
}

/** A folder of configs sized like upstream's. */
function folder(engine: Engine, dir: string): BenchTable {
  {
    const configs = folderConfigs(FOLDER_SIZE);
    for (const c of configs) writeFileSync(join(dir, c.name), c.text);
    const paths = configs.map((c) => join(dir, c.name));
    const lines = configs.map((c) => c.text.split('\n').length);
    const bytes = configs.reduce((n, c) => n + c.text.length, 0);
    const r = folderTime(engine, paths, 20);
    const rows = [
      {
        name: `${paths.length} generated configs, analyzeFile each`,
        target: `≤ ${TARGET_FOLDER_MS} ms`,
        result: `${fmtMs(r.ms)}, ${r.models} models, ${r.errors} errors`,
        ok: r.ms.cpu <= TARGET_FOLDER_MS,
      },
    ];
    const notes = [`lines per file ${Math.min(...lines)}–${Math.max(...lines)} (median ${median(lines)}), ${(bytes / 1024).toFixed(0)} KiB in total; wall: median of 20 runs after a warm-up, CPU: the best run`];
    const src = process.env.JAILHOUSE_SRC;
    if (src && existsSync(join(src, 'configs'))) {
      const upstream = configFiles(join(src, 'configs'));
      const u = folderTime(engine, upstream, 20);
      rows.push({ name: `${upstream.length} configs of JAILHOUSE_SRC`, target: `≤ ${TARGET_FOLDER_MS} ms`, result: `${fmtMs(u.ms)}, ${u.models} models, ${u.errors} errors`, ok: u.ms.cpu <= TARGET_FOLDER_MS });
    } else {
      notes.push('set JAILHOUSE_SRC to a Jailhouse checkout to time its configs too');
    }
    return { title: 'engine: a folder of configs, in-process', rows, notes };
  }
}
