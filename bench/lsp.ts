// Language-server latency over real JSON-RPC (the bundled dist/server.js over stdio):
// didChange → publishDiagnostics for single-character edits in the largest configs of a
// ~120-file folder, hover and completion latency, and the server's memory with the whole
// folder open. Inputs are generated here (invented boards: a root and two cells each).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { positionOf, startServer, uriOf, type Server } from '../test/lsp/harness';
import { prng } from '../test/support/prng';
import type { BenchTable } from './run';

const SYSTEMS = 40;
const EDITS_PER_FILE = Number(process.env.JH_BENCH_EDITS ?? 150);
const QUERIES = 300;

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

function region(name: string, phys: number, virt: number, size: number, flags: string): string {
  return `\t\t/* ${name} */ {\n\t\t\t.phys_start = ${hex(phys)},\n\t\t\t.virt_start = ${hex(virt)},\n\t\t\t.size = ${hex(size)},\n\t\t\t.flags = ${flags},\n\t\t},\n`;
}

const IO = 'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |\n\t\t\t\tJAILHOUSE_MEM_IO';
const RAM = 'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |\n\t\t\t\tJAILHOUSE_MEM_EXECUTE';

function rootConfig(i: number, devices: number): string {
  let regions = '';
  for (let d = 0; d < devices; d++) regions += region(`device ${d}`, 0x10000000 + d * 0x10000, 0x10000000 + d * 0x10000, 0x1000, IO);
  regions += region('RAM', 0x40000000, 0x40000000, 0x3f000000, RAM);
  regions += region('cell RAM', 0x80000000, 0x80000000, 0x02000000, `${RAM} | JAILHOUSE_MEM_DMA`);
  return `/* Generated board ${i}: system configuration. */
#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
\tstruct jailhouse_system header;
\t__u64 cpus[1];
\tstruct jailhouse_memory mem_regions[${devices + 2}];
\tstruct jailhouse_irqchip irqchips[1];
} __attribute__((packed)) config = {
\t.header = {
\t\t.signature = JAILHOUSE_SYSTEM_SIGNATURE,
\t\t.revision = JAILHOUSE_CONFIG_REVISION,
\t\t.architecture = JAILHOUSE_ARM64,
\t\t.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,
\t\t.hypervisor_memory = { .phys_start = 0x7fc00000, .size = 0x00400000 },
\t\t.debug_console = {
\t\t\t.address = 0x10000000,
\t\t\t.size = 0x1000,
\t\t\t.type = JAILHOUSE_CON_TYPE_PL011,
\t\t\t.flags = JAILHOUSE_CON_ACCESS_MMIO | JAILHOUSE_CON_REGDIST_4,
\t\t},
\t\t.platform_info = {
\t\t\t.arm = { .gic_version = 3, .gicd_base = 0x08000000, .gicr_base = 0x080a0000, .maintenance_irq = 25 },
\t\t},
\t\t.root_cell = {
\t\t\t.name = "board-${i}",
\t\t\t.cpu_set_size = sizeof(config.cpus),
\t\t\t.num_memory_regions = ARRAY_SIZE(config.mem_regions),
\t\t\t.num_irqchips = ARRAY_SIZE(config.irqchips),
\t\t},
\t},
\t.cpus = { 0xf },
\t.mem_regions = {
${regions}\t},
\t.irqchips = {
\t\t/* GIC */ {
\t\t\t.address = 0x08000000,
\t\t\t.pin_base = 32,
\t\t\t.pin_bitmap = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
\t\t},
\t},
};
`;
}

function cellConfig(i: number, name: string, cpu: number, ramBase: number, devices: number): string {
  let regions = '';
  for (let d = 0; d < devices; d++) regions += region(`device ${d}`, 0x10000000 + d * 0x10000, 0x10000000 + d * 0x10000, 0x1000, `${IO} | JAILHOUSE_MEM_ROOTSHARED`);
  regions += region('RAM', ramBase, 0, 0x00800000, `${RAM} | JAILHOUSE_MEM_LOADABLE`);
  return `/* Generated board ${i}: cell ${name}. */
#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
\tstruct jailhouse_cell_desc cell;
\t__u64 cpus[1];
\tstruct jailhouse_memory mem_regions[${devices + 2}];
} __attribute__((packed)) config = {
\t.cell = {
\t\t.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
\t\t.revision = JAILHOUSE_CONFIG_REVISION,
\t\t.architecture = JAILHOUSE_ARM64,
\t\t.name = "${name}",
\t\t.flags = JAILHOUSE_CELL_PASSIVE_COMMREG,
\t\t.cpu_set_size = sizeof(config.cpus),
\t\t.num_memory_regions = ARRAY_SIZE(config.mem_regions),
\t},
\t.cpus = { ${hex(1 << cpu)} },
\t.mem_regions = {
${regions}\t\t/* communication region */ {
\t\t\t.virt_start = 0x80000000,
\t\t\t.size = 0x00001000,
\t\t\t.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_COMM_REGION,
\t\t},
\t},
};
`;
}

/** 40 systems of 3 files; device counts spread so sizes range from ~60 to ~900 lines. */
export function generateFolder(dir: string): string[] {
  const rnd = prng(11);
  const files: string[] = [];
  for (let i = 0; i < SYSTEMS; i++) {
    const u = rnd();
    const devices = u < 0.1 ? 2 + Math.floor(rnd() * 4) : u < 0.85 ? 10 + Math.floor(rnd() * 25) : 40 + Math.floor(rnd() * 80);
    const put = (name: string, text: string) => {
      const f = join(dir, name);
      writeFileSync(f, text);
      files.push(f);
    };
    put(`board${i}.c`, rootConfig(i, devices));
    put(`board${i}-rtos.c`, cellConfig(i, `rtos-${i}`, 2, 0x80000000, Math.min(devices, 4)));
    put(`board${i}-linux.c`, cellConfig(i, `linux-${i}`, 3, 0x80800000, Math.min(devices, 8)));
  }
  return files;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function editStream(server: Server, file: string, text: string, startVersion: number): Promise<number[]> {
  const uri = uriOf(file);
  // Type into the root cell's name and take it back again: single-character edits that keep
  // the file valid, so every publish runs the full rule set.
  const at = positionOf(text, '.name = "', 10);
  const times: number[] = [];
  let version = startVersion;
  for (let i = 0; i < EDITS_PER_FILE; i++) {
    const insert = i % 2 === 0;
    version++;
    const v = version;
    const done = server.nextDiagnostics(uri, (p) => p.version === v);
    const t0 = process.hrtime.bigint();
    await server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [insert ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }],
    });
    await done;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

async function requestTimes(server: Server, method: string, params: () => object): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const p = params();
    const t0 = process.hrtime.bigint();
    await server.conn.sendRequest(method, p);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

export async function run(): Promise<BenchTable[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jh-bench-lsp-'));
  const files = generateFolder(dir);
  const server = await startServer({ rootDir: dir });
  try {
    const largest = [...files].sort((a, b) => statSync(b).size - statSync(a).size).slice(0, 3);
    const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
    // The whole folder open, as a user with the configs open in tabs (or after Check Workspace).
    for (const f of files) {
      const opened = server.nextDiagnostics(uriOf(f));
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(f), languageId: 'c', version: 1, text: texts.get(f) } });
      await opened;
    }
    const check = (await server.conn.sendRequest('jailhouse/checkWorkspace', {})) as { files: number; systems: number };
    await new Promise((r) => setTimeout(r, 300));
    const rssOpen = rssMb(server.proc.pid!);
    const statsOpen = (await server.conn.sendRequest('jailhouse/serverStats', {})) as { heapUsed: number };
    const diag: number[] = [];
    for (const f of largest) diag.push(...(await editStream(server, f, texts.get(f)!, 1)));

    const f0 = largest[0];
    const t0 = texts.get(f0)!;
    const rnd = prng(3);
    const sizes = [...t0.matchAll(/\.size = (0x[0-9a-f]+)/g)].map((m) => m.index! + 10);
    const flags = [...t0.matchAll(/\.flags = JAILHOUSE_MEM_READ/g)].map((m) => m.index! + 9);
    const lineCol = (off: number) => {
      const before = t0.slice(0, off);
      return { line: before.split('\n').length - 1, character: off - before.lastIndexOf('\n') - 1 };
    };
    // The edit stream left the text as it was opened (an even number of edits).
    const hover = await requestTimes(server, 'textDocument/hover', () => ({ textDocument: { uri: uriOf(f0) }, position: lineCol(sizes[Math.floor(rnd() * sizes.length)]) }));
    const completion = await requestTimes(server, 'textDocument/completion', () => ({ textDocument: { uri: uriOf(f0) }, position: lineCol(flags[Math.floor(rnd() * flags.length)]) }));

    const rssEnd = rssMb(server.proc.pid!);
    const statsEnd = (await server.conn.sendRequest('jailhouse/serverStats', {})) as { heapUsed: number };
    const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
    const lines = t0.split('\n').length;
    return [
      {
        title: 'language server (bundled, JSON-RPC over stdio)',
        rows: [
          { name: 'didChange → publishDiagnostics p50', target: '≤ 3 ms', result: ms(pct(diag, 50)), ok: pct(diag, 50) <= 3 },
          { name: 'didChange → publishDiagnostics p95', target: '≤ 10 ms', result: ms(pct(diag, 95)), ok: pct(diag, 95) <= 10 },
          { name: 'didChange → publishDiagnostics p99', target: '', result: ms(pct(diag, 99)) },
          { name: 'hover p50 / p95', target: 'p95 ≤ 5 ms', result: `${ms(pct(hover, 50))} / ${ms(pct(hover, 95))}`, ok: pct(hover, 95) <= 5 },
          { name: 'completion p50 / p95', target: 'p95 ≤ 5 ms', result: `${ms(pct(completion, 50))} / ${ms(pct(completion, 95))}`, ok: pct(completion, 95) <= 5 },
          { name: 'server RSS, whole folder open and checked', target: '≤ 100 MB', result: `${rssOpen.toFixed(1)} MB (JS heap ${mb(statsOpen.heapUsed)})`, ok: rssOpen <= 100 },
          { name: 'server RSS after the edits and requests', target: '', result: `${rssEnd.toFixed(1)} MB (JS heap ${mb(statsEnd.heapUsed)})` },
        ],
        notes: [
          `${files.length} generated configs (${check.systems} systems); all open; edits: ${diag.length} in the 3 largest (${lines} lines max), each re-checking its whole system`,
          `hover/completion: ${QUERIES} requests each on the largest file`,
        ],
      },
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
