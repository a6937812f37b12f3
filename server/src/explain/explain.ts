// From console events to explanations: for each fault, the cell it happened in, the regions
// of the system at its address, the board device there, what is wrong in plain words, and the
// edits that make the access legal. Edits come from the rules' own fix code (boardFixes,
// addFlag), so what the explainer writes is what a quick fix would write.
import * as path from 'node:path';
import type { Analysis } from '../core/analysis';
import type { ConfigModel, MemoryRegion } from '../core/model';
import { boardFromRootCell, isRamRegion, MEM } from '../boards/rootBoard';
import { intidOf, type Board, type BoardDevice, type RegWindow } from '../boards/types';
import { bitIds, hex } from '../util/format';
import { isSubpage, PAGE } from '../core/flags';
import { CONSTANTS_BY_NAME } from '../schema';
import { checkSystem, diagnosticIds, platformWindows, type CellRef, type Fix } from '../rules';
import { uncoveredData } from '../rules/boards/diagnostics';
import { boardFixes } from '../rules/boards/fixes';
import { grantedIrqs } from '../rules/boards/context';
import { buildContext } from '../rules/context';
import { intxFix } from '../rules/fixes/intx';
import { addFlag } from '../rules/fixes/edit';
import { membersOf, type System } from '../workspace/system';
import { ERRNO_RULES } from './errnoRules';
import { explainPool } from './pool';
import type { Covering, Explanation, LogEvent } from './types';

export interface ExplainOptions {
  /** The board the devices come from; without it, each system's root cell is the board. */
  board?: Board;
}

/** Device windows larger than this are apertures (PCIe, flash): a fix maps the faulting page only. */
const APERTURE = 0x1000000n;
/** The flag that lets a sub-page region take accesses of this many bytes (docs/format.md §5.4.4). */
const WIDTH_FLAG: Record<number, string> = { 1: 'JAILHOUSE_MEM_IO_8', 2: 'JAILHOUSE_MEM_IO_16', 4: 'JAILHOUSE_MEM_IO_32', 8: 'JAILHOUSE_MEM_IO_64' };
const flagValue = (name: string): bigint => CONSTANTS_BY_NAME.get(name)!.value;

interface Place {
  system: System;
  analysis: Analysis;
  model: ConfigModel;
}

const nameOf = (m: ConfigModel) => m.cell.name || path.basename(m.file);
const label = (r: MemoryRegion) => `region ${r.$index}${r.$name ? ` (${r.$name.trim()})` : ''}`;
const inWin = (a: bigint, base: bigint, size: bigint) => a >= base && a < base + size;

export function explainEvents(events: LogEvent[], systems: System[], opts: ExplainOptions = {}): Explanation[] {
  const out: Explanation[] = [];
  events.forEach((ev, i) => {
    if (ev.kind === 'info') {
      const pool = explainPool(ev, events, systems);
      if (pool) out.push(pool);
      return;
    }
    out.push(explainOne(withContext(ev, events.slice(i + 1)), systems, opts));
  });
  return out;
}

/**
 * The parking line after a fault names its CPU and cell (`Parking CPU 3 (Cell: "x")`): an event
 * that says neither takes them from the first info line naming them before the next fault
 * (the `FATAL: unhandled trap` line between them is part of the same fault).
 */
function withContext(ev: LogEvent, after: LogEvent[]): LogEvent {
  if (ev.cellName !== undefined || ev.kind === 'driver') return ev;
  for (const e of after) {
    // The trap line and register dump that follow an access report belong to the same fault.
    if (e.kind === 'trap') continue;
    if (e.kind !== 'info') break;
    if (ev.cpu !== undefined && e.cpu !== undefined && e.cpu !== ev.cpu) continue;
    if (e.cellName !== undefined || e.cpu !== undefined) return { ...ev, cpu: ev.cpu ?? e.cpu, cellName: e.cellName };
  }
  return ev;
}

function allOf(s: System): Analysis[] {
  return membersOf(s).filter((a) => a.model);
}

/** The config the event belongs to: by the name the log gives, else by the CPU it ran on. */
function findCell(ev: LogEvent, systems: System[]): { place: Place; how: 'named' | 'cpu' } | undefined {
  // `jailhouse cell create x.cell` names the image, built from x.c.
  if (ev.configFile !== undefined) {
    const stem = (f: string) => path.basename(f).replace(/\.(cell|c|bin)$/, '');
    for (const system of systems) for (const a of allOf(system)) if (stem(a.file) === stem(ev.configFile)) return { place: { system, analysis: a, model: a.model! }, how: 'named' };
  }
  if (ev.cellName !== undefined) {
    for (const system of systems) for (const a of allOf(system)) if (nameOf(a.model!) === ev.cellName || a.model!.cell.name === ev.cellName) return { place: { system, analysis: a, model: a.model! }, how: 'named' };
  }
  if (ev.cpu !== undefined) {
    // A non-root cell holding the CPU took it from the root; the root owns it otherwise.
    for (const system of systems) for (const a of system.cells) if (a.model?.kind === 'cell' && bitIds(a.model.cpus).includes(ev.cpu)) return { place: { system, analysis: a, model: a.model }, how: 'cpu' };
    for (const system of systems) if (system.root?.model && bitIds(system.root.model.cpus).includes(ev.cpu)) return { place: { system, analysis: system.root, model: system.root.model }, how: 'cpu' };
  }
  return undefined;
}

function cellRef(p: Place): CellRef {
  return { analysis: p.analysis, model: p.model, file: p.analysis.file, label: nameOf(p.model), isRoot: p.model.kind === 'system' };
}

function explainOne(ev: LogEvent, systems: System[], opts: ExplainOptions): Explanation {
  const x = explainFound(ev, systems, opts);
  // Never silent: a cut line is explained from what is left of it, and says so.
  if (ev.incomplete) x.message += ' (The log line is cut or garbled: this is read from the part that is there; paste the whole log for more.)';
  return x;
}

function explainFound(ev: LogEvent, systems: System[], opts: ExplainOptions): Explanation {
  const found = findCell(ev, systems);
  const base: Explanation = { event: ev, covering: [], message: '', fixes: [] };
  if (found) base.cell = { name: nameOf(found.place.model), file: found.place.analysis.file, how: found.how };
  const who = whoText(ev, found);
  // A driver error is about the cell being created, which the log rarely names: every given system is checked.
  if (!found && ev.kind === 'driver') return driver(ev, systems, base, 'the given configs');
  if (!found) {
    base.message = `${describe(ev)}. ${who}`;
    // Still say which configs map the address: the user may not have named the cell's file.
    if (ev.kind === 'mmio' || ev.kind === 'instruction') if (ev.address !== undefined) base.covering = systems.flatMap((s) => coveringPhys(s, ev.address!));
    return base;
  }
  const p = found.place;
  switch (ev.kind) {
    case 'mmio':
    case 'instruction':
      return ev.address === undefined ? { ...base, message: `${describe(ev)} in ${who}.` } : memory(ev, p, base, who, opts);
    case 'pio':
      return ev.address === undefined ? { ...base, message: `${describe(ev)} in ${who}.` } : ports(ev, p, base, who, opts);
    case 'driver':
      return driver(ev, [p.system], base, who, p.analysis.file);
    case 'msr':
      return { ...base, message: `${describe(ev)} in ${who}: the hypervisor does not emulate this MSR for cells, and no config field grants it; the guest must not touch it (check the guest's kernel options).` };
    case 'smc':
      return { ...base, message: `${describe(ev)} in ${who}: the hypervisor forwards only PSCI and the SMCCC calls it knows; no config field grants other secure-monitor calls.` };
    default:
      return { ...base, message: `${describe(ev)} in ${who}: ${trapWhy(ev.text)}` };
  }
}

/** What the x86 emulations that stop a cell refuse (hypervisor/arch/x86: ioapic.c, i8042.c, pci.c). */
function trapWhy(text: string): string {
  if (/Invalid IOAPIC/.test(text)) return 'the IOAPIC emulation refused the access: a write to a register below the redirection table, an index beyond the IOAPIC\'s pins, a redirection entry it cannot accept, or an EOI from a cell with no pin. Pins the cell does not own are ignored, not fatal; the config grants pins in its IOAPIC irqchip entry.';
  if (/i8042/.test(text)) return 'the guest wrote a command to the keyboard controller (port 0x64) that drives the controller output port (the reset line); cells may not. No config field allows it.';
  if (/Invalid PCI config/.test(text)) return 'an access to the PCI configuration ports (0xcf8 with other than 4 bytes, or past 0xcff), or a register of an assigned device the emulation refuses. No config field changes how these ports are emulated.';
  return 'a trap the hypervisor cannot hand to the cell; no config field changes it.';
}

function whoText(ev: LogEvent, found: ReturnType<typeof findCell>): string {
  if (found) {
    const cell = `cell "${nameOf(found.place.model)}" (${path.basename(found.place.analysis.file)}${found.how === 'cpu' ? `, the cell that owns CPU ${ev.cpu}` : ''})`;
    // A name the configs do not have: the CPU's owner is a guess, and said to be one.
    return found.how === 'cpu' && ev.cellName !== undefined ? `${cell} — the log names cell "${ev.cellName}", which none of the given configs is called; by its CPU it is this one` : cell;
  }
  if (ev.cellName !== undefined) return `The log names cell "${ev.cellName}", but none of the given configs has that name.`;
  if (ev.cpu !== undefined) return `No given config owns CPU ${ev.cpu}.`;
  return 'The log does not say which cell or CPU this was (no parking line after it): name the cell file to see which of its regions are missing.';
}

function describe(ev: LogEvent): string {
  const sz = ev.size !== undefined ? ` of ${ev.size} byte${ev.size === 1 ? '' : 's'}` : '';
  switch (ev.kind) {
    case 'mmio':
      return `A ${ev.access ?? 'data'} access${sz} at ${ev.address !== undefined ? hex(ev.address) : 'an unknown address'} was not handled`;
    case 'instruction':
      return `An instruction fetch at ${ev.address !== undefined ? hex(ev.address) : 'an unknown address'} faulted`;
    case 'pio':
      return `A port ${ev.access ?? 'access'}${sz} at port ${ev.address !== undefined ? hex(ev.address) : '?'} was not granted`;
    case 'msr':
      return `A${ev.access ? ` ${ev.access}` : 'n access'} of MSR ${ev.address !== undefined ? hex(ev.address) : '?'} was not handled`;
    case 'smc':
      return `A secure-monitor call${ev.address !== undefined ? ` (function ${hex(ev.address)})` : ''} was not handled`;
    case 'driver':
      return `The driver refused ${ev.ioctl ?? 'the request'} (${ev.errno ?? 'an error'})`;
    default:
      return `The hypervisor stopped a CPU (${ev.text.trim()})`;
  }
}

/** Regions of all configs of a system whose physical range holds `phys` (not comm pages). */
function coveringPhys(s: System, phys: bigint, except?: Analysis): Covering[] {
  const out: Covering[] = [];
  for (const a of allOf(s)) {
    if (a === except) continue;
    for (const r of a.model!.mem_regions) {
      if ((r.flags & MEM.COMM_REGION) === 0n && inWin(phys, r.phys_start, r.size)) out.push(cover(a, r.$index, r.$name));
    }
  }
  return out;
}

function cover(a: Analysis, region: number, name?: string): Covering {
  return { file: a.file, region, ...(name?.trim() ? { name: name.trim() } : {}), cell: nameOf(a.model!) };
}

function boardOf(p: Place, opts: ExplainOptions): { board: Board; source: string } | undefined {
  if (opts.board) return { board: opts.board, source: `board ${opts.board.id}` };
  const root = p.system.root?.model;
  const b = root && boardFromRootCell(root);
  return b ? { board: b, source: `root cell ${path.basename(p.system.root!.file)}` } : undefined;
}

function deviceAt(board: Board, addr: bigint, space: 'mmio' | 'pio'): { device: BoardDevice; win: RegWindow } | undefined {
  let best: { device: BoardDevice; win: RegWindow } | undefined;
  for (const d of board.devices) {
    for (const w of d.reg) {
      if ((w.space ?? 'mmio') !== space || !inWin(addr, w.base, w.size)) continue;
      // The smallest window holding the address: a UART inside a bus aperture is the UART.
      if (!best || w.size < best.win.size) best = { device: d, win: w };
    }
  }
  return best;
}

function memory(ev: LogEvent, p: Place, base: Explanation, who: string, opts: ExplainOptions): Explanation {
  const addr = ev.address!;
  const model = p.model;
  const own = model.mem_regions.filter((r) => (r.flags & MEM.COMM_REGION) === 0n && inWin(addr, r.virt_start, r.size));
  // The guest address the log prints is the cell's; other configs are compared by physical address.
  const phys = own.length ? own[0].phys_start + (addr - own[0].virt_start) : addr;
  const covering = [...own.map((r) => cover(p.analysis, r.$index, r.$name)), ...coveringPhys(p.system, phys, p.analysis)];
  const ex: Explanation = { ...base, covering };
  const dev = boardOf(p, opts);
  const at = dev && deviceAt(dev.board, phys, 'mmio');
  if (at) ex.device = { name: at.device.name, start: at.win.base, size: at.win.size, source: dev!.source, ...(at.device.interrupts.length ? { interrupts: at.device.interrupts.map((q) => intidOf(q) ?? q.number) } : {}) };
  const what = `${describe(ev)} in ${who}`;
  const devText = at ? ` — ${at.device.name} (${hex(at.win.base)}, size ${hex(at.win.size)}, from the ${dev!.source})` : '';
  const c = cellRef(p);

  // Windows the hypervisor keeps for itself: no region may map them.
  const root = p.system.root?.model;
  const win = root && platformWindows(root).find((w) => inWin(phys, w.start, w.size));
  if (win) {
    ex.message = `${what}: ${hex(phys)} is in the ${win.name} (${hex(win.start)}, size ${hex(win.size)}), which the hypervisor emulates or keeps for itself; a cell cannot map it. ${win.frame ? 'A redistributor frame belongs to one CPU: the guest touched the frame of a CPU the cell does not have, or an access width the emulation refuses.' : 'The guest used it in a way the emulation refuses (an access width or register it does not handle).'}`;
    return ex;
  }

  if (own.length) {
    const r = own[0];
    if (ev.kind === 'instruction') {
      if ((r.flags & MEM.EXECUTE) === 0n) {
        ex.message = `${what}: ${label(r)} maps ${hex(addr)} without JAILHOUSE_MEM_EXECUTE, so the cell cannot run code from it.`;
        ex.fixes = flagFix(c, r, 'JAILHOUSE_MEM_EXECUTE', `Let the cell execute from ${label(r)}`);
      } else ex.message = `${what}: ${label(r)} maps ${hex(addr)} executable; the fault is not a missing region (a wrong entry point, or code the guest loaded elsewhere).`;
      return ex;
    }
    const need = ev.access === 'write' ? MEM.WRITE : MEM.READ;
    if ((r.flags & need) === 0n) {
      const flag = ev.access === 'write' ? 'JAILHOUSE_MEM_WRITE' : 'JAILHOUSE_MEM_READ';
      ex.message = `${what}: ${label(r)} maps ${hex(addr)}${devText} but without ${flag}.`;
      ex.fixes = flagFix(c, r, flag, `Allow ${ev.access ?? 'the access'} in ${label(r)}`);
      return ex;
    }
    if (isSubpage(r)) {
      const size = ev.size ?? 0;
      const flag = WIDTH_FLAG[size];
      if (flag && (r.flags & flagValue(flag)) === 0n) {
        ex.message = `${what}: ${label(r)} is a sub-page region (${hex(r.virt_start)}, size ${hex(r.size)}): the hypervisor emulates each access and allows only the widths its flags name, and ${flag} (${size}-byte accesses) is not among them.`;
        ex.fixes = flagFix(c, r, flag, `Allow ${size}-byte accesses to ${label(r)} (${flag})`);
        return ex;
      }
      ex.message = `${what}: ${label(r)} is a sub-page region (${hex(r.virt_start)}, size ${hex(r.size)}) that allows this width; the access was likely not naturally aligned (JAILHOUSE_MEM_IO_UNALIGNED allows that).`;
      return ex;
    }
    ex.message = `${what}: ${label(r)} maps ${hex(addr)}${devText} with this access allowed; the configuration does not explain the fault (was the cell built from another version of this file?).`;
    return ex;
  }

  // Not mapped in this cell.
  const ram = root?.mem_regions.find((r) => isRamRegion(r) && inWin(phys, r.phys_start, r.size));
  const others = covering.filter((k) => k.file !== p.analysis.file);
  const byWhom = others.length ? ` It is mapped by ${others.map((k) => `${k.file === p.system.root?.file ? 'the root cell' : `cell "${k.cell}"`} (region ${k.region}${k.name ? `, ${k.name}` : ''})`).join(', ')}.` : ' No config of the system maps it.';
  if (!at && ram) {
    ex.message = `${what}: ${hex(phys)} is RAM of the root cell (${label(ram)}) that this cell does not own.${byWhom} Give the cell a RAM region of its own there (taken from the root's) if the guest should use it, or fix the guest's memory layout (device tree, linker script) to stay in the cell's RAM.`;
    return ex;
  }
  ex.message = `${what}: no region of the cell maps ${hex(addr)}${devText}.${byWhom}`;
  const fix = regionFix(p, phys, at);
  if (fix.length) ex.fixes = fix;
  else ex.message += ' No device of the board is known at this address, so no region is proposed: map the device\'s register window (from the SoC manual) by hand.';
  if (at && dev) {
    const irq = irqFixes(p, dev.board, at.device);
    if (irq.missing.length) {
      ex.message += ` Its interrupt${irq.missing.length > 1 ? 's' : ''} (INTID ${irq.missing.join(', ')}) ${irq.missing.length > 1 ? 'are' : 'is'} not granted to the cell either${irq.fixes.length < irq.missing.length ? ' (grant what no fix below offers in the cell\'s irqchips by hand)' : ''}.`;
      ex.fixes.push(...irq.fixes);
    }
  }
  return ex;
}

/** The device's GIC interrupts the cell is not granted, and the irqchip bits that grant them (the ivshmem-intx fix's edit). */
function irqFixes(p: Place, board: Board, device: BoardDevice): { missing: number[]; fixes: Fix[] } {
  if (board.interruptController?.type !== 'gic') return { missing: [], fixes: [] };
  const granted = grantedIrqs(p.model, board);
  const missing = [...new Set(device.interrupts.filter((q) => q.type === 'spi').map((q) => intidOf(q)!))].filter((id) => !granted.has(String(id)));
  if (!missing.length) return { missing, fixes: [] };
  const ctx = buildContext(p.system);
  const fixes = missing.flatMap((intid) => intxFix({ code: 'ivshmem-intx', severity: 'error', message: '', loc: { file: p.analysis.file, start: 0, end: 0 }, data: { file: p.analysis.file, intid } }, ctx));
  return { missing, fixes: fixes.map((f) => ({ ...f, title: `${f.title} (${device.name})`, preferred: false })) };
}

function flagFix(c: CellRef, r: MemoryRegion, flag: string, title: string): Fix[] {
  const e = addFlag(c, r, 'flags', flag);
  return e ? [{ title, edits: [e], preferred: true }] : [];
}

/** A region for the device at the address, written by the board fix (page-rounded, IO, ROOTSHARED). */
function regionFix(p: Place, phys: bigint, at: { device: BoardDevice; win: RegWindow } | undefined): Fix[] {
  const root = p.system.root?.model;
  let name: string;
  let win: RegWindow;
  if (at && at.win.size <= APERTURE) {
    name = at.device.name;
    win = at.win;
  } else {
    const rootRegion = root?.mem_regions.find((r) => (r.flags & MEM.IO) !== 0n && inWin(phys, r.phys_start, r.size));
    if (!at && !rootRegion) return [];
    // A page of a large aperture (or of a root I/O region): what the access needs, no more.
    name = at?.device.name ?? rootRegion!.$name?.trim() ?? `I/O at ${hex(phys)}`;
    win = { base: phys & ~(PAGE - 1n), size: PAGE };
  }
  const data = uncoveredData(name, win, root);
  const fixes = boardFixes({ code: 'board-device-uncovered', severity: 'information', message: '', loc: { file: p.analysis.file, start: 0, end: 0 }, data }, p.analysis);
  return fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ loc: { file: e.file, start: e.start, end: e.end }, newText: e.newText })), preferred: f.preferred }));
}

function ports(ev: LogEvent, p: Place, base: Explanation, who: string, opts: ExplainOptions): Explanation {
  const port = ev.address!;
  const covering: Covering[] = [];
  for (const a of allOf(p.system)) for (const r of a.model!.pio_regions) if (inWin(port, r.base, r.length)) covering.push(cover(a, r.$index, r.$name));
  const ex: Explanation = { ...base, covering };
  const what = `${describe(ev)} in ${who}`;
  const own = covering.find((k) => k.file === p.analysis.file);
  if (own) {
    ex.message = `${what}: PIO range ${own.region} of the cell grants port ${hex(port)}; the configuration does not explain the fault.`;
    return ex;
  }
  const dev = boardOf(p, opts);
  const at = dev && deviceAt(dev.board, port, 'pio');
  if (at) ex.device = { name: at.device.name, start: at.win.base, size: at.win.size, source: dev!.source };
  const others = covering.length ? ` The root cell or another cell has it (${covering.map((k) => `"${k.cell}" range ${k.region}${k.name ? `, ${k.name}` : ''}`).join('; ')}).` : '';
  ex.message = `${what}: no PIO_RANGE of the cell holds port ${hex(port)}${at ? ` (${at.device.name}, ports ${hex(at.win.base)}–${hex(at.win.base + at.win.size - 1n)})` : ''}.${others}`;
  // The device's ports: the board's window, else the root's range holding the port (its
  // comment names it), else only the ports the access used.
  const rootRange = p.system.root?.model?.pio_regions.find((r) => inWin(port, r.base, r.length));
  const win: RegWindow = at ? at.win : rootRange ? { base: rootRange.base, size: rootRange.length } : { base: port, size: BigInt(Math.max(1, ev.size ?? 1)) };
  const devName = at ? at.device.name : (rootRange?.$name?.trim() ?? `port ${hex(port)}`);
  const data = uncoveredData(devName, { ...win, space: 'pio' }, p.system.root?.model);
  const fixes = boardFixes({ code: 'board-device-uncovered', severity: 'information', message: '', loc: { file: p.analysis.file, start: 0, end: 0 }, data }, p.analysis);
  ex.fixes = fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ loc: { file: e.file, start: e.start, end: e.end }, newText: e.newText })), preferred: f.preferred }));
  if (!ex.fixes.length) ex.message += ' The cell\'s pio_regions cannot be extended automatically (no array of its own, or a length written as an expression): add the range by hand.';
  return ex;
}

/**
 * Driver errors: the rules that explain the errno (errnoRules.ts, and those whose descriptions
 * name it), and which of them report something on the cell's system now.
 */
function driver(ev: LogEvent, systems: System[], base: Explanation, who: string, file?: string): Explanation {
  const errno = ev.errno;
  const what = describe(ev);
  if (!errno) return { ...base, message: `${what} for ${who}.` };
  const word = new RegExp(`\\b${errno}\\b`);
  const rules = [...new Set([...(ERRNO_RULES[errno] ?? []), ...diagnosticIds().filter((d) => word.test(d.description)).map((d) => d.id)])];
  if (!rules.length) return { ...base, message: `${what} for ${who}: no check of ours explains ${errno}; it comes from the running system (memory, another cell), not from a config field we know.` };
  // Where each rule reports (errors, and the warnings of conflicts between cells not declared
  // to run together: this log shows they did).
  const hits = new Map<string, Set<string>>();
  for (const s of systems) {
    for (const [f, diags] of checkSystem(s)) {
      for (const d of diags) if (rules.includes(d.code) && (d.severity === 'error' || d.severity === 'warning')) hits.set(d.code, (hits.get(d.code) ?? new Set()).add(path.basename(f)));
    }
  }
  // The named cell's own findings first.
  const mine = file ? path.basename(file) : undefined;
  const firing = rules.filter((r) => hits.has(r)).sort((a, b) => Number(!!mine && !hits.get(a)!.has(mine)) - Number(!!mine && !hits.get(b)!.has(mine)));
  const message = firing.length
    ? `${what} for ${who}: ${firing.map((r) => `${r} (in ${[...hits.get(r)!].join(', ')})`).join(', ')} report${firing.length === 1 ? 's' : ''} why: see the diagnostics in the configs.`
    : `${what} for ${who}: the checks that explain ${errno} (${rules.join(', ')}) find nothing in these configs; the cause is in the running system (a cell already holding the CPUs or memory, a different file loaded).`;
  return { ...base, rules: firing.length ? firing : rules, message };
}
