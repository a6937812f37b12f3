// Computes the memory map of a system (root + cells) from their models: physical ranges with
// owners, shared memory, platform windows, gaps, conflicts, and the CPU and interrupt grids.
// Conflict geometry is found here (drawing needs the colliding extents); which conflicts exist,
// their wording and their verdict come from the checks layer's diagnostics, paired with the
// geometry through their locations and `data` (never their text), so the map says exactly what
// the Problems view says.
import type { Diag } from '../core/diagnostics';
import type { ConfigModel, MemoryRegion } from '../core/model';
import { buildContext } from '../rules/context';
import { platformWindows } from '../rules/platformWindows';
import type { CpuData } from '../rules/cpuData';
import type { OverlapData } from '../rules/fixes/overlap';
import type { IrqData } from '../rules/irqchipData';
import type { CellRef, Pairing, System } from '../rules/types';
import { CONSTANTS_BY_NAME } from '../schema';
import type { Loc } from '../util/source';
import { positionAt } from '../util/source';
import { bitIds } from '../util/format';
import { hex } from './format';
import { assignRows, overlapsBetween, overlapsWithin, sortByStart } from './sweep';
import { union } from '../util/spans';
import type { CommRegion, CpuGrid, Gap, GridConflict, IrqColumn, IrqGrid, Lane, MapConflict, MapRange, MemoryMap, Place, SharedRange } from './types';
import { membersOf } from '../workspace/system';

const flag = (name: string): bigint => CONSTANTS_BY_NAME.get(name)?.value ?? 0n;
const MEM_IO = flag('JAILHOUSE_MEM_IO');
const MEM_COMM = flag('JAILHOUSE_MEM_COMM_REGION');
const MEM_ROOTSHARED = flag('JAILHOUSE_MEM_ROOTSHARED');
const PCI_IVSHMEM = flag('JAILHOUSE_PCI_TYPE_IVSHMEM');
const CON_MMIO = flag('JAILHOUSE_CON_ACCESS_MMIO');
const ADDR_LIMIT = 1n << 64n;
/** Beyond this many conflicts the picture is red anyway; keep the model bounded. */
export const MAX_CONFLICTS = 5000;

export interface MapOptions {
  /**
   * Diagnostics of the checks layer for this system (`checkSystem`): the conflicts are exactly
   * the overlap/CPU/IRQ diagnostics among them, placed on the map.
   */
  diagnostics: Diag[];
}

interface Owner {
  lane: Lane;
  model: ConfigModel;
  isRoot: boolean;
  ref: CellRef;
}

export function buildMemoryMap(system: System, options: MapOptions): MemoryMap {
  const notes: string[] = [];
  const ctx = buildContext(system);
  for (const a of membersOf(system)) if (!a.model) notes.push(`${a.file}: no configuration object found`);
  if (ctx.root && ctx.root.model.kind !== 'system') notes.push(`${ctx.root.file}: not a system configuration`);
  const owners: Owner[] = [];
  const root = ctx.root?.model.kind === 'system' ? ctx.root.model : undefined;
  if (ctx.root && root) owners.push({ lane: lane('root', 'root', `${ctx.root.label} (root)`, ctx.root.file), model: root, isRoot: true, ref: ctx.root });
  ctx.cells.forEach((c, i) => owners.push({ lane: lane(`cell${i}`, 'cell', c.label, c.file), model: c.model, isRoot: false, ref: c }));
  const pairing = (a: Owner, b: Owner): Pairing => ctx.pairing(a.ref, b.ref);
  const where = placer(system);

  const hvLane = lane('hv', 'hypervisor', 'hypervisor', root?.file);
  const pfLane = lane('platform', 'platform', 'platform', root?.file);
  const ranges: MapRange[] = [];
  const comm: CommRegion[] = [];
  if (root) platformRanges(root, hvLane, pfLane, ranges);
  for (const o of owners) memoryRanges(o, ranges, comm);

  const sorted = sortByStart(ranges);
  sorted.forEach((r, i) => (r.id = i));
  const lanes = [hvLane, pfLane, ...owners.map((o) => o.lane)].filter((l) => sorted.some((r) => r.lane === l.id) || l.kind === 'root' || l.kind === 'cell');
  for (const l of lanes) l.rows = assignRows(sorted.filter((r) => r.lane === l.id));

  const shared = sharedRanges(sorted);
  const ownerOf = new Map(owners.map((o) => [o.lane.id, o]));
  const found = collisions(sorted, ownerOf, pairing);
  const { conflicts, truncated } = settleConflicts(found, sorted, options.diagnostics, where);
  for (const c of conflicts) for (const id of c.ranges) sorted[id].conflicts.push(c.id);

  return {
    title: `Memory map of ${owners[0] ? owners[0].ref.label : 'an empty system'}`,
    arch: root?.arch ?? owners[0]?.model.arch,
    lanes,
    ranges: sorted,
    conflicts,
    conflictsTruncated: truncated,
    shared,
    comm,
    gaps: gapsOf(sorted),
    cpus: cpuGrid(owners, pairing, options.diagnostics, where),
    irqs: irqGrid(owners, root, pairing, options.diagnostics, where),
    notes,
  };
}

type Placer = (locs: (Loc | undefined)[]) => Place[];

/** Source lines of locations, from the texts the analyses read; each line once. */
function placer(system: System): Placer {
  const analyses = membersOf(system);
  return (locs) => {
    const out: Place[] = [];
    for (const loc of locs) {
      if (!loc) continue;
      const src = analyses.map((a) => a.files.get(loc.file)).find((f) => f);
      if (!src) continue;
      const line = positionAt(src, loc.start).line + 1;
      if (!out.some((p) => p.file === loc.file && p.line === line)) out.push({ file: loc.file, line });
    }
    return out;
  };
}

function lane(id: string, kind: Lane['kind'], label: string, file?: string): Lane {
  return { id, kind, label, file, rows: 1 };
}

function end(start: bigint, size: bigint): bigint {
  const e = start + size;
  return e > ADDR_LIMIT ? ADDR_LIMIT : e;
}

type RangeInput = Pick<MapRange, 'lane' | 'start' | 'end' | 'name' | 'cls'> & Partial<Pick<MapRange, 'virt' | 'flags' | 'named' | 'index' | 'loc'>>;

function addRange(out: MapRange[], r: RangeInput): void {
  if (r.end <= r.start) return;
  // One literal with every key in one order: all ranges share a shape, which keeps the sorts
  // and sweeps over 100k of them fast.
  out.push({
    id: out.length,
    lane: r.lane,
    start: r.start,
    end: r.end,
    virt: r.virt,
    flags: r.flags,
    name: r.name,
    named: r.named ?? false,
    cls: r.cls,
    index: r.index,
    loc: r.loc,
    sharedWith: [],
    row: 0,
    conflicts: [],
  });
}

/** Hypervisor memory, the debug console, and the windows the hypervisor intercepts. */
function platformRanges(root: ConfigModel, hv: Lane, pf: Lane, out: MapRange[]): void {
  const sys = root.system;
  if (!sys) return;
  const hm = sys.hypervisor_memory;
  if (hm && hm.size > 0n) {
    addRange(out, { lane: hv.id, start: hm.phys_start, end: end(hm.phys_start, hm.size), name: hm.$name ?? 'hypervisor memory', named: !!hm.$name, cls: 'hypervisor', loc: hm.$loc ?? sys.$fieldLoc.hypervisor_memory });
  }
  const con = sys.debug_console;
  if (con && con.type !== 0n && con.flags & CON_MMIO && con.size > 0n && con.address !== 0n) {
    addRange(out, { lane: pf.id, start: con.address, end: end(con.address, con.size), name: 'debug console', cls: 'console', loc: con.$loc ?? sys.$fieldLoc.debug_console });
  }
  // Geometry and names from the checks layer, so drawing and diagnostics agree.
  for (const w of platformWindows(root)) {
    addRange(out, { lane: pf.id, start: w.start, end: end(w.start, w.size), name: w.name, cls: 'window', loc: windowLoc(root, w.start) });
  }
}

/** The field that puts a platform window where it is (for jump-to-source). */
function windowLoc(root: ConfigModel, start: bigint): Loc | undefined {
  const pi = root.system?.platform_info;
  if (!pi) return undefined;
  if (pi.pci_mmconfig_base === start) return pi.$fieldLoc.pci_mmconfig_base ?? pi.$loc;
  const unit = pi.iommu_units.find((u) => u.type !== 0n && u.base === start);
  if (unit) return unit.$fieldLoc.base ?? unit.$loc ?? pi.$fieldLoc.iommu_units;
  if (root.arch === 'x86') return root.irqchips.find((c) => c.address === start)?.$loc ?? pi.x86?.$loc ?? pi.$loc;
  const arm = pi.arm;
  for (const f of ['gicd_base', 'gicc_base', 'gich_base', 'gicv_base', 'gicr_base'] as const) {
    if (arm && arm[f] === start) return arm.$fieldLoc[f] ?? arm.$loc ?? pi.$loc;
  }
  return pi.$loc;
}

function ivshmemSlots(m: ConfigModel): Set<number> {
  const slots = new Set<number>();
  for (const d of m.pci_devices) {
    if (d.type !== PCI_IVSHMEM) continue;
    const first = Number(d.shmem_regions_start);
    const n = 2 + Number(d.shmem_peers);
    for (let i = first; i < first + n && i < m.mem_regions.length; i++) slots.add(i);
  }
  return slots;
}

function memoryRanges(o: Owner, out: MapRange[], comm: CommRegion[]): void {
  const iv = ivshmemSlots(o.model);
  o.model.mem_regions.forEach((m: MemoryRegion, i) => {
    if (m.size === 0n) return;
    const name = m.$name ?? `mem_regions[${i}]`;
    if (m.flags & MEM_COMM) {
      comm.push({ lane: o.lane.id, virt: m.virt_start, size: m.size, name, loc: m.$loc });
      return;
    }
    const cls: MapRange['cls'] = iv.has(i) ? 'ivshmem' : m.flags & MEM_ROOTSHARED ? 'shared' : m.flags & MEM_IO ? 'io' : 'ram';
    addRange(out, { lane: o.lane.id, start: m.phys_start, end: end(m.phys_start, m.size), virt: m.virt_start, flags: m.flags, name, named: !!m.$name, cls, index: i, loc: m.$loc });
  });
}

const isShared = (r: MapRange) => r.cls === 'ivshmem' || r.cls === 'shared';

/** Shared memory: identical ranges that several lanes map as ivshmem or root-shared memory. */
function sharedRanges(ranges: MapRange[]): SharedRange[] {
  const groups = new Map<string, MapRange[]>();
  for (const r of ranges) {
    if (!isShared(r)) continue;
    const key = `${r.start}:${r.end}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: SharedRange[] = [];
  for (const g of groups.values()) {
    const lanes = [...new Set(g.map((r) => r.lane))];
    for (const r of g) r.sharedWith = lanes.filter((l) => l !== r.lane);
    if (lanes.length > 1) {
      const named = g.find((r) => r.named) ?? g[0];
      out.push({ start: g[0].start, end: g[0].end, name: named.name, lanes, kind: g.some((r) => r.cls === 'ivshmem') ? 'ivshmem' : 'shared' });
    }
  }
  return out;
}

/** A physical collision: the geometry a diagnostic is drawn with. */
interface Candidate {
  code: string;
  start: bigint;
  end: bigint;
  ranges: number[];
}

function extent(a: MapRange, b: MapRange): { start: bigint; end: bigint } {
  return { start: a.start > b.start ? a.start : b.start, end: a.end < b.end ? a.end : b.end };
}

/** Physical collisions the hypervisor or `jailhouse config check` would object to. */
function collisions(ranges: MapRange[], owners: Map<string, Owner>, pairing: (a: Owner, b: Owner) => Pairing): Candidate[] {
  const out: Candidate[] = [];
  const cap = MAX_CONFLICTS * 4;
  const room = () => out.length < cap;
  const push = (code: string, a: MapRange, b: MapRange) => {
    out.push({ code, ...extent(a, b), ranges: [a.id, b.id] });
    return room();
  };
  const mem = ranges.filter((r) => owners.has(r.lane));
  const byLane = new Map<string, MapRange[]>();
  for (const r of mem) {
    const list = byLane.get(r.lane);
    if (list) list.push(r);
    else byLane.set(r.lane, [r]);
  }
  for (const list of byLane.values()) overlapsWithin(list, (a, b) => push('memory-overlap', a, b));
  const nonRoot = mem.filter((r) => !owners.get(r.lane)?.isRoot);
  overlapsWithin(nonRoot, (a, b) => {
    if (a.lane === b.lane) return true;
    if (isShared(a) && isShared(b) && (a.cls === 'shared' || (a.start === b.start && a.end === b.end))) return true;
    if (pairing(owners.get(a.lane) as Owner, owners.get(b.lane) as Owner) === 'apart') return true;
    return push('memory-overlap-cells', a, b);
  });
  const hv = ranges.filter((r) => r.lane === 'hv');
  overlapsBetween(mem, hv, (a, b) => push('memory-overlap-hypervisor', a, b));
  const windows = ranges.filter((r) => r.cls === 'window');
  overlapsBetween(mem, windows, (a, b) => push('memory-overlap-platform', a, b));
  return out;
}

const inside = (inner: Loc, outer: Loc | undefined) => !!outer && inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;

/** Whether an overlap finding's other party (its data, rules/fixes/overlap.ts) is exactly `r`. */
function otherIs(d: Diag, r: MapRange): boolean {
  const other = (d.data as Partial<OverlapData> | undefined)?.other;
  if (!other) return false;
  try {
    return BigInt(other.start) === r.start && BigInt(other.end) === r.end;
  } catch {
    return false;
  }
}

/**
 * Each memory-overlap* diagnostic claims the collision it talks about (its location inside one
 * range, and a related location inside the other or, for a platform window, which the related
 * location cannot point into, its data naming the window's extent); a diagnostic with no
 * matching collision (e.g. a virtual-address overlap) marks the range it points into.
 */
function settleConflicts(found: Candidate[], ranges: MapRange[], diags: Diag[], where: Placer): { conflicts: MapConflict[]; truncated: boolean } {
  const list: MapConflict[] = [];
  const places = (d: Diag) => where([d.loc, ...(d.related ?? []).map((r) => r.loc)]);
  const claimed = new Set<Candidate>();
  // Only collisions of a range whose source holds the diagnostic can score: look those up.
  const holding = locIndex(ranges);
  const order = new Map(found.map((c, i) => [c, i]));
  const byRange = new Map<number, Candidate[]>();
  for (const c of found) {
    for (const id of new Set(c.ranges)) {
      const list = byRange.get(id);
      if (list) list.push(c);
      else byRange.set(id, [c]);
    }
  }
  for (const d of diags) {
    if (!d.code.startsWith('memory-overlap')) continue;
    const hosts = holding(d.loc);
    const near = [...new Set(hosts.flatMap((r) => byRange.get(r.id) ?? []))].filter((c) => c.code === d.code).sort((a, b) => order.get(a)! - order.get(b)!);
    // Score: the diagnostic sits in one range (1), its related location or its data names the
    // other party too (2). Rules report a pair from both sides: the second report of a pair
    // already on the map adds nothing.
    let best: Candidate | undefined;
    let bestScore = 0;
    for (const c of near) {
      const [a, b] = c.ranges.map((id) => ranges[id]);
      let score = 0;
      for (const [x, y] of [[a, b], [b, a]]) {
        if (!x || !inside(d.loc, x.loc)) continue;
        const rel = !y || (d.related ?? []).some((r) => inside(r.loc, y.loc)) || (!y.named && y.lane === 'platform' && otherIs(d, y));
        score = Math.max(score, rel ? 2 : 1);
      }
      if (score > bestScore || (score === bestScore && score > 0 && best && claimed.has(best) && !claimed.has(c))) {
        best = c;
        bestScore = score;
      }
    }
    if (best && claimed.has(best) && bestScore === 2) continue;
    if (best && !claimed.has(best)) {
      claimed.add(best);
      list.push({ ...best, id: 0, code: d.code, severity: d.severity, message: d.message, fromChecks: true, places: places(d) });
      continue;
    }
    const host = smallest(hosts);
    if (host) list.push({ id: 0, code: d.code, severity: d.severity, message: d.message, start: host.start, end: host.end, ranges: [host.id], fromChecks: true, places: places(d) });
  }
  const truncated = list.length > MAX_CONFLICTS;
  return { conflicts: list.slice(0, MAX_CONFLICTS).map((c, id) => ({ ...c, id })), truncated };
}

/** The range with the shortest source among `hosts` (the first of equals, in map order). */
function smallest(hosts: MapRange[]): MapRange | undefined {
  let best: MapRange | undefined;
  for (const r of hosts) {
    if (!best || r.loc!.end - r.loc!.start < best.loc!.end - best.loc!.start) best = r;
  }
  return best;
}

/**
 * The ranges whose source location holds a location, in map order: per file, sorted by where
 * they start, with the furthest end so far, so a lookup walks back only over candidates.
 */
function locIndex(ranges: MapRange[]): (loc: Loc) => MapRange[] {
  const byFile = new Map<string, MapRange[]>();
  for (const r of ranges) {
    if (!r.loc) continue;
    const list = byFile.get(r.loc.file);
    if (list) list.push(r);
    else byFile.set(r.loc.file, [r]);
  }
  const index = new Map<string, { rs: MapRange[]; maxEnd: number[] }>();
  for (const [file, rs] of byFile) {
    rs.sort((a, b) => a.loc!.start - b.loc!.start || a.id - b.id);
    const maxEnd: number[] = [];
    rs.forEach((r, i) => maxEnd.push(Math.max(i ? maxEnd[i - 1] : -Infinity, r.loc!.end)));
    index.set(file, { rs, maxEnd });
  }
  return (loc) => {
    const f = index.get(loc.file);
    if (!f) return [];
    let lo = 0;
    let hi = f.rs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f.rs[mid].loc!.start <= loc.start) lo = mid + 1;
      else hi = mid;
    }
    const out: MapRange[] = [];
    for (let i = lo - 1; i >= 0 && f.maxEnd[i] >= loc.end; i--) if (f.rs[i].loc!.end >= loc.end) out.push(f.rs[i]);
    return out.sort((a, b) => a.id - b.id);
  };
}

function gapsOf(ranges: MapRange[]): Gap[] {
  const u = union(ranges);
  const gaps: Gap[] = [];
  for (let i = 1; i < u.length; i++) gaps.push({ start: u[i - 1].end, end: u[i].start });
  return gaps;
}

/**
 * The diagnostic of `code` in one of `files` whose data holds `n` (CpuData.cpus of the CPU
 * rules, IrqData.irqs of the interrupt rules, which also name the controller: `chip`).
 */
function findDiag(diags: Diag[], code: string, files: (string | undefined)[], n: number, chip?: bigint): Diag | undefined {
  return diags.find((d) => {
    if (d.code !== code || !files.includes(d.loc.file)) return false;
    const data = d.data as Partial<CpuData & IrqData> | undefined;
    if (chip !== undefined && data?.chip !== undefined && BigInt(data.chip) !== chip) return false;
    return !!(data?.cpus ?? data?.irqs)?.includes(n);
  });
}

function gridConflicts(
  n: number,
  holders: Owner[],
  root: Owner | undefined,
  rootHolds: boolean,
  pairing: (a: Owner, b: Owner) => Pairing,
  diags: Diag[],
  codes: { shared: string; notInRoot: string },
  where: Placer,
  chip?: bigint,
): GridConflict | undefined {
  const cells = holders.filter((o) => !o.isRoot);
  let shared: Owner[] = [];
  for (let i = 0; i < cells.length; i++)
    for (let j = i + 1; j < cells.length; j++) {
      if (pairing(cells[i], cells[j]) === 'apart') continue;
      shared = [...new Set([...shared, cells[i], cells[j]])];
    }
  const candidates: { code: string; lanes: Owner[] }[] = [];
  if (shared.length) candidates.push({ code: codes.shared, lanes: shared });
  const orphans = root && !rootHolds ? cells : [];
  if (orphans.length) candidates.push({ code: codes.notInRoot, lanes: orphans });
  for (const c of candidates) {
    const d = findDiag(diags, c.code, c.lanes.map((o) => o.model.file), n, chip);
    if (d) return { code: c.code, lanes: c.lanes.map((o) => o.lane.id), severity: d.severity, message: d.message, fromChecks: true, places: where([d.loc, ...(d.related ?? []).map((r) => r.loc)]) };
  }
  return undefined;
}

function cpuGrid(owners: Owner[], pairing: (a: Owner, b: Owner) => Pairing, diags: Diag[], where: Placer): CpuGrid {
  const cpusLoc = (o: Owner) => o.model.members.find((m) => m.role === 'cpus')?.initLoc ?? o.model.cpusLoc[0];
  const rows = owners.map((o) => ({ lane: o.lane.id, cpus: bitIds(o.model.cpus), loc: cpusLoc(o) }));
  const holders = new Map<number, Owner[]>();
  rows.forEach((r, i) => r.cpus.forEach((c) => holders.set(c, [...(holders.get(c) ?? []), owners[i]])));
  const root = owners.find((o) => o.isRoot);
  const cpus = [...holders.keys()].sort((a, b) => a - b);
  const conflicts: CpuGrid['conflicts'] = [];
  for (const cpu of cpus) {
    const h = holders.get(cpu) as Owner[];
    const c = gridConflicts(cpu, h, root, !!root && h.includes(root), pairing, diags, { shared: 'cpu-shared', notInRoot: 'cpu-not-in-root' }, where);
    if (c) conflicts.push({ cpu, conflict: c });
  }
  return { cpus, rows, conflicts };
}

function irqGrid(owners: Owner[], root: ConfigModel | undefined, pairing: (a: Owner, b: Owner) => Pairing, diags: Diag[], where: Placer): IrqGrid {
  const arch = root?.arch ?? owners[0]?.model.arch;
  const isArm = arch === 'arm' || arch === 'arm64';
  const gicd = isArm ? root?.system?.platform_info?.arm?.gicd_base : undefined;
  // chip address → pin → holders
  const pins = new Map<bigint, Map<number, Owner[]>>();
  const locs: IrqGrid['locs'] = [];
  for (const o of owners) {
    for (const chip of o.model.irqchips) {
      if (chip.$loc) locs.push({ lane: o.lane.id, loc: chip.$loc, chip: chip.address });
      const perPin = pins.get(chip.address) ?? new Map<number, Owner[]>();
      pins.set(chip.address, perPin);
      for (const k of bitIds(chip.pin_bitmap, 32)) {
        const pin = Number(chip.pin_base) + k;
        if (isArm && pin < 32) continue; // SGIs and PPIs: every cell has them whatever the bitmap says
        const h = perPin.get(pin) ?? [];
        if (!h.includes(o)) h.push(o);
        perPin.set(pin, h);
      }
    }
  }
  const rootOwner = owners.find((o) => o.isRoot);
  const chips: IrqGrid['chips'] = [];
  const columns: IrqColumn[] = [];
  for (const address of [...pins.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ignored = isArm && gicd !== undefined && address !== gicd;
    chips.push({ address, label: `${isArm ? 'GIC' : 'IOAPIC'} ${hex(address)}${ignored ? ' (not the GICD: ignored)' : ''}`, ignored });
    const perPin = pins.get(address) as Map<number, Owner[]>;
    let cur: IrqColumn | undefined;
    let curKey = '';
    for (const pin of [...perPin.keys()].sort((a, b) => a - b)) {
      const h = perPin.get(pin) as Owner[];
      const conflict = ignored ? undefined : gridConflicts(pin, h, rootOwner, !!rootOwner && h.includes(rootOwner), pairing, diags, { shared: 'irq-shared', notInRoot: 'irq-not-in-root' }, where, address);
      const key = h.map((o) => o.lane.id).join(',') + '|' + (conflict ? conflict.code : '');
      // A run of pins held alike; a pin in conflict is a column of its own, with its finding.
      if (cur && key === curKey && pin === cur.last + 1 && !conflict) {
        cur.last = pin;
      } else {
        cur = { chip: address, first: pin, last: pin, lanes: h.map((o) => o.lane.id), conflict };
        curKey = key;
        columns.push(cur);
      }
    }
  }
  return { unit: isArm ? 'INTID' : 'pin', chips, columns, locs };
}
