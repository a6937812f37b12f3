// Per-region rules (docs/format.md §5.4): alignment, subpage-width, comm-region, memory-loadable,
// memory-root-virt, memory-write-only.
import { alignmentFix, commSizeFix, loadableFix, rootVirtFix, subpageWidthFix } from './fixes/regions';
import { has, isComm, isSubpage, MEM, PAGE } from '../core/flags';
import { cellLabel, hex, humanSize, regionLabel, span } from './format';
import { nodeLoc } from './locate';
import { union } from '../util/spans';
import type { Diag, Rule } from './types';

/** [start, end) lies inside the union of the sorted, merged ranges. */
function covered(ranges: { start: bigint; end: bigint }[], start: bigint, end: bigint): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ranges[mid].start <= start) lo = mid;
    else hi = mid - 1;
  }
  const r = ranges[lo];
  return !!r && r.start <= start && end <= r.end;
}

export const alignment: Rule = {
  id: 'alignment',
  defaultSeverity: 'error',
  docs: '#alignment',
  description: 'A page-mapped region with an unaligned phys_start maps the wrong bytes; RAM that is not page aligned is trapped instead of mapped.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const r of c.model.mem_regions) {
        if (r.size === 0n || isComm(r)) continue;
        if (!isSubpage(r)) {
          if (r.phys_start % PAGE !== 0n) {
            out.push({
              code: 'alignment',
              severity: 'error',
              message: `${regionLabel(r)} is page-mapped but phys_start ${hex(r.phys_start)} is not page aligned: the hypervisor rounds it down to ${hex(r.phys_start - (r.phys_start % PAGE))} and maps the wrong bytes`,
              loc: nodeLoc(c, r, 'phys_start', 'mem_regions'),
              data: { file: c.file, index: r.$index },
            });
          }
        } else if (!has(r.flags, MEM.IO)) {
          // Not flagged as device memory, yet sub-page: most likely RAM with a typo.
          out.push({
            code: 'alignment',
            severity: 'warning',
            message: `${regionLabel(r)} (virt ${hex(r.virt_start)}, size ${humanSize(r.size)}) is not page aligned, so every access traps into the hypervisor; without JAILHOUSE_MEM_IO this looks like RAM — round it to 4 KiB pages`,
            loc: nodeLoc(c, r, r.size % PAGE !== 0n ? 'size' : 'virt_start', 'mem_regions'),
            data: { file: c.file, index: r.$index },
          });
        }
      }
      const hv = c.model.system?.hypervisor_memory;
      if (hv && hv.phys_start % PAGE !== 0n) {
        out.push({ code: 'alignment', severity: 'error', message: `hypervisor_memory.phys_start ${hex(hv.phys_start)} is not page aligned`, loc: nodeLoc(c, hv, 'phys_start') });
      }
    }
    return out;
  },
  fixes: alignmentFix,
};

export const subpageWidth: Rule = {
  id: 'subpage-width',
  defaultSeverity: 'error',
  docs: '#subpage-width',
  description: 'A sub-page (trapped) region without any JAILHOUSE_MEM_IO_8/16/32/64 flag can never be accessed.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const r of c.model.mem_regions) {
        if (r.size === 0n || isComm(r) || !isSubpage(r) || has(r.flags, MEM.IO_WIDTHS) || !has(r.flags, MEM.IO)) continue;
        out.push({
          code: 'subpage-width',
          severity: 'error',
          message: `${regionLabel(r)} is sub-page (virt ${hex(r.virt_start)}, size ${hex(r.size, 1)}), so accesses are emulated, but it allows no access width (JAILHOUSE_MEM_IO_8/16/32/64): every access is fatal for the cell`,
          loc: nodeLoc(c, r, 'flags', 'mem_regions'),
          data: { file: c.file, index: r.$index },
        });
      }
    }
    return out;
  },
  fixes: subpageWidthFix,
};

export const commRegion: Rule = {
  id: 'comm-region',
  defaultSeverity: 'error',
  docs: '#comm-region',
  description: 'A COMM_REGION must be exactly 4 KiB, and a cell has at most one.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const comms = c.model.mem_regions.filter((r) => r.size !== 0n && isComm(r));
      for (const r of comms) {
        if (r.size !== PAGE) {
          out.push({
            code: 'comm-region',
            severity: 'error',
            message: `${regionLabel(r)} is the communication region but has size ${hex(r.size, 1)} (${humanSize(r.size)}); it must be 0x1000 — a larger size exposes hypervisor memory next to the page`,
            loc: nodeLoc(c, r, 'size', 'mem_regions'),
            data: { file: c.file, index: r.$index },
          });
        }
      }
      for (const r of comms.slice(1)) {
        out.push({
          code: 'comm-region',
          severity: 'warning',
          message: `${cellLabel(c)} has more than one communication region; only one page exists`,
          loc: nodeLoc(c, r, 'flags', 'mem_regions'),
          related: [{ loc: nodeLoc(c, comms[0], 'flags', 'mem_regions'), message: `first communication region ${regionLabel(comms[0])}` }],
        });
      }
    }
    return out;
  },
  fixes: commSizeFix,
};

export const memoryLoadable: Rule = {
  id: 'memory-loadable',
  defaultSeverity: 'warning',
  docs: '#memory-loadable',
  description: 'A LOADABLE region must be writable and lie in root-cell memory, or cell load cannot write it.',
  check(ctx) {
    const out: Diag[] = [];
    const rootRam = ctx.root ? union(ctx.root.model.mem_regions.filter((r) => r.size > 0n && !isComm(r)).map((r) => ({ start: r.phys_start, end: r.phys_start + r.size }))) : undefined;
    for (const c of ctx.cells) {
      for (const r of c.model.mem_regions) {
        if (r.size === 0n || !has(r.flags, MEM.LOADABLE)) continue;
        if (!has(r.flags, MEM.WRITE)) {
          out.push({ code: 'memory-loadable', severity: 'warning', message: `${regionLabel(r)} is JAILHOUSE_MEM_LOADABLE but not writable; jailhouse cell load into it fails`, loc: nodeLoc(c, r, 'flags', 'mem_regions'), data: { file: c.file, index: r.$index } });
        } else if (rootRam && !covered(rootRam, r.phys_start, r.phys_start + r.size)) {
          out.push({
            code: 'memory-loadable',
            severity: 'warning',
            message: `${regionLabel(r)} ${span(r.phys_start, r.size)} is JAILHOUSE_MEM_LOADABLE but not (entirely) memory of the root cell: jailhouse cell load cannot write the parts the root does not own`,
            loc: nodeLoc(c, r, 'phys_start', 'mem_regions'),
          });
        }
      }
    }
    return out;
  },
  fixes: loadableFix,
};

export const memoryRootVirt: Rule = {
  id: 'memory-root-virt',
  defaultSeverity: 'warning',
  docs: '#memory-root-virt',
  description: 'Root-cell regions are mapped 1:1; virt_start must equal phys_start.',
  check(ctx) {
    const root = ctx.root;
    if (!root) return [];
    return root.model.mem_regions
      .filter((r) => r.size !== 0n && !isComm(r) && r.virt_start !== r.phys_start)
      .map((r) => ({
        code: 'memory-root-virt',
        severity: 'warning' as const,
        message: `${regionLabel(r)} of the root cell has virt_start ${hex(r.virt_start)} ≠ phys_start ${hex(r.phys_start)}; the hypervisor assumes the root is mapped 1:1`,
        loc: nodeLoc(root, r, 'virt_start', 'mem_regions'),
        data: { file: root.file, index: r.$index },
      }));
  },
  fixes: rootVirtFix,
};

export const memoryWriteOnly: Rule = {
  id: 'memory-write-only',
  defaultSeverity: 'warning',
  docs: '#memory-write-only',
  description: 'On Intel (EPT) a writable region that is not readable is an invalid mapping.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      if (c.model.arch !== 'x86') continue;
      for (const r of c.model.mem_regions) {
        if (r.size === 0n || isComm(r) || !has(r.flags, MEM.WRITE) || has(r.flags, MEM.READ)) continue;
        out.push({ code: 'memory-write-only', severity: 'warning', message: `${regionLabel(r)} is writable but not readable; Intel EPT cannot map write-only memory and accesses fault`, loc: nodeLoc(c, r, 'flags', 'mem_regions') });
      }
    }
    return out;
  },
};

