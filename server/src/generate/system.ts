// `jhcell new system`: a root cell config from a board description. The plan (carve-out,
// device regions, interrupts, virtual PCI, console) is made from the board's facts; the text
// is then read back by our engine so the hypervisor's size comes from the page-pool estimate
// of exactly this config (rules/hvPool.ts).
import type { Board } from '../boards/types';
import { analyze } from '../engine/analyze';
import { buildContext } from '../rules/context';
import { CELL_NAME_MAXLEN } from '../schema';
import { poolEstimate } from '../rules/hvPool';
import { hex, humanSize } from '../util/format';
import { chooseConsole } from './console';
import { GenerateError } from './errors';
import { planIoRegions } from './ioRegions';
import { CELL_VPCI_SPIS, irqchipsFor, spisOf, vpciIrqBase, type VpciSpis } from './irqs';
import { LINK_SLOT, planCarveOut, ramSpans, type CarveOut } from './layout';
import { keepLinuxOffNote } from './notes';
import { choosePciWindow, describeSpan, gicOf, gicWindows } from './platform';
import { MIB, PAGE, alignUp, sizeOf, spanOf } from './spans';
import type { GeneratedConfig, SystemOptions } from './types';
import { regionCount, writeSystem, type PlannedRegion, type SystemPlan } from './writer';

/** The least hypervisor memory generated: what the upstream ARM root cells reserve (4 MiB). */
export const HV_FLOOR = 4n * MIB;
/** The pool estimate counts the root alone; cells, their page tables and a larger image need room too. */
export const HV_MARGIN = 2n;

export const X86_REFUSED =
  'x86 root cells are not generated from a board: an x86 root must list every PCI device with its BARs and capabilities, ' +
  'the IOMMU units with their sizes, the ACPI PM timer port and the port ranges, and a board description has none of these. ' +
  'Run `jailhouse config create` on the target (it reads them from the running machine) and check the result with `jhcell check`';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
export const linkComment = (i: number) => `IVSHMEM: link ${i + 1} (root <-> ${ORDINALS[i] ? `${ORDINALS[i]} cell` : `cell ${i + 1}`})`;

function checkName(name: string): string {
  if (!name.length || name.length > CELL_NAME_MAXLEN) throw new GenerateError(`the cell name "${name}" must have 1 to ${CELL_NAME_MAXLEN} characters (JAILHOUSE_CELL_NAME_MAXLEN)`);
  if (!/^[\x20-\x7e]+$/.test(name) || /["\\]/.test(name)) throw new GenerateError(`the cell name "${name}" must be printable ASCII without quotes or backslashes`);
  return name;
}

interface Built {
  text: string;
  layout: CarveOut;
  notes: string[];
}

function build(board: Board, options: SystemOptions, hvSize: bigint): Built {
  const arch = board.arch as 'arm' | 'arm64';
  const gic = gicOf(board);
  const links = options.ivshmemLinks ?? 1;
  const name = checkName(options.name ?? board.id);
  const con = chooseConsole(board, options.console);
  const layout = planCarveOut(board.ram, { hypervisorSize: hvSize, cellRamSize: options.cellRamSize, links });
  const cpus = board.cpus.count;
  const gicWin = gicWindows(gic, cpus);
  const ram = ramSpans(board.ram);
  const allWindows = board.devices.flatMap((d) => d.reg.filter((w) => w.space !== 'pio').map((w) => spanOf(w.base, w.size)));
  const pciWindow = choosePciWindow([...ram, ...board.ram.map((w) => spanOf(w.base, w.size)), ...allWindows, ...gicWin.map((g) => g.span)]);
  const io = planIoRegions(board, [...board.ram.map((w) => ({ what: 'RAM', span: spanOf(w.base, w.size) })), ...gicWin, { what: 'the virtual PCI window', span: pciWindow }]);

  const regions: PlannedRegion[] = [
    ...layout.linuxRam.map((span): PlannedRegion => ({ kind: 'ram', span, comment: 'RAM' })),
    { kind: 'cells', span: layout.cells, comment: 'RAM for cells (kept from Linux)' } as PlannedRegion,
    ...layout.links.map((span, i): PlannedRegion => ({ kind: 'link', span, comment: linkComment(i), link: i })),
    ...io.regions.map((r): PlannedRegion => ({ kind: 'io', span: r.span, comment: r.devices.join(', ') })),
  ].sort((a, b) => (a.span.start < b.span.start ? -1 : 1));
  const starts = new Map<number, number>();
  let index = 0;
  for (const r of regions) {
    if (r.kind === 'link') starts.set(r.link, index);
    index += regionCount(r);
  }

  const vpci = vpciIrqBase(board, links);
  const enabled = board.devices.filter((d) => !d.disabled);
  // Every SPI the board names, disabled devices' too: a cell may take such a device (the
  // inmate demos' UART usually is one), and its line must come back to the root when the cell
  // is destroyed; root Linux requests no line of a disabled node, so owning it costs nothing.
  const intids = spisOf(board.devices).map((s) => s + 32);
  if (links > 0) for (let i = 0; i < Math.min(links, 4); i++) intids.push(32 + vpci.base + i);
  for (let i = 0; i < vpci.cellCount; i++) intids.push(32 + vpci.cellBase + i);
  const irqchips = irqchipsFor(intids);
  const maintenanceIrq = gic.maintenancePpi !== undefined ? 16 + gic.maintenancePpi : 25;
  const consoleSize = con.window.size < PAGE ? con.window.size : PAGE;
  const reservedLine = `Linux must be kept off ${describeSpan(layout.reserved)} (the notes of jhcell new system say how).`;
  const plan: SystemPlan = {
    banner: [
      `Jailhouse root cell for ${board.name}${board.soc ? ` (${board.soc})` : ''}.`,
      `Generated by jhcell new system from the board "${board.id}"; the board comes from: ${board.source.description}`,
      '',
      reservedLine,
    ],
    name,
    arch,
    hypervisor: layout.hypervisor,
    console: con,
    consoleSize,
    gic,
    maintenanceIrq,
    pciWindow,
    vpciBase: vpci.base,
    vpciNote: vpciComment(vpci),
    cpus,
    regions,
    irqchips,
    irqchipWhat: links > 0 ? 'devices, virtual PCI of the root and of the cells' : 'devices',
    links: layout.links.map((_, i) => ({ comment: linkComment(i), regionStart: starts.get(i)! })),
  };
  const text = writeSystem(plan);

  const notes: string[] = [keepLinuxOffNote(layout, board.arch)];
  notes.push(`Debug console: ${con.device.name} at ${hex(con.window.base)} (${con.why}; ${con.type}); --console NAME|LABEL|ADDRESS picks another.`);
  if (con.device.disabled) notes.push(`The console ${con.device.name} is disabled in the board's device tree: enable it there, or the hypervisor prints to a UART nobody set up.`);
  notes.push(
    `RAM for cells: ${humanSize(sizeOf(layout.cells))} at ${hex(layout.cells.start)}${sizeOf(layout.cells) !== layout.cellRamAsked ? ` (${humanSize(layout.cellRamAsked)} asked, grown to 2 MiB alignment)` : ''}; --cell-ram SIZE changes it. ` +
      `\`jhcell new cell\` takes the non-root cells' RAM from this region.`,
  );
  if (layout.links.length) {
    notes.push(
      `${layout.links.length} ivshmem-net link${layout.links.length > 1 ? 's' : ''} (root <-> one cell each) at ${layout.links.map((l) => hex(l.start)).join(', ')}, ${hex(LINK_SLOT - PAGE)} bytes each, as virtual PCI devices 0001:00:${layout.links.map((_, i) => `${i.toString(16).padStart(2, '0')}.0`).join(', 0001:00:')}; --ivshmem-links N changes how many.`,
    );
  } else notes.push('No ivshmem link: --ivshmem-links N prepares N root <-> cell network links.');
  notes.push(`Virtual PCI host: config space at ${hex(pciWindow.start)} (1 MiB: the highest MiB below 4 GiB where the board lists no RAM and no device; hardware the device tree does not describe cannot be checked).`);
  const lastSpi = vpci.cellBase + vpci.cellCount - 1;
  const cellsPart = vpci.cellCount
    ? `; SPIs ${vpci.cellBase}..${lastSpi} are the root's too, kept for the cells' virtual PCI INTx (${CELL_VPCI_SPIS} per link: the cell on link k takes vpci_irq_base ${vpci.cellBase} + ${CELL_VPCI_SPIS}k, as \`jhcell new cell\` does), so each line comes back to the root when its cell is destroyed`
    : '';
  notes.push(
    vpci.beyondUsed
      ? `vpci_irq_base ${vpci.base}${cellsPart}: no ${4 + vpci.cellCount} free SPIs in a row lie between the board's, so the ones above the highest used are taken; check that the GIC implements SPI ${lastSpi < vpci.base + 3 ? vpci.base + 3 : lastSpi} (GICD_TYPER.ITLinesNumber).`
      : `vpci_irq_base ${vpci.base}: SPIs ${vpci.base}..${vpci.base + 3} are the root's virtual PCI INTx${cellsPart}; no device of the board uses any of them (lines wired to hardware the device tree omits cannot be seen).`,
  );
  if (gic.maintenancePpi === undefined) notes.push('The board does not give the GIC maintenance interrupt: 25 (PPI 9) is written, which every ARM board upstream uses.');
  const noWindow = enabled.filter((d) => !d.reg.some((w) => w.space !== 'pio'));
  if (noWindow.length) notes.push(`Devices without a register window (interrupts only, nothing to map): ${noWindow.map((d) => d.name).join(', ')}.`);
  const disabled = board.devices.filter((d) => d.disabled);
  if (disabled.length) notes.push(`Disabled in the device tree, so not mapped (their SPIs are the root's, so a cell may take one): ${disabled.map((d) => d.name).join(', ')}. Enable one there and add its region.`);
  notes.push(...io.skipped.map((s) => `${s}.`));
  return { text, layout, notes };
}

/** The comment above the root's vpci_irq_base: its own INTx lines and the cells' block after them. */
function vpciComment(v: VpciSpis): string {
  const own = `virtual PCI INTx: SPIs ${v.base}..${v.base + 3} (INTIDs ${v.base + 32}..${v.base + 35})`;
  if (!v.cellCount) return `${own}, used by no device of the board`;
  const last = v.cellBase + v.cellCount - 1;
  return `${own}; SPIs ${v.cellBase}..${last} (INTIDs ${v.cellBase + 32}..${last + 32}) are kept for the cells' virtual PCI INTx, ${CELL_VPCI_SPIS} per ivshmem link (link k: vpci_irq_base ${v.cellBase} + ${CELL_VPCI_SPIS}k); no device of the board uses any of them`;
}

/** Pages the hypervisor needs for this config alone (rules/hvPool.ts), or undefined when the text does not read back. */
function estimate(fileName: string, text: string): { bytes: bigint; pages: number } | undefined {
  const analysis = analyze(fileName, text);
  if (!analysis.model) return undefined;
  const est = poolEstimate(buildContext({ root: analysis, cells: [] }));
  return est && { bytes: est.bytes, pages: est.pages };
}

export function generateSystem(board: Board, options: SystemOptions = {}): GeneratedConfig {
  if (board.arch === 'x86') throw new GenerateError(`${board.id}: ${X86_REFUSED}`);
  if (!board.ram.length) throw new GenerateError(`the board ${board.id} lists no RAM: there is nothing to carve the hypervisor and the cells' RAM from`);
  const fileName = `${(options.name ?? board.id).toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}.c`;
  let hvSize = options.hypervisorSize ?? HV_FLOOR;
  let built = build(board, options, hvSize);
  const est = estimate(fileName, built.text);
  let hvNote: string;
  if (options.hypervisorSize !== undefined) {
    hvNote = `Hypervisor memory: ${humanSize(hvSize)} at ${hex(built.layout.hypervisor.start)} (--hypervisor-size)${est ? `; the page-pool floor of this root alone is ${humanSize(est.bytes)} (${est.pages} pages)` : ''}.`;
    if (est && est.bytes > hvSize) hvNote += ' That is less than the floor: `jailhouse enable` will fail.';
  } else if (est) {
    const wanted = alignUp(est.bytes * HV_MARGIN, MIB);
    if (wanted > hvSize) {
      hvSize = wanted;
      built = build(board, options, hvSize);
    }
    hvNote =
      `Hypervisor memory: ${humanSize(hvSize)} at the top, ${hex(built.layout.hypervisor.start)}: the page-pool floor of this root is ${humanSize(est.bytes)} (${est.pages} pages); ` +
      `${HV_MARGIN}x that, at least ${humanSize(HV_FLOOR)}, leaves room for the hypervisor image and the non-root cells. --hypervisor-size SIZE overrides.`;
  } else {
    hvNote = `Hypervisor memory: ${humanSize(hvSize)} at ${hex(built.layout.hypervisor.start)}; the page-pool estimate could not be made (the generated text did not read back), so the floor size is used.`;
  }
  const notes = [built.notes[0], hvNote, ...built.notes.slice(1)];
  return { text: built.text, fileName, notes };
}
