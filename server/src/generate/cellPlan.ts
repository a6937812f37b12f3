// The decisions of a new cell, before any C is written: CPUs, RAM placement, device regions and
// interrupts, the ivshmem link, the console, vpci_irq_base; and the notes that say what was
// chosen and what the user still has to do. Layouts follow upstream's demo cells
// (docs/generate.md "New cell").
import type { Console } from '../core/model';
import { PCI_TYPE } from '../core/flags';
import { LINUX_LOADABLE_OVER } from '../rules/linuxRam';
import { bdfText, hex, rangeList } from '../util/format';
import { CELL_NAME_MAXLEN } from '../schema';
import type { CellOptions } from './types';
import { CellProblem, rootConsole, sizeText, type CellSite, type DeviceChoice, type LinkChoice } from './cellSite';
import { firstFit, overlap, PAGE, pageSpan, ramAlign, subtract, type Span } from './spans';

/** ARM inmates and Linux find the communication page here (the inmate library's COMM_REGION_BASE). */
export const COMM_VIRT = 0x80000000n;
/** The small loadable region at guest address 0 that holds a Linux cell's loader, as upstream's linux demos. */
const LOADER_SIZE = 0x10000n;
const MiB = 0x100000n;
export const DEFAULT_RAM = { inmate: 16n * MiB, linux: 128n * MiB };

export interface PlannedRegion {
  comment: string;
  phys: bigint;
  virt: bigint;
  size: bigint;
  /** Flag constant names without the JAILHOUSE_MEM_ prefix. */
  flags: string[];
  /** Written as JAILHOUSE_SHMEM_NET_REGIONS(start, 1) (four slots) instead of one region. */
  netRegions?: bigint;
}

export interface CellPlan {
  name: string;
  linux: boolean;
  cpus: number[];
  regions: PlannedRegion[];
  /** INTIDs by irqchip window (pin_base), with the SPIs' labels. */
  irqchips: { pinBase: number; bits: { intid: number; label: string }[] }[];
  gicd: bigint;
  vpciIrqBase?: number;
  link?: { choice: LinkChoice; regionsStart: number };
  console?: Console;
  notes: string[];
}

const ramFlags = (linux: boolean) => (linux ? ['READ', 'WRITE', 'EXECUTE', 'DMA', 'LOADABLE'] : ['READ', 'WRITE', 'EXECUTE', 'LOADABLE']);
/**
 * An inmate's RAM: upstream's demos have no DMA, and stay ≤ 16 MiB. A larger loadable region is
 * what a kernel gets (the linux-ram rule reads it so), so it is mapped as the loader counts RAM:
 * with DMA, which also lets the cell's devices reach it.
 */
const inmateRamFlags = (size: bigint) => (size > LINUX_LOADABLE_OVER ? ramFlags(true) : ramFlags(false));

function checkName(name: string): void {
  if (!name) throw new CellProblem('the cell needs a name (--name)');
  if (name.length > CELL_NAME_MAXLEN) throw new CellProblem(`the cell name "${name}" has ${name.length} characters; at most ${CELL_NAME_MAXLEN} fit`);
  if (!/^[\x20-\x7e]+$/.test(name) || /["\\]/.test(name)) throw new CellProblem(`the cell name "${name}" may hold printable ASCII only, without " and \\`);
}

function chooseCpus(site: CellSite, wanted: number[] | undefined): number[] {
  const { freeCpus, allCpus } = site;
  if (!wanted) {
    // The root keeps at least one CPU (the cpu-root-empty rule): root Linux cannot take its last one offline.
    if (freeCpus.length < 2) throw new CellProblem(`no CPU is free for a new cell: the root has ${rangeList(allCpus)}, other cells take ${rangeList(allCpus.filter((c) => !freeCpus.includes(c)))}, and the root must keep one`);
    return [freeCpus[freeCpus.length - 1]];
  }
  if (!wanted.length) throw new CellProblem('--cpus names no CPU');
  const bad = wanted.filter((c) => !allCpus.includes(c));
  if (bad.length) throw new CellProblem(`CPU ${rangeList(bad)} is not a CPU of the root cell (it has ${rangeList(allCpus)})`);
  const busy = wanted.filter((c) => !freeCpus.includes(c));
  if (busy.length) throw new CellProblem(`CPU ${rangeList(busy)} is taken by another cell of the system (free: ${rangeList(freeCpus)})`);
  if (freeCpus.every((c) => wanted.includes(c))) throw new CellProblem(`CPUs ${rangeList(wanted)} would leave the root no CPU (free: ${rangeList(freeCpus)}); the root must keep one`);
  return [...new Set(wanted)].sort((a, b) => a - b);
}

function resolveDevice(site: CellSite, name: string): DeviceChoice {
  const want = name.trim().toLowerCase();
  const exact = site.devices.filter((d) => d.name.toLowerCase() === want);
  const hits = exact.length ? exact : site.devices.filter((d) => d.aliases.some((a) => a.toLowerCase() === want));
  if (hits.length === 1) return hits[0];
  const known = site.devices.map((d) => d.name).join(', ');
  if (!hits.length) throw new CellProblem(`unknown device "${name}" in ${site.deviceSource}; known: ${known || 'none'}`);
  throw new CellProblem(`"${name}" names ${hits.length} devices of ${site.deviceSource} (${hits.map((d) => d.name).join(', ')})`);
}

/** The pieces of free cell RAM, with the guest ranges a Linux cell's RAM (virt = phys) must avoid. */
function placeRam(site: CellSite, size: bigint, linux: boolean, start: bigint | undefined, virtTaken: Span[]): { main: bigint; loader?: bigint } {
  if (size <= 0n || size % PAGE !== 0n) throw new CellProblem(`RAM size ${hex(size)} must be a positive multiple of 4 KiB`);
  let pieces = site.freeRam;
  if (start !== undefined) {
    if (start % PAGE !== 0n) throw new CellProblem(`--ram-start ${hex(start)} is not 4 KiB aligned`);
    const home = site.rootRam.find((r) => r.phys_start <= start && start < r.phys_start + r.size);
    if (!home) throw new CellProblem(`--ram-start ${hex(start)} is not in RAM of the root cell (${site.rootRam.map((r) => `${hex(r.phys_start)}-${hex(r.phys_start + r.size - 1n)}`).join(', ') || 'none'}); a loadable region must lie in root memory`);
    pieces = subtract([{ start, end: home.phys_start + home.size }], site.taken);
    if (!pieces.length || pieces[0].start !== start) throw new CellProblem(`--ram-start ${hex(start)} is used already (another cell, the hypervisor or shared memory)`);
    pieces = [pieces[0]];
  } else if (!site.cellArea) {
    throw new CellProblem(site.cellAreaProblem ?? 'no RAM for cells in the root');
  }
  const what = start !== undefined ? `at ${hex(start)}` : `in the cell area${site.cellArea?.$name ? ` "${site.cellArea.$name}"` : ''}`;
  const largest = pieces.reduce((m, p) => (p.end - p.start > m ? p.end - p.start : m), 0n);
  const need = linux ? size + LOADER_SIZE : size;
  const tooBig = () => new CellProblem(`${sizeText(need)} of RAM does not fit ${what}: the largest free piece is ${largest ? sizeText(largest) : 'none'} (${pieces.map((p) => `${hex(p.start)}-${hex(p.end - 1n)}`).join(', ') || 'all taken'})`);
  if (!linux) {
    const main = start ?? firstFit(pieces, size, ramAlign(size)) ?? firstFit(pieces, size, PAGE);
    if (main === undefined || main + size > pieces[pieces.length - 1].end) throw tooBig();
    const clash = virtTaken.find((v) => overlap(v, { start: 0n, end: size }));
    if (clash) throw new CellProblem(`RAM of ${sizeText(size)} at guest address 0 would overlap the cell's region at guest ${hex(clash.start)}; give a --ram of at most ${hex(clash.start)}`);
    return { main };
  }
  // Linux RAM is mapped 1:1 and must not cover the loader's page at 0 or the communication page.
  const linuxPieces = subtract(pieces, [{ start: 0n, end: LOADER_SIZE }, { start: COMM_VIRT, end: COMM_VIRT + PAGE }, ...virtTaken]);
  const main = start !== undefined ? (linuxPieces[0]?.start === start && linuxPieces[0].end - start >= size ? start : undefined) : (firstFit(linuxPieces, size, ramAlign(size)) ?? firstFit(linuxPieces, size, PAGE));
  if (main === undefined) throw tooBig();
  const rest = subtract(pieces, [{ start: main, end: main + size }]);
  const loader = firstFit(rest, LOADER_SIZE, LOADER_SIZE) ?? firstFit(rest, LOADER_SIZE, PAGE);
  if (loader === undefined) throw tooBig();
  return { main, loader };
}

/** SPIs a cell's virtual PCI block spans (INTx of device d on vpci_irq_base + (d & 3)). */
const VPCI_BLOCK = 4;

/**
 * A free SPI for the cell's virtual PCI INTx. First the block the root keeps for the cell of this
 * link, as `new system` writes it: the 4 SPIs at the root's vpci_irq_base + 4 + 4k for its k-th
 * ivshmem device, when the root owns all four and nothing else uses them. Else any SPI the root
 * owns, else any free line.
 */
function chooseVpciBase(site: CellSite, link: LinkChoice, own: Set<number>): { base: number; spi: number; rootOwned: boolean; block: boolean } | undefined {
  const slot = (link.bdf >> 3) & 3;
  const unused = (n: number) => !site.busySpis.has(n) && !site.siblingSpis.has(n) && !own.has(n);
  const free = (n: number) => n - slot >= 0 && unused(n);
  const rootVpci = Number(site.root.cell.vpci_irq_base);
  const k = site.root.pci_devices.filter((d) => d.type === PCI_TYPE.IVSHMEM).indexOf(link.device);
  if (k >= 0) {
    const base = rootVpci + VPCI_BLOCK + VPCI_BLOCK * k;
    const block = Array.from({ length: VPCI_BLOCK }, (_, i) => base + i);
    if (block.every((n) => site.rootSpis.has(n) && unused(n))) return { base, spi: base + slot, rootOwned: true, block: true };
  }
  // Above the root's own virtual PCI interrupts first, as upstream's demos do.
  const after = site.root.pci_devices.length ? rootVpci + VPCI_BLOCK : 0;
  const rootOwned = [...site.rootSpis].sort((a, b) => a - b);
  const owned = rootOwned.find((n) => n >= after && free(n)) ?? rootOwned.find(free);
  if (owned !== undefined) return { base: owned - slot, spi: owned, rootOwned: true, block: false };
  // A root that owns only its devices' lines: a line no device uses, next to the root's virtual
  // PCI interrupts, which exist on every GIC (32 or more SPIs).
  for (let n = after; n < 988; n++) if (free(n)) return { base: n - slot, spi: n, rootOwned: false, block: false };
  return undefined;
}

function linkRegions(link: LinkChoice): PlannedRegion[] {
  const [state, common, out0, out1] = link.regions;
  const s = state.phys_start;
  const isNet = state.size === 0x1000n && common.size === 0n && out0.phys_start === s + 0x1000n && out0.size === 0x7f000n && out1.phys_start === s + 0x80000n && out1.size === 0x7f000n;
  const label = `ivshmem ${bdfText(link.bdf)}${link.name ? ` (${link.name.trim()})` : ''}`;
  if (isNet) return [{ comment: `${label}: this cell is peer 1`, phys: s, virt: s, size: 0x100000n, flags: [], netRegions: s }];
  const names = ['state table', 'common section', 'output of peer 0', 'output of peer 1'];
  return link.regions.map((r, i) => ({
    comment: i === 0 ? `${label}: this cell is peer 1; ${names[i]}` : names[i],
    phys: r.phys_start,
    virt: r.phys_start,
    size: r.size,
    flags: r.size === 0n ? [] : ['READ', ...(i === 1 || i === 3 ? ['WRITE'] : []), 'ROOTSHARED'],
  }));
}

export function planCell(site: CellSite, options: CellOptions & { ramStart?: bigint }): CellPlan {
  const notes: string[] = [];
  const name = options.name?.trim() ?? '';
  checkName(name);
  const taken = new Set([site.root.cell.name, ...site.siblings.map((s) => s.cell.name)]);
  if (taken.has(name)) throw new CellProblem(`a cell named "${name}" exists in the system already`);
  const linux = !!options.linux;
  if (site.root.arch === 'x86')
    throw new CellProblem('x86 systems are not supported by `new cell` yet (port I/O ranges, IOAPIC pins and the x86 inmate layout); start from an x86 demo cell of the Jailhouse sources instead');
  const cpus = chooseCpus(site, options.cpus);
  if (!options.cpus) notes.push(`CPU ${cpus[0]}: the highest CPU no other cell takes (--cpus to choose)`);

  // Devices, page-rounded; rounding can join two devices in one page, so merge what overlaps.
  const devices = [...new Map((options.devices ?? []).map((n) => [resolveDevice(site, n), n])).keys()];
  const mine: PlannedRegion[] = [];
  for (const d of devices) {
    if (d.takenBy) throw new CellProblem(`device ${d.name} is taken by cell "${d.takenBy}" (its region there is not JAILHOUSE_MEM_ROOTSHARED)`);
    if (d.disabled) notes.push(`${d.name} is disabled in the board's device tree: it may not be wired or clocked on this board`);
    for (const w of d.windows) {
      const span = pageSpan(w.start, w.size);
      const same = mine.find((r) => overlap({ start: r.phys, end: r.phys + r.size }, span));
      if (same) {
        const start = same.phys < span.start ? same.phys : span.start;
        const end = same.phys + same.size > span.end ? same.phys + same.size : span.end;
        same.phys = same.virt = start;
        same.size = end - start;
        if (!same.comment.split(', ').includes(d.name)) same.comment += `, ${d.name}`;
      } else mine.push({ comment: d.name, phys: span.start, virt: span.start, size: span.end - span.start, flags: ['READ', 'WRITE', 'IO', 'ROOTSHARED'] });
    }
  }
  if (devices.length)
    notes.push(
      `${devices.map((d) => d.name).join(', ')}: mapped with JAILHOUSE_MEM_ROOTSHARED, so the root keeps ${devices.length > 1 ? 'them' : 'it'} too; stop root Linux from using ${devices.length > 1 ? 'these devices' : 'the device'} (disable ${devices.length > 1 ? 'their' : 'its'} device-tree node${devices.length > 1 ? 's' : ''} or unbind the driver) or both cells drive the same registers`,
    );
  if (devices.some((d) => d.source === 'root'))
    notes.push(`devices named after the root's regions carry no interrupts: add their SPIs to the irqchip yourself (or give --board so they are known)`);

  // Interrupts of the devices, minus those another cell owns.
  const spis = new Map<number, string>();
  for (const d of devices) {
    for (const n of d.irqs) {
      const owner = site.siblingSpis.get(n);
      if (owner) {
        notes.push(`SPI ${n} of ${d.name} belongs to cell "${owner}" and is left out: an interrupt has one owner`);
        continue;
      }
      if (site.rootSpis.size && !site.rootSpis.has(n)) notes.push(`SPI ${n} of ${d.name} is not in the root's irqchips: it is never returned to the root when this cell is destroyed`);
      spis.set(n, d.name);
    }
  }

  // The ivshmem link.
  const regions: PlannedRegion[] = [];
  let link: CellPlan['link'];
  let vpciIrqBase: number | undefined;
  const choice = site.links[0];
  if (choice) {
    const v = chooseVpciBase(site, choice, new Set(spis.keys()));
    if (!v) notes.push(`no ivshmem link: no SPI is free for its INTx interrupt (vpci_irq_base)`);
    else {
      link = { choice, regionsStart: 0 };
      regions.push(...linkRegions(choice));
      vpciIrqBase = v.base;
      spis.set(v.spi, `ivshmem ${bdfText(choice.bdf)} INTx`);
      notes.push(`ivshmem ${bdfText(choice.bdf)}: this cell is peer 1 of the root's link; its INTx is SPI ${v.spi} (vpci_irq_base ${v.base}${v.block ? ', the block the root keeps for this link' : ''})${site.board ? '' : ', not checked against the hardware\'s interrupts (give --board)'}${v.rootOwned ? '' : '; the root does not own that SPI, so it stays with no cell after this one is destroyed (irq-not-in-root)'}`);
    }
  } else if (site.root.pci_devices.some((d) => d.shmem_peers === 2n)) notes.push('no ivshmem link: every two-peer link of the root is taken by another cell');
  else notes.push('no ivshmem link: the root has no ivshmem device with two peers');

  regions.push(...mine);
  // Guest addresses the RAM must keep clear of: everything mapped 1:1 so far.
  const virtTaken = regions.map((r) => ({ start: r.virt, end: r.virt + r.size }));
  const ramSize = options.ramSize ?? (linux ? DEFAULT_RAM.linux : DEFAULT_RAM.inmate);
  const ram = placeRam(site, ramSize, linux, options.ramStart, virtTaken);
  const areaName = options.ramStart !== undefined ? `root RAM at ${hex(options.ramStart)}` : `the cell area "${site.cellArea?.$name?.trim() ?? ''}"`;
  if (linux) {
    regions.push({ comment: 'RAM: loader at guest address 0', phys: ram.loader!, virt: 0n, size: LOADER_SIZE, flags: ramFlags(false) });
    regions.push({ comment: 'RAM', phys: ram.main, virt: ram.main, size: ramSize, flags: ramFlags(true) });
  } else regions.push({ comment: 'RAM: the inmate image is loaded at guest address 0', phys: ram.main, virt: 0n, size: ramSize, flags: inmateRamFlags(ramSize) });
  notes.push(`RAM: ${sizeText(ramSize)} at ${hex(ram.main)} from ${areaName}${options.ramSize === undefined ? ' (--ram to choose the size)' : ''}`);
  if (options.ramStart !== undefined && !site.cellArea) notes.push(`RAM at ${hex(options.ramStart)} is root RAM: keep root Linux off it (a reserved-memory node or mem=), or creating the cell takes memory Linux uses`);
  regions.push({ comment: 'communication region', phys: 0n, virt: COMM_VIRT, size: PAGE, flags: ['READ', 'WRITE', 'COMM_REGION'] });

  // Console: the root's debug UART when the cell maps it.
  let console: Console | undefined;
  const rc = rootConsole(site.root);
  if (rc && mine.some((r) => r.phys <= rc.address && rc.address < r.phys + r.size)) console = site.root.system!.debug_console;
  else notes.push(`no console: the cell maps ${rc ? `no UART at the root's debug console ${hex(rc.address)}` : 'no debug console of the root'} (pass that UART with --device to print on it)`);

  const byBase = new Map<number, { intid: number; label: string }[]>();
  for (const [spi, label] of [...spis].sort((a, b) => a[0] - b[0])) {
    const intid = spi + 32;
    const base = 32 + Math.floor((intid - 32) / 128) * 128;
    byBase.set(base, [...(byBase.get(base) ?? []), { intid, label }]);
  }
  const irqchips = [...byBase].map(([pinBase, bits]) => ({ pinBase, bits }));

  notes.push(
    linux
      ? `load it with: jailhouse cell linux ${name}.cell Image -d ${name}.dtb -c "console=…" — the cell's device tree must describe its RAM at ${hex(ram.main)}, ${devices.length ? 'its devices' : 'no devices'}${link ? ' and the virtual PCI host at the system\'s pci_mmconfig_base' : ''}`
      : `load it with: jailhouse cell create ${name}.cell; jailhouse cell load ${name} IMAGE.bin; jailhouse cell start ${name} — the image runs from guest address 0`,
  );
  return { name, linux, cpus, regions, irqchips, gicd: site.root.system!.platform_info.arm.gicd_base, vpciIrqBase, link, console, notes };
}
