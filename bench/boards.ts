// Board benchmarks: device-tree import of the condensed fixtures (and of a real kernel tree
// when BOARDS_DTS_DIR points at a devicetree-rebasing checkout), and board-fed completion /
// hover / diagnostics on a small system, per call. `npm run bench -- boards`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { importDtsFile } from '../server/src/boards/dts/import';
import { boardCompletions } from '../server/src/features/boards/complete';
import { boardDiagnostics } from '../server/src/rules/boards/diagnostics';
import { boardHover } from '../server/src/features/boards/hover';
import { bundledBoards } from '../server/src/boards/registry';
import { analyze } from '../server/src/engine/analyze';
import { Doc } from '../server/src/features/context';
import type { BenchTable } from './run';

const ROOT = join(__dirname, '..');
const FIX = join(ROOT, 'test/fixtures/boards');

function median(f: () => void, n: number): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(n / 2)];
}

const ms = (v: number) => `${v.toFixed(v < 1 ? 3 : 1)} ms`;

export function run(): BenchTable[] {
  const tables: BenchTable[] = [];
  const imports: BenchTable = { title: 'device-tree import (median of 5)', rows: [] };
  for (const b of bundledBoards()) {
    const f = join(FIX, b.id, 'board.dts');
    try {
      readFileSync(f);
    } catch {
      continue;
    }
    let devices = 0;
    const t = median(() => {
      devices = importDtsFile(f, { includeDirs: [join(FIX, 'include')] }).board?.devices.length ?? 0;
    }, 5);
    imports.rows.push({ name: `fixture ${b.id} (${devices} devices)`, target: '< 100 ms', result: ms(t), ok: t < 100 });
  }
  const real = process.env.BOARDS_DTS_DIR;
  if (real) {
    const trees = ['src/arm64/freescale/imx8mm-evk.dts', 'src/arm64/freescale/imx8mp-evk.dts', 'src/arm64/ti/k3-am625-sk.dts', 'src/arm64/xilinx/zynqmp-zcu102-rev1.0.dts', 'src/arm/broadcom/bcm2711-rpi-4-b.dts', 'src/arm/allwinner/sun8i-h2-plus-orangepi-zero.dts'];
    for (const t of trees) {
      let devices = 0;
      const v = median(() => {
        devices = importDtsFile(join(real, t), { includeDirs: [join(real, 'include'), join(real, 'src')] }).board?.devices.length ?? 0;
      }, 3);
      imports.rows.push({ name: `kernel ${t.split('/').pop()} (${devices} devices)`, target: '< 1 s', result: ms(v), ok: v < 1000 });
    }
  } else imports.notes = ['set BOARDS_DTS_DIR=<devicetree-rebasing checkout> to time the real kernel trees too'];
  tables.push(imports);
  if (real && process.env.BOARDS_DTS_ALL) tables.push(sweep(real));

  const cells = join(FIX, 'cells');
  const rootText = readFileSync(join(cells, 'mini-root.c'), 'utf8');
  const demoText = readFileSync(join(cells, 'mini-demo.c'), 'utf8');
  const root = analyze(join(cells, 'mini-root.c'), rootText);
  const cell = analyze(join(cells, 'mini-demo.c'), demoText);
  const system = { root, cells: [cell] };
  const doc = new Doc(cell, demoText);
  const feats: BenchTable = { title: 'board features per call (mini-demo.c, median of 50)', rows: [] };
  for (const id of ['imx8mp-evk', 'k3-am625-sk', 'qemu-arm64-virt']) {
    const board = bundledBoards().find((b) => b.id === id)!;
    const ctx = { board, system };
    const c = median(() => boardCompletions(doc, demoText.indexOf('/* communication region */'), ctx), 50);
    const h = median(() => boardHover(doc, demoText.indexOf('0x30a60000') + 3, ctx), 50);
    const d = median(() => boardDiagnostics(cell, ctx), 50);
    feats.rows.push({ name: `${id}: completion in mem_regions`, target: '< 20 ms', result: ms(c), ok: c < 20 });
    feats.rows.push({ name: `${id}: hover on an address`, target: '< 20 ms', result: ms(h), ok: h < 20 });
    feats.rows.push({ name: `${id}: diagnostics`, target: '< 20 ms', result: ms(d), ok: d < 20 });
  }
  tables.push(feats);
  return tables;
}

/** Every .dts of the kernel's arm and arm64 trees: errors and crashes (BOARDS_DTS_ALL=1). */
function sweep(real: string): BenchTable {
  const rows = [];
  for (const arch of ['arm64', 'arm']) {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (n.endsWith('.dts')) files.push(p);
      }
    };
    walk(join(real, 'src', arch));
    let errors = 0;
    let crashes = 0;
    let devices = 0;
    const t0 = performance.now();
    for (const f of files) {
      try {
        const r = importDtsFile(f, { includeDirs: [join(real, 'include'), join(real, 'src')] });
        if (r.diags.some((d) => d.severity === 'error')) errors++;
        devices += r.board?.devices.length ?? 0;
      } catch {
        crashes++;
      }
    }
    const ms = performance.now() - t0;
    rows.push({ name: `${arch}: ${files.length} trees, ${devices} devices`, target: '0 errors, 0 crashes', result: `${errors} errors, ${crashes} crashes, ${(ms / files.length).toFixed(1)} ms/tree`, ok: errors === 0 && crashes === 0 });
  }
  return { title: 'import of every kernel device tree', rows };
}
