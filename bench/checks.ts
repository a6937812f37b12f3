// Benchmark of the checks: (1) checkSystem on generated systems of 1k/10k/100k memory regions
// spread over a root and 8 cells — overlap and conflict detection must scale as n log n;
// (2) wall time of `jhcell check` (bundled CLI, Node start-up included) on a folder of ~120
// configs: the upstream tree when JAILHOUSE_SRC or /work/jh is present, else a generated one.
// Run alone: `node --import tsx bench/checks.ts`, or through `npm run bench` (exports run()).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Analysis } from '../server/src/core/analysis';
import type { CellDesc, ConfigModel, MemoryRegion } from '../server/src/core/model';
import { checkSystem } from '../server/src/rules';
import type { System } from '../server/src/rules';
import { loadSystems } from '../server/src/workspace';
import { formatTable, median, type BenchTable } from './run';

const RWX = 0x7n;

function cellDesc(name: string, n: number): CellDesc {
  const z = 0n;
  return {
    $fieldLoc: {}, $index: -1, signature: 'JHCLL', architecture: 2n, revision: 14n, name, id: z, flags: z, cpu_set_size: 8n,
    num_memory_regions: BigInt(n), num_cache_regions: z, num_irqchips: z, num_pio_regions: z, num_pci_devices: z, num_pci_caps: z,
    num_stream_ids: z, vpci_irq_base: z, cpu_reset_address: z, msg_reply_timeout: z,
    console: { $fieldLoc: {}, $index: -1, address: z, size: z, type: z, flags: z, divider: z, gate_nr: z, clock_reg: z },
  };
}

function model(file: string, name: string, cpus: bigint, regions: MemoryRegion[], system: boolean): ConfigModel {
  const cell = cellDesc(name, regions.length);
  const m: ConfigModel = {
    file, kind: system ? 'system' : 'cell', arch: 'arm64', cell, header: cell, cpus: [cpus], cpusLoc: [undefined],
    mem_regions: regions, cache_regions: [], irqchips: [], pio_regions: [], pci_devices: [], pci_caps: [], stream_ids: [],
    members: [
      { name: 'cpus', role: 'cpus', type: { kind: 'int', int: 'u64' }, length: 1, loc: { file, start: 0, end: 0 }, initialized: 1 },
      { name: 'mem_regions', role: 'mem_regions', type: { kind: 'struct', name: 'jailhouse_memory' }, length: regions.length, loc: { file, start: 0, end: 0 }, initialized: regions.length },
    ],
    value: { kind: 'agg', type: { kind: 'struct', name: 'x' }, items: [] },
  };
  if (system) {
    const node = { $fieldLoc: {}, $index: -1 };
    m.system = {
      ...node, signature: 'JHSYS', architecture: 2n, revision: 14n, flags: 0n,
      hypervisor_memory: { ...node, phys_start: 0x7fc00000n, virt_start: 0n, size: 0x400000n, flags: 0n },
      debug_console: cell.console,
      platform_info: {
        ...node, pci_mmconfig_base: 0x7f000000n, pci_mmconfig_end_bus: 0n, pci_is_virtual: 1n, pci_domain: 0n, iommu_units: [],
        x86: { ...node, pm_timer_address: 0n, apic_mode: 0n, padding: 0n, vtd_interrupt_limit: 0n, tsc_khz: 0n, apic_khz: 0n },
        arm: { ...node, maintenance_irq: 25n, gic_version: 3n, padding: [], gicd_base: 0x08000000n, gicc_base: 0n, gich_base: 0n, gicv_base: 0n, gicr_base: 0x080a0000n },
      },
      root_cell: cell,
    };
    m.header = m.system;
  }
  return m;
}

/** A root and 8 cells with `total` regions; about 1 in 1000 regions overlaps a neighbour. */
export function generatedSystem(total: number): System {
  const per = Math.floor(total / 9);
  let seed = total;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const analyses: Analysis[] = [];
  for (let c = 0; c < 9; c++) {
    const file = `/bench/cell-${c}.c`;
    const regions: MemoryRegion[] = [];
    for (let i = 0; i < per; i++) {
      // Each cell owns its own 16 GiB window; a rare region strays into the next cell's window.
      const stray = rnd() < 0.001;
      const base = BigInt(((c + (stray ? 1 : 0)) % 9) + 1) << 34n;
      const at = base + BigInt(i) * 0x10000n + (stray ? 0x4000n : 0n);
      regions.push({ $fieldLoc: {}, $index: i, $loc: { file, start: i, end: i + 1 }, phys_start: at, virt_start: at, size: 0x8000n, flags: RWX });
    }
    analyses.push({ file, model: model(file, `cell-${c}`, c === 0 ? 0x1ffn : 1n << BigInt(c), regions, c === 0), diagnostics: [], files: new Map([[file, { path: file, text: '' }]]), macros: new Map(), macroUses: [], includes: [] });
  }
  return { root: analyses[0], cells: analyses.slice(1) };
}

export interface ChecksBenchRow {
  what: string;
  ms: number;
  findings?: number;
}

export function benchCheckSystem(sizes = [1_000, 10_000, 100_000]): ChecksBenchRow[] {
  const rows: ChecksBenchRow[] = [];
  for (const n of sizes) {
    const sys = generatedSystem(n);
    const times: number[] = [];
    let findings = 0;
    for (let i = 0; i < (n >= 100_000 ? 3 : 5); i++) {
      const t = performance.now();
      const out = checkSystem(sys);
      times.push(performance.now() - t);
      findings = [...out.values()].reduce((a, l) => a + l.length, 0);
    }
    rows.push({ what: `checkSystem, ${n.toLocaleString('en')} regions / 9 cells`, ms: median(times), findings });
  }
  return rows;
}

function upstreamConfigs(): string | undefined {
  for (const d of [process.env.JAILHOUSE_SRC, '/work/jh'].filter(Boolean) as string[]) if (fs.existsSync(path.join(d, 'configs'))) return path.join(d, 'configs');
  return undefined;
}

/** ~120 generated configs: 40 systems with 2 cells each, in one folder. */
function generatedFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhcell-bench-'));
  const fx = path.resolve(__dirname, '../test/fixtures/rules/clean-arm64');
  const files = ['nimbus.c', 'nimbus-rtos.c', 'nimbus-linux.c'].map((f) => fs.readFileSync(path.join(fx, f), 'utf8'));
  for (let i = 0; i < 40; i++) {
    fs.writeFileSync(path.join(dir, `board${i}.c`), files[0]);
    fs.writeFileSync(path.join(dir, `board${i}-rtos.c`), files[1]);
    fs.writeFileSync(path.join(dir, `board${i}-linux.c`), files[2]);
  }
  return dir;
}

export function benchCli(): ChecksBenchRow[] {
  const cli = path.resolve(__dirname, '../dist/cli.js');
  if (!fs.existsSync(cli)) return [{ what: 'jhcell check (dist/cli.js missing: run npm run build)', ms: NaN }];
  const up = upstreamConfigs();
  const dir = up ?? generatedFolder();
  const count = (d: string): number => fs.readdirSync(d, { withFileTypes: true }).reduce((a, e) => a + (e.isDirectory() ? count(path.join(d, e.name)) : e.name.endsWith('.c') ? 1 : 0), 0);
  const n = count(dir);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [cli, 'check', '--no-declaration', dir], { stdio: 'ignore' });
    times.push(performance.now() - t);
  }
  const t = performance.now();
  for (let i = 0; i < 3; i++) spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const node = (performance.now() - t) / 3;
  // Where the time goes, in this process (CPU time, so other load on the machine counts less).
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  let c0 = cpu();
  const loaded = loadSystems([dir], { declaration: false });
  const analyseMs = cpu() - c0;
  c0 = cpu();
  for (const sys of loaded.systems) checkSystem(sys);
  const checkMs = cpu() - c0;
  if (!up) fs.rmSync(dir, { recursive: true, force: true });
  return [
    { what: `jhcell check, ${n} configs (${up ? 'upstream configs/' : 'generated'}), wall incl. Node start-up`, ms: median(times) },
    { what: 'bare `node -e 0` start-up, for reference', ms: node },
    { what: `in-process CPU: find + analyse the ${n} files (engine)`, ms: analyseMs },
    { what: `in-process CPU: checkSystem on its ${loaded.systems.length} systems (rules)`, ms: checkMs },
  ];
}

export function run(): BenchTable[] {
  const checks = benchCheckSystem();
  const cli = benchCli();
  const fmt = (ms: number) => (Number.isNaN(ms) ? 'not run' : `${ms.toFixed(1)} ms`);
  return [
    {
      title: 'checks: checkSystem on generated systems (root + 8 cells)',
      rows: checks.map((r) => {
        const big = r.what.includes('100,000');
        return { name: r.what, target: big ? '≤ 1000 ms' : '', result: `${fmt(r.ms)}, ${r.findings} findings`, ok: big ? r.ms <= 1000 : undefined };
      }),
      notes: ['median of 3-5 runs; about 1 region in 1000 strays into another cell\'s range'],
    },
    {
      title: 'checks: jhcell check on a folder (Node start-up included)',
      rows: cli.map((r, i) => ({ name: r.what, target: i === 0 ? '≤ 300 ms' : '', result: fmt(r.ms), ok: i === 0 && !Number.isNaN(r.ms) ? r.ms <= 300 : undefined })),
      notes: ['median of 5 runs of dist/cli.js; includes analysing every file'],
    },
  ];
}

if (require.main === module) {
  for (const t of run()) process.stdout.write(formatTable(t) + '\n\n');
}
