// `npm run bench -- map`: memory-map model and renderers on generated systems (root + 8 cells),
// 1k to 100k regions, with some collisions, shared ivshmem sections and gaps.
import { buildMemoryMap } from '../server/src/map/model';
import { checkSystem } from '../server/src/rules';
import { renderSvg } from '../server/src/map/svg';
import { renderText } from '../server/src/map/text';
import type { Analysis } from '../server/src/core/analysis';
import type { ConfigModel, MemoryRegion } from '../server/src/core/model';
import type { BenchTable } from './run';

function region(file: string, i: number, phys: bigint, size: bigint, flags: bigint): MemoryRegion {
  return { phys_start: phys, virt_start: phys, size, flags, $name: `r${i}`, $loc: { file, start: i * 40, end: i * 40 + 30 }, $fieldLoc: {}, $index: i };
}

function model(file: string, kind: 'system' | 'cell', name: string, regions: MemoryRegion[], cpus: bigint): ConfigModel {
  const cell = { name, $fieldLoc: {}, $index: -1 };
  const system =
    kind === 'system'
      ? {
          hypervisor_memory: { phys_start: 0x7fc00000n, size: 0x400000n, virt_start: 0n, flags: 0n, $fieldLoc: {}, $index: -1 },
          debug_console: { type: 0n, flags: 0n, address: 0n, size: 0n, $fieldLoc: {}, $index: -1 },
          platform_info: { pci_mmconfig_base: 0n, pci_mmconfig_end_bus: 0n, iommu_units: [], arm: { gic_version: 3n, gicd_base: 0x2f000000n, gicr_base: 0x2f100000n, $fieldLoc: {} }, $fieldLoc: {} },
          $fieldLoc: {},
          $index: -1,
        }
      : undefined;
  return { file, kind, arch: 'arm64', system, cell, header: system ?? cell, cpus: [cpus], cpusLoc: [], mem_regions: regions, cache_regions: [], irqchips: [], pio_regions: [], pci_devices: [], pci_caps: [], stream_ids: [], members: [] } as unknown as ConfigModel;
}

const wrap = (m: ConfigModel): Analysis => ({ file: m.file, model: m, diagnostics: [], files: new Map(), macros: new Map(), macroUses: [], includes: [] });

function system(total: number): { root: Analysis; cells: Analysis[] } {
  const per = Math.floor(total / 9);
  const make = (c: number) => {
    const file = `/bench/c${c}.c`;
    const regions: MemoryRegion[] = [];
    for (let i = 0; i < per; i++) {
      // Spread over 2^40 with holes; every 97th region of a cell collides with the next cell's.
      const base = BigInt(c * per + i) * 0x200000n;
      const size = i % 97 === 0 ? 0x300000n : 0x1000n << BigInt(i % 9);
      regions.push(region(file, i, base, size, 0x3n | (i % 5 === 0 ? 0x80n : 0n)));
    }
    return regions;
  };
  return {
    root: wrap(model('/bench/root.c', 'system', 'bench', make(0), 0x1ffn)),
    cells: Array.from({ length: 8 }, (_, c) => wrap(model(`/bench/c${c + 1}.c`, 'cell', `cell${c + 1}`, make(c + 1), 1n << BigInt(c + 1)))),
  };
}

function time<T>(f: () => T, reps: number): { ms: number; value: T } {
  let value = f();
  const t = performance.now();
  for (let i = 0; i < reps; i++) value = f();
  return { ms: (performance.now() - t) / reps, value };
}


export function run(): BenchTable[] {
  const rows: BenchTable['rows'] = [];
  for (const n of [1000, 10000, 100000]) {
    const sys = system(n);
    const reps = n >= 100000 ? 1 : 3;
    // The map draws the checks' findings; the checks themselves are timed by `bench -- checks`.
    const diagnostics = [...checkSystem(sys).values()].flat();
    const m = time(() => buildMemoryMap(sys, { diagnostics }), reps);
    const svg = time(() => renderSvg(m.value), reps);
    const text = time(() => renderText(m.value), reps);
    rows.push({ name: `model, ${n.toLocaleString('en')} regions (${m.value.conflicts.length} conflicts, ${m.value.gaps.length} gaps)`, target: n === 100000 ? '≤ 1 s' : '', result: `${m.ms.toFixed(0)} ms`, ok: n === 100000 ? m.ms <= 1000 : undefined });
    rows.push({ name: `  SVG (${(svg.value.length / 1e6).toFixed(1)} MB${m.value.ranges.length > 20000 ? ', lowest 20,000 ranges drawn' : ''})`, result: `${svg.ms.toFixed(0)} ms` });
    rows.push({ name: '  text table', result: `${text.ms.toFixed(0)} ms` });
  }
  return [{ title: 'memory map', rows, notes: ['root + 8 cells, generated regions spread over 2^40 with collisions every 97th region'] }];
}
