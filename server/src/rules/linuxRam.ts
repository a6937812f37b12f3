// linux-ram: a cell booted with `jailhouse cell linux` needs a region the loader counts as RAM
// (tools/jailhouse-cell-linux via pyjailhouse MemoryRegion.is_ram(); docs/format.md §5.4.3).
import * as path from 'node:path';
import { has, isComm, MEM } from '../core/flags';
import type { MemoryRegion } from '../core/model';
import { linuxRamFix } from './fixes/linuxRam';
import { humanSize, regionLabel } from './format';
import { cellFieldLoc, nodeLoc } from './locate';
import type { CellRef, Diag, Rule } from './types';

/** The flags is_ram() looks at, and the value they must have among them. */
export const RAM_MASK = MEM.READ | MEM.WRITE | MEM.EXECUTE | MEM.DMA | MEM.IO | MEM.COMM_REGION | MEM.ROOTSHARED;
export const RAM_FLAGS = MEM.READ | MEM.WRITE | MEM.EXECUTE | MEM.DMA;
/**
 * A LOADABLE region larger than this holds a kernel. Not "at least": bare-metal inmates get up
 * to exactly 16 MiB (upstream jetson-tx2-inmate-demo), every upstream Linux demo more than 60 MiB.
 */
export const LINUX_LOADABLE_OVER = 16n << 20n;

export const isLinuxRam = (r: MemoryRegion): boolean => (r.flags & RAM_MASK) === RAM_FLAGS;

const LINUX_WORD = /(^|[-_.])linux([-_.]|$)/i;

/**
 * Why a cell is taken for a Linux cell, or undefined: the heuristic docs/rules.md states. `sure`
 * when a name says so; a large LOADABLE region alone is a guess.
 */
export function linuxReason(c: CellRef): { why: string; sure: boolean } | undefined {
  const base = path.basename(c.file).replace(/\.c$/i, '');
  if (LINUX_WORD.test(base)) return { why: `its file name "${path.basename(c.file)}" has the word "linux"`, sure: true };
  if (c.model.cell.name && LINUX_WORD.test(c.model.cell.name)) return { why: `its name "${c.model.cell.name}" has the word "linux"`, sure: true };
  const big = c.model.mem_regions.find((r) => has(r.flags, MEM.LOADABLE) && !isComm(r) && r.size > LINUX_LOADABLE_OVER);
  if (big) return { why: `${regionLabel(big)} is LOADABLE and ${humanSize(big.size)}, more than 16 MiB`, sure: false };
  return undefined;
}

const NAMES: [bigint, string][] = [
  [MEM.READ, 'READ'],
  [MEM.WRITE, 'WRITE'],
  [MEM.EXECUTE, 'EXECUTE'],
  [MEM.DMA, 'DMA'],
  [MEM.IO, 'IO'],
  [MEM.COMM_REGION, 'COMM_REGION'],
  [MEM.ROOTSHARED, 'ROOTSHARED'],
];

/** The is_ram() flags a region lacks and the ones it has too many. */
export function ramDelta(r: MemoryRegion): { missing: string[]; extra: string[] } {
  return {
    missing: NAMES.filter(([b]) => has(RAM_FLAGS, b) && !has(r.flags, b)).map(([, n]) => `JAILHOUSE_MEM_${n}`),
    extra: NAMES.filter(([b]) => !has(RAM_FLAGS, b) && b !== MEM.COMM_REGION && has(r.flags, b)).map(([, n]) => `JAILHOUSE_MEM_${n}`),
  };
}

/** The region meant as the guest's RAM: the largest LOADABLE one, else the largest writable non-I/O one. */
export function ramCandidate(c: CellRef): MemoryRegion | undefined {
  const regions = c.model.mem_regions.filter((r) => r.size > 0n && !isComm(r));
  const largest = (rs: MemoryRegion[]) => rs.reduce<MemoryRegion | undefined>((a, r) => (!a || r.size > a.size ? r : a), undefined);
  return largest(regions.filter((r) => has(r.flags, MEM.LOADABLE))) ?? largest(regions.filter((r) => has(r.flags, MEM.WRITE) && !has(r.flags, MEM.IO)));
}

export const linuxRam: Rule = {
  id: 'linux-ram',
  defaultSeverity: 'error',
  docs: '#linux-ram',
  description: 'A Linux cell (a "linux" file or cell name: an error; a LOADABLE region over 16 MiB alone: a warning) without a region flagged exactly READ|WRITE|EXECUTE|DMA: `jailhouse cell linux` finds no RAM and refuses.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      const linux = linuxReason(c);
      if (!linux || c.model.mem_regions.some(isLinuxRam)) continue;
      const r = ramCandidate(c);
      const delta = r ? ramDelta(r) : undefined;
      const what = r && delta ? ` ${regionLabel(r)} (${humanSize(r.size)}) looks meant as its RAM but ${[delta.missing.length ? `lacks ${delta.missing.join(', ')}` : '', delta.extra.length ? `has ${delta.extra.join(', ')}` : ''].filter(Boolean).join(' and ')}.` : '';
      out.push({
        code: 'linux-ram',
        severity: linux.sure ? 'error' : 'warning',
        message:
          `cell "${c.label}" is taken for a Linux cell (${linux.why}) but no region is RAM to \`jailhouse cell linux\`: the loader (tools/jailhouse-cell-linux, pyjailhouse is_ram()) takes only regions flagged READ, WRITE, EXECUTE and DMA without IO, COMM_REGION or ROOTSHARED, ` +
          (c.model.arch === 'x86' ? 'so the kernel finds every region reserved in its e820 map and no usable RAM to boot in.' : 'so it refuses ("No space found to load all images").') +
          what,
        loc: r ? nodeLoc(c, r, 'flags', 'mem_regions') : cellFieldLoc(c, 'num_memory_regions'),
        data: r ? { file: c.file, index: r.$index } : undefined,
      });
    }
    return out;
  },
  fixes: linuxRamFix,
};
