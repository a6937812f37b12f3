// Finding a cell's root by content when file names and folders do not decide (several system
// configs in one folder, as upstream configs/x86). A cell is written for one board: its irqchip
// is that board's GIC distributor or IOAPIC, its memory and devices lie inside what the root
// cell owns, its CPUs are the root's, its ivshmem devices pair with the root's.
//
// Each such category the cell uses scores 2r − 1 for the share r of its entries the candidate
// root covers (+1 all, −1 none); RAM weighs double. A candidate of another architecture is excluded. The best
// candidate is taken when its score is positive and it leads every other by at least
// CLEAR_MARGIN (half a category); otherwise the cell stays without a root and says so.
import * as path from 'node:path';
import type { ConfigModel, MemoryRegion } from '../core/model';
import type { Grouping } from './system';
import { MEM, PCI_TYPE } from '../core/flags';
import { bdfText, bitIds, hex, rangeList as cpuList } from '../util/format';
import type { System } from './system';

/** How far the best candidate must lead the next one (score points; one category spans 2). */
export const CLEAR_MARGIN = 1;

export interface RootScore {
  root: string;
  score: number;
  /** What matched, for the user (`irqchip 0xfec00000`). */
  evidence: string[];
  /** What did not match. */
  against: string[];
}

export interface Inference {
  /** The clearly best root, if any. */
  root?: string;
  evidence: string[];
  /** Every same-architecture candidate, best first. */
  scores: RootScore[];
  /** Candidates left out, with why (`other architecture`, `not readable`). */
  excluded: { root: string; why: string }[];
}

interface Interval {
  start: bigint;
  end: bigint;
}

/** Root memory as merged [start, end) intervals: adjacent regions count as one span. */
function coverage(root: ConfigModel): Interval[] {
  const spans = root.mem_regions
    .filter((r) => r.size > 0n && !(r.flags & MEM.COMM_REGION))
    .map((r) => ({ start: r.phys_start, end: r.phys_start + r.size }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Interval[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = s.end > last.end ? s.end : last.end;
    else out.push({ ...s });
  }
  return out;
}

const isRam = (r: MemoryRegion) => !(r.flags & MEM.IO) && !!(r.flags & (MEM.EXECUTE | MEM.LOADABLE));

const inside = (spans: Interval[], start: bigint, end: bigint) => spans.some((s) => s.start <= start && end <= s.end);

const pciKey = (d: { domain: bigint; bdf: bigint }) => `${d.domain}:${d.bdf}`;

/** How well `root` fits `cell`, or why it cannot be the cell's root at all. */
export function scoreRoot(cell: ConfigModel, root: ConfigModel, rootFile: string): RootScore | { excluded: string } {
  if (root.kind !== 'system') return { excluded: 'not a system configuration' };
  if (cell.arch && root.arch && cell.arch !== root.arch) return { excluded: `architecture ${root.arch}, the cell is ${cell.arch}` };
  const res: RootScore = { root: rootFile, score: 0, evidence: [], against: [] };
  const category = (hit: number, total: number, good: string, bad: string, weight = 1) => {
    if (!total) return;
    res.score += weight * ((2 * hit) / total - 1);
    if (hit) res.evidence.push(good);
    if (hit < total) res.against.push(bad);
  };

  const chips = new Set(root.irqchips.map((c) => c.address));
  const gicd = root.system?.platform_info.arm.gicd_base;
  if (root.arch !== 'x86' && gicd) chips.add(gicd);
  const cellChips = [...new Set(cell.irqchips.map((c) => c.address))];
  const chipHits = cellChips.filter((a) => chips.has(a));
  category(chipHits.length, cellChips.length, `irqchip ${chipHits.map((a) => hex(a, 8)).join(', ')}`, `irqchip ${cellChips.filter((a) => !chips.has(a)).map((a) => hex(a, 8)).join(', ')} not the root's`);

  // RAM (what the cell loads or runs from) and other windows count apart: RAM carved from the
  // root's RAM is the strongest sign of the board (it weighs double), while a device window the root does not list
  // may be the very mistake the checks should report.
  const spans = coverage(root);
  const regions = cell.mem_regions.filter((r) => r.size > 0n && !(r.flags & MEM.COMM_REGION));
  for (const [what, list] of [
    ['RAM', regions.filter(isRam)],
    ['other regions', regions.filter((r) => !isRam(r))],
  ] as const) {
    const hits = list.filter((r) => inside(spans, r.phys_start, r.phys_start + r.size)).length;
    category(hits, list.length, `${what} inside root regions (${hits}/${list.length})`, `${what} outside the root's (${list.length - hits}/${list.length})`, what === 'RAM' ? 2 : 1);
  }

  const rootCpus = new Set(bitIds(root.cpus));
  const cpus = bitIds(cell.cpus);
  const cpuHits = cpus.filter((c) => rootCpus.has(c));
  const cpusText = (ids: number[]) => `CPU${ids.length === 1 ? '' : 's'} ${cpuList(ids)}`;
  category(cpuHits.length, cpus.length, `${cpusText(cpuHits)} in the root`, `${cpusText(cpus.filter((c) => !rootCpus.has(c)))} not in the root`);

  const isShm = (t: bigint) => t === PCI_TYPE.IVSHMEM;
  const rootDevs = new Set(root.pci_devices.filter((d) => !isShm(d.type)).map(pciKey));
  const rootShm = new Set(root.pci_devices.filter((d) => isShm(d.type)).map(pciKey));
  const devs = cell.pci_devices.filter((d) => !isShm(d.type));
  const devHits = devs.filter((d) => rootDevs.has(pciKey(d)));
  category(devHits.length, devs.length, `PCI ${devHits.map((d) => bdfText(d.bdf)).join(', ')} in the root`, `PCI ${devs.filter((d) => !rootDevs.has(pciKey(d))).map((d) => bdfText(d.bdf)).join(', ')} not in the root`);
  const shm = cell.pci_devices.filter((d) => isShm(d.type));
  const shmHits = shm.filter((d) => rootShm.has(pciKey(d)));
  category(shmHits.length, shm.length, `ivshmem peer ${shmHits.map((d) => bdfText(d.bdf)).join(', ')}`, `ivshmem ${shm.filter((d) => !rootShm.has(pciKey(d))).map((d) => bdfText(d.bdf)).join(', ')} without a root peer`);
  return res;
}

/**
 * Scores every candidate root for `cell` and picks the clearly best one. Candidates without a
 * model (unreadable, not parsed) are excluded and listed.
 */
export function inferRoot(cell: ConfigModel, candidates: { file: string; model?: ConfigModel }[]): Inference {
  const scores: RootScore[] = [];
  const excluded: Inference['excluded'] = [];
  for (const c of candidates) {
    if (!c.model) {
      excluded.push({ root: c.file, why: 'could not be read' });
      continue;
    }
    const s = scoreRoot(cell, c.model, c.file);
    if ('excluded' in s) excluded.push({ root: c.file, why: s.excluded });
    else scores.push(s);
  }
  scores.sort((a, b) => b.score - a.score || a.root.localeCompare(b.root));
  const [best, next] = scores;
  const clear = !!best && best.score > 0 && (!next || best.score - next.score >= CLEAR_MARGIN);
  return clear ? { root: best.root, evidence: best.evidence, scores, excluded } : { evidence: [], scores, excluded };
}

/** Why `inferRoot` chose nothing, in words for the diagnostic. */
function undecided(inf: Inference, cellArch: string | undefined): string {
  const name = (f: string) => path.basename(f);
  const [best, next] = inf.scores;
  if (!best) {
    if (!inf.excluded.length) return 'no system configuration found next to it';
    return `no system configuration of its architecture${cellArch ? ` (${cellArch})` : ''} (${inf.excluded.map((e) => `${name(e.root)}: ${e.why}`).join('; ')})`;
  }
  if (best.score <= 0) return `no system configuration matches its content (${name(best.root)}: ${best.against.join(', ') || 'no evidence'})`;
  const close = inf.scores.filter((s) => best.score - s.score < CLEAR_MARGIN).map((s) => name(s.root));
  return `${close.join(' and ')} fit about equally well${next && best.evidence.length ? ` (${best.evidence.join(', ')})` : ''}`;
}

/**
 * Gives the cells the names left without a root (grouping reason `none`) the root their content
 * points to, among the roots of `groups`; the others keep reason `none` with the candidates and
 * why. Returns new groups; `groups` is left as it was (callers cache it).
 */
export function groupByContent(groups: System<string>[], modelOf: (file: string) => ConfigModel | undefined): System<string>[] {
  const lone = groups.filter((g) => !g.root && g.cells.length === 1 && g.grouping[g.cells[0]]?.reason === 'none');
  if (!lone.length) return groups;
  const roots = [...new Set(groups.map((g) => g.root).filter((r): r is string => !!r))];
  const candidates = roots.map((file) => ({ file, model: modelOf(file) }));
  const out = groups.map((g) => ({ ...g, cells: [...g.cells], grouping: { ...g.grouping } }));
  const byRoot = new Map(out.filter((g) => g.root).map((g) => [g.root!, g]));
  const drop = new Set<System<string>>();
  for (const g of out) {
    if (g.root || g.cells.length !== 1 || g.grouping[g.cells[0]]?.reason !== 'none') continue;
    const cell = g.cells[0];
    const model = modelOf(cell);
    let grouping: Grouping;
    if (!model) grouping = { reason: 'none', candidates: roots, why: roots.length ? 'its content could not be read' : 'no system configuration found next to it' };
    else {
      const inf = inferRoot(model, candidates);
      if (inf.root) {
        const home = byRoot.get(inf.root)!;
        home.cells.push(cell);
        home.grouping[cell] = { reason: 'content', evidence: inf.evidence };
        drop.add(g);
        continue;
      }
      grouping = { reason: 'none', candidates: inf.scores.map((s) => s.root), why: undecided(inf, model.arch) };
    }
    g.grouping[cell] = grouping;
  }
  return out.filter((g) => !drop.has(g));
}
