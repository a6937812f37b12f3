// What the root generator's tests share: a generated root written to disk and read back by the
// engine, and the facts a board and its generated root must agree on.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFile } from '../../../server/src/engine/analyze';
import type { Analysis } from '../../../server/src/core/analysis';
import { MEM } from '../../../server/src/core/flags';
import type { MemoryRegion } from '../../../server/src/core/model';
import type { Board } from '../../../server/src/boards/types';
import { mappedDevices } from '../../../server/src/generate/ioRegions';
import type { GeneratedConfig } from '../../../server/src/generate/types';
import { bitIds } from '../../../server/src/util/format';

export interface Written {
  file: string;
  analysis: Analysis;
}

export function writeAndAnalyse(g: GeneratedConfig, dir = mkdtempSync(join(tmpdir(), 'jhcell-newsys-'))): Written {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, g.fileName);
  writeFileSync(file, g.text);
  return { file, analysis: analyzeFile(file) };
}

const end = (r: { phys_start: bigint; size: bigint }) => r.phys_start + r.size;
const PAGE = 0x1000n;

/** Problems between a board and the root generated from it; [] when they agree. */
export function boardAgreement(board: Board, g: GeneratedConfig, analysis: Analysis): string[] {
  const m = analysis.model;
  if (!m?.system) return ['no system config read back'];
  const out: string[] = [];
  const regions = m.mem_regions.filter((r) => r.size > 0n);
  const io = regions.filter((r) => (r.flags & MEM.IO) !== 0n);
  for (const d of mappedDevices(board)) {
    for (const w of d.reg.filter((x) => x.space !== 'pio')) {
      const start = w.base - (w.base % PAGE);
      const stop = w.base + w.size;
      const holders = io.filter((r) => r.phys_start <= start && stop <= end(r));
      if (holders.length === 1) continue;
      if (g.notes.some((n) => n.startsWith(`${d.name} (`) && / mapped: it overlaps /.test(n))) continue;
      out.push(`${d.name} window 0x${w.base.toString(16)} covered by ${holders.length} regions`);
    }
  }
  const pi = m.system.platform_info.arm;
  const ic = board.interruptController;
  if (ic?.type !== 'gic') out.push('board has no GIC');
  else {
    if (pi.gic_version !== BigInt(ic.version)) out.push(`gic_version ${pi.gic_version}`);
    if (pi.gicd_base !== ic.gicd) out.push('gicd_base');
    for (const k of ['gicc', 'gich', 'gicv', 'gicr'] as const) if (ic[k] !== undefined && pi[`${k}_base`] !== ic[k]) out.push(`${k}_base`);
  }
  const cpus = bitIds(m.cpus).length;
  if (cpus !== board.cpus.count) out.push(`${cpus} CPUs, board ${board.cpus.count}`);
  const hv = m.system.hypervisor_memory;
  const hvEnd = hv.phys_start + hv.size;
  for (const r of regions) if (r.phys_start < hvEnd && hv.phys_start < end(r)) out.push(`region ${r.$index} overlaps the hypervisor`);
  // The contract with `jhcell new cell`: one region for the cells' RAM, named so, R/W/X/DMA.
  const cells = regions.filter((r) => /\bcells\b/.test(r.$name ?? ''));
  const rwxd = MEM.READ | MEM.WRITE | MEM.EXECUTE | MEM.DMA;
  if (cells.length !== 1 || cells[0].flags !== rwxd) out.push(`cells' RAM: ${cells.length} regions named "cells"${cells[0] ? `, flags 0x${cells[0].flags.toString(16)}` : ''}`);
  const ram = regions.filter((r) => (r.flags & (MEM.IO | MEM.ROOTSHARED)) === 0n && r !== cells[0]);
  for (const d of m.pci_devices) {
    const shm = m.mem_regions.slice(Number(d.shmem_regions_start), Number(d.shmem_regions_start) + 4).filter((r) => r.size > 0n);
    if (d.type !== 3n || d.shmem_peers !== 2n || d.shmem_dev_id !== 0n || d.shmem_protocol !== 1n) out.push(`pci device ${d.$index} is not an ivshmem-net link end`);
    for (const r of shm) {
      const hit = [...ram, ...cells].find((x) => r.phys_start < end(x) && x.phys_start < end(r as MemoryRegion));
      if (hit) out.push(`ivshmem region ${r.$index} overlaps region ${hit.$index}`);
    }
  }
  return out;
}
