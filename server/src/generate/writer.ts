// The C text of a planned root cell, written as the upstream configs are: tabs, designated
// initializers, JAILHOUSE_* names instead of numbers, hex addresses and sizes, explicit array
// counts in the wrapper struct, a comment naming what every region and irqchip is for.
import type { GicController } from '../boards/types';
import type { ConsoleChoice } from './console';
import type { IrqchipPlan } from './irqs';
import { sizeOf, type Span } from './spans';

export type PlannedRegion =
  | { kind: 'ram' | 'io' | 'cells'; span: Span; comment: string }
  /** An ivshmem link: four regions (JAILHOUSE_SHMEM_NET_REGIONS). */
  | { kind: 'link'; span: Span; comment: string; link: number };

export interface SystemPlan {
  /** Header comment lines (without comment markers). */
  banner: string[];
  name: string;
  arch: 'arm' | 'arm64';
  hypervisor: Span;
  console: ConsoleChoice;
  consoleSize: bigint;
  gic: GicController;
  maintenanceIrq: number;
  pciWindow: Span;
  vpciBase: number;
  vpciNote: string;
  cpus: number;
  regions: PlannedRegion[];
  irqchips: IrqchipPlan[];
  /** What the irqchips' SPIs are for, for their comment. */
  irqchipWhat: string;
  /** ivshmem links, in device order: the comment and where its four regions start. */
  links: { comment: string; regionStart: number }[];
}

const h = (v: bigint) => `0x${v.toString(16)}`;
/** Text that can sit inside a C comment. */
export const commentText = (s: string) => s.replace(/\*\//g, '* /').replace(/[\r\n]+/g, ' ');
export const regionCount = (p: PlannedRegion) => (p.kind === 'link' ? 4 : 1);

const FLAGS: Record<'ram' | 'io' | 'cells', string[]> = {
  ram: ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_EXECUTE'],
  io: ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_IO'],
  cells: ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_EXECUTE', 'JAILHOUSE_MEM_DMA'],
};

function flags(names: string[], indent: string): string {
  // Two names a line, as the upstream configs wrap them.
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += 2) lines.push(names.slice(i, i + 2).join(' | '));
  return lines.join(` |\n${indent}\t`);
}

function region(p: PlannedRegion): string {
  if (p.kind === 'link') return `\t\t/* ${commentText(p.comment)} */\n\t\tJAILHOUSE_SHMEM_NET_REGIONS(${h(p.span.start)}, 0),\n`;
  return (
    `\t\t/* ${commentText(p.comment)} */ {\n` +
    `\t\t\t.phys_start = ${h(p.span.start)},\n` +
    `\t\t\t.virt_start = ${h(p.span.start)},\n` +
    `\t\t\t.size = ${h(sizeOf(p.span))},\n` +
    `\t\t\t.flags = ${flags(FLAGS[p.kind], '\t\t\t')},\n` +
    `\t\t},\n`
  );
}

function irqchip(c: IrqchipPlan, gicd: bigint, what: string): string {
  const words = c.bitmap.map((w) => `0x${w.toString(16).padStart(8, '0')}`).join(', ');
  const first = c.intids[0];
  const last = c.intids[c.intids.length - 1];
  return (
    `\t\t/* GIC: ${c.intids.length} SPI${c.intids.length === 1 ? '' : 's'} (${what}), INTIDs ${first}${first === last ? '' : `..${last}`} */ {\n` +
    `\t\t\t.address = ${h(gicd)},\n` +
    `\t\t\t.pin_base = ${c.pinBase},\n` +
    `\t\t\t.pin_bitmap = {\n\t\t\t\t${words},\n\t\t\t},\n` +
    `\t\t},\n`
  );
}

function cpuWords(count: number): string[] {
  const words: string[] = [];
  for (let i = 0; i < count; i += 64) {
    const n = Math.min(64, count - i);
    words.push(h(n === 64 ? (1n << 64n) - 1n : (1n << BigInt(n)) - 1n));
  }
  return words;
}

export function writeSystem(p: SystemPlan): string {
  const memCount = p.regions.reduce((n, r) => n + regionCount(r), 0);
  const g = p.gic;
  const arm: string[] = [`\t\t\t\t.gic_version = ${g.version},`, `\t\t\t\t.gicd_base = ${h(g.gicd)},`];
  if (g.version === 2 || g.gicc !== undefined) for (const k of ['gicc', 'gich', 'gicv'] as const) if (g[k] !== undefined) arm.push(`\t\t\t\t.${k}_base = ${h(g[k]!)},`);
  if (g.gicr !== undefined) arm.push(`\t\t\t\t.gicr_base = ${h(g.gicr)},`);
  arm.push(`\t\t\t\t.maintenance_irq = ${p.maintenanceIrq},`);
  const members = [
    '\tstruct jailhouse_system header;',
    `\t__u64 cpus[${cpuWords(p.cpus).length}];`,
    `\tstruct jailhouse_memory mem_regions[${memCount}];`,
  ];
  if (p.irqchips.length) members.push(`\tstruct jailhouse_irqchip irqchips[${p.irqchips.length}];`);
  if (p.links.length) members.push(`\tstruct jailhouse_pci_device pci_devices[${p.links.length}];`);
  const rootCell = [
    `\t\t\t.name = "${p.name}",`,
    '',
    '\t\t\t.cpu_set_size = sizeof(config.cpus),',
    '\t\t\t.num_memory_regions = ARRAY_SIZE(config.mem_regions),',
  ];
  if (p.irqchips.length) rootCell.push('\t\t\t.num_irqchips = ARRAY_SIZE(config.irqchips),');
  if (p.links.length) rootCell.push('\t\t\t.num_pci_devices = ARRAY_SIZE(config.pci_devices),');
  rootCell.push(`\t\t\t/* ${commentText(p.vpciNote)} */`, `\t\t\t.vpci_irq_base = ${p.vpciBase},`);
  const pci = p.links.map(
    (l, i) =>
      `\t\t/* ${commentText(l.comment)} */ {\n` +
      '\t\t\t.type = JAILHOUSE_PCI_TYPE_IVSHMEM,\n' +
      '\t\t\t.domain = 1,\n' +
      `\t\t\t.bdf = ${i} << 3,\n` +
      '\t\t\t.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,\n' +
      `\t\t\t.shmem_regions_start = ${l.regionStart},\n` +
      '\t\t\t.shmem_dev_id = 0,\n' +
      '\t\t\t.shmem_peers = 2,\n' +
      '\t\t\t.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,\n' +
      '\t\t},\n',
  );
  const c = p.console;
  return [
    '/*',
    ...p.banner.map((l) => (l ? ` * ${commentText(l)}` : ' *')),
    ' */',
    '',
    '#include <jailhouse/types.h>',
    '#include <jailhouse/cell-config.h>',
    '',
    'struct {',
    ...members,
    '} __attribute__((packed)) config = {',
    '\t.header = {',
    '\t\t.signature = JAILHOUSE_SYSTEM_SIGNATURE,',
    '\t\t.revision = JAILHOUSE_CONFIG_REVISION,',
    `\t\t.architecture = ${p.arch === 'arm64' ? 'JAILHOUSE_ARM64' : 'JAILHOUSE_ARM'},`,
    '\t\t.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,',
    '\t\t.hypervisor_memory = {',
    `\t\t\t.phys_start = ${h(p.hypervisor.start)},`,
    `\t\t\t.size = ${h(sizeOf(p.hypervisor))},`,
    '\t\t},',
    `\t\t/* ${commentText(c.device.name)} */`,
    '\t\t.debug_console = {',
    `\t\t\t.address = ${h(c.window.base)},`,
    `\t\t\t.size = ${h(p.consoleSize)},`,
    `\t\t\t.type = ${c.type},`,
    `\t\t\t.flags = ${flags(c.flags, '\t\t\t')},`,
    '\t\t},',
    '\t\t.platform_info = {',
    `\t\t\t/* virtual PCI host: bus 0 only, 1 MiB of config space no device or RAM uses */`,
    `\t\t\t.pci_mmconfig_base = ${h(p.pciWindow.start)},`,
    '\t\t\t.pci_mmconfig_end_bus = 0,',
    '\t\t\t.pci_is_virtual = 1,',
    '\t\t\t.pci_domain = 1,',
    '',
    '\t\t\t.arm = {',
    ...arm,
    '\t\t\t},',
    '\t\t},',
    '\t\t.root_cell = {',
    ...rootCell,
    '\t\t},',
    '\t},',
    '',
    '\t.cpus = {',
    ...cpuWords(p.cpus).map((w) => `\t\t${w},`),
    '\t},',
    '',
    '\t.mem_regions = {',
    p.regions.map(region).join('').replace(/\n$/, ''),
    '\t},',
    ...(p.irqchips.length ? ['', '\t.irqchips = {', p.irqchips.map((x) => irqchip(x, g.gicd, p.irqchipWhat)).join('').replace(/\n$/, ''), '\t},'] : []),
    ...(p.links.length ? ['', '\t.pci_devices = {', pci.join('').replace(/\n$/, ''), '\t},'] : []),
    '};',
    '',
  ].join('\n');
}
