// Snippet blocks, written once: the server offers the section blocks as completions inside the
// matching array, and scripts/gen-syntax.ts writes all of them to snippets/jailhouse-cell.json.
import type { Arch } from '../core/model';
import type { SectionName } from '../schema';

export interface SnippetDef {
  name: string;
  prefix: string;
  description: string;
  /** Lines of the body, TextMate snippet syntax, tab-indented relative to the insertion line. */
  body: string[];
  /** The wrapper array whose braces it belongs in; undefined = a whole file. */
  section?: SectionName;
  /** Offered only in configs of these architectures (the defaults suit no other). */
  arch?: Arch[];
}

const REGION = [
  '/* ${1:name} */ {',
  '\t.phys_start = ${2:0x00000000},',
  '\t.virt_start = ${3:0x00000000},',
  '\t.size = ${4:0x00001000},',
  '\t.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE${5: | JAILHOUSE_MEM_IO},',
  '},',
];

export const SNIPPETS: SnippetDef[] = [
  {
    name: 'memory region',
    prefix: 'jh-region',
    description: 'A struct jailhouse_memory element with a name comment.',
    body: REGION,
    section: 'mem_regions',
  },
  {
    name: 'communication region',
    prefix: 'jh-comm-region',
    description: 'The communication page of a non-root cell.',
    body: [
      '/* communication region */ {',
      '\t.virt_start = ${1:0x80000000},',
      '\t.size = 0x00001000,',
      '\t.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |',
      '\t\tJAILHOUSE_MEM_COMM_REGION,',
      '},',
    ],
    section: 'mem_regions',
  },
  {
    name: 'ivshmem link regions',
    prefix: 'jh-ivshmem-regions',
    description: 'The shared-memory regions of an ivshmem-net link (state, read-write, two output sections).',
    body: ['/* ${1:ivshmem-net link} */', 'JAILHOUSE_SHMEM_NET_REGIONS(${2:0x00000000}, ${3:0}),'],
    section: 'mem_regions',
  },
  {
    name: 'irqchip',
    prefix: 'jh-irqchip',
    description: 'A struct jailhouse_irqchip element: the GIC distributor and the interrupts the cell owns (pin_base: the first interrupt ID of the bitmap).',
    arch: ['arm', 'arm64'],
    body: [
      '/* ${1:GIC} */ {',
      '\t.address = ${2:0x00000000},',
      '\t.pin_base = ${3:32},',
      '\t.pin_bitmap = {',
      '\t\t${4:0}, ${5:0}, ${6:0}, ${7:0},',
      '\t},',
      '},',
    ],
    section: 'irqchips',
  },
  {
    name: 'IOAPIC irqchip',
    prefix: 'jh-ioapic',
    description: 'A struct jailhouse_irqchip element on x86: an IOAPIC (id: its PCI source ID) and the pins the cell owns; pin_base stays 0.',
    body: [
      '/* ${1:IOAPIC} */ {',
      '\t.address = ${2:0xfec00000},',
      '\t.id = ${3:0xff00},',
      '\t.pin_bitmap = {',
      '\t\t${4:0}, ${5:0}, ${6:0}, ${7:0},',
      '\t},',
      '},',
    ],
    section: 'irqchips',
    arch: ['x86'],
  },
  {
    name: 'PCI device',
    prefix: 'jh-pci-device',
    description: 'A physical PCI device.',
    body: [
      '/* ${1:00:00.0} */ {',
      '\t.type = JAILHOUSE_PCI_TYPE_DEVICE,',
      '\t.domain = ${2:0x0000},',
      '\t.bdf = ${3:0x00},',
      '\t.bar_mask = {',
      '\t\t0x00000000, 0x00000000, 0x00000000,',
      '\t\t0x00000000, 0x00000000, 0x00000000,',
      '\t},',
      '},',
    ],
    section: 'pci_devices',
  },
  {
    name: 'ivshmem PCI device',
    prefix: 'jh-ivshmem-device',
    description: 'The virtual PCI device of an ivshmem link; pairs with the link regions.',
    body: [
      '/* ${1:00:01.0} ivshmem */ {',
      '\t.type = JAILHOUSE_PCI_TYPE_IVSHMEM,',
      '\t.domain = ${2:0},',
      '\t.bdf = ${3:1} << 3,',
      '\t.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,',
      '\t.shmem_regions_start = ${4:0},',
      '\t.shmem_dev_id = ${5:0},',
      '\t.shmem_peers = ${6:2},',
      '\t.shmem_protocol = ${7:JAILHOUSE_SHMEM_PROTO_VETH},',
      '},',
    ],
    section: 'pci_devices',
  },
  {
    name: 'root cell (system configuration)',
    prefix: 'jh-system',
    description: 'A complete system configuration: hypervisor memory, debug console, platform and root cell.',
    body: [
      '#include <jailhouse/types.h>',
      '#include <jailhouse/cell-config.h>',
      '',
      'struct {',
      '\tstruct jailhouse_system header;',
      '\t__u64 cpus[1];',
      '\tstruct jailhouse_memory mem_regions[1];',
      '\tstruct jailhouse_irqchip irqchips[1];',
      '} __attribute__((packed)) config = {',
      '\t.header = {',
      '\t\t.signature = JAILHOUSE_SYSTEM_SIGNATURE,',
      '\t\t.revision = JAILHOUSE_CONFIG_REVISION,',
      '\t\t.architecture = ${1|JAILHOUSE_ARM64,JAILHOUSE_ARM,JAILHOUSE_X86|},',
      '\t\t.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,',
      '\t\t.hypervisor_memory = {',
      '\t\t\t.phys_start = ${2:0x7fc00000},',
      '\t\t\t.size = ${3:0x00400000},',
      '\t\t},',
      '\t\t.debug_console = {',
      '\t\t\t.address = ${4:0x00000000},',
      '\t\t\t.size = 0x1000,',
      '\t\t\t.type = ${5:JAILHOUSE_CON_TYPE_PL011},',
      '\t\t\t.flags = JAILHOUSE_CON_ACCESS_MMIO | JAILHOUSE_CON_REGDIST_4,',
      '\t\t},',
      '\t\t.platform_info = {',
      '\t\t\t.arm = {',
      '\t\t\t\t.gic_version = ${6:3},',
      '\t\t\t\t.gicd_base = ${7:0x00000000},',
      '\t\t\t\t.gicr_base = ${8:0x00000000},',
      '\t\t\t\t.maintenance_irq = 25,',
      '\t\t\t},',
      '\t\t},',
      '\t\t.root_cell = {',
      '\t\t\t.name = "${9:root}",',
      '\t\t\t.cpu_set_size = sizeof(config.cpus),',
      '\t\t\t.num_memory_regions = ARRAY_SIZE(config.mem_regions),',
      '\t\t\t.num_irqchips = ARRAY_SIZE(config.irqchips),',
      '\t\t},',
      '\t},',
      '',
      '\t.cpus = {',
      '\t\t${10:0xf},',
      '\t},',
      '',
      '\t.mem_regions = {',
      ...REGION.map((l) => `\t\t${l}`),
      '\t},',
      '',
      '\t.irqchips = {',
      '\t\t/* GIC */ {',
      '\t\t\t.address = ${7},',
      '\t\t\t.pin_base = 32,',
      '\t\t\t.pin_bitmap = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },',
      '\t\t},',
      '\t},',
      '};',
      '$0',
    ],
  },
  {
    name: 'non-root cell',
    prefix: 'jh-cell',
    description: 'A complete non-root cell configuration with RAM, a UART and the communication region.',
    body: [
      '#include <jailhouse/types.h>',
      '#include <jailhouse/cell-config.h>',
      '',
      'struct {',
      '\tstruct jailhouse_cell_desc cell;',
      '\t__u64 cpus[1];',
      '\tstruct jailhouse_memory mem_regions[3];',
      '} __attribute__((packed)) config = {',
      '\t.cell = {',
      '\t\t.signature = JAILHOUSE_CELL_DESC_SIGNATURE,',
      '\t\t.revision = JAILHOUSE_CONFIG_REVISION,',
      '\t\t.architecture = ${1|JAILHOUSE_ARM64,JAILHOUSE_ARM,JAILHOUSE_X86|},',
      '\t\t.name = "${2:my-cell}",',
      '\t\t.flags = JAILHOUSE_CELL_PASSIVE_COMMREG,',
      '\t\t.cpu_set_size = sizeof(config.cpus),',
      '\t\t.num_memory_regions = ARRAY_SIZE(config.mem_regions),',
      '\t},',
      '',
      '\t.cpus = {',
      '\t\t${3:0x2},',
      '\t},',
      '',
      '\t.mem_regions = {',
      '\t\t/* UART */ {',
      '\t\t\t.phys_start = ${4:0x00000000},',
      '\t\t\t.virt_start = ${4},',
      '\t\t\t.size = 0x1000,',
      '\t\t\t.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |',
      '\t\t\t\tJAILHOUSE_MEM_IO | JAILHOUSE_MEM_ROOTSHARED,',
      '\t\t},',
      '\t\t/* RAM */ {',
      '\t\t\t.phys_start = ${5:0x00000000},',
      '\t\t\t.virt_start = 0,',
      '\t\t\t.size = ${6:0x01000000},',
      '\t\t\t.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |',
      '\t\t\t\tJAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,',
      '\t\t},',
      '\t\t/* communication region */ {',
      '\t\t\t.virt_start = 0x80000000,',
      '\t\t\t.size = 0x00001000,',
      '\t\t\t.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |',
      '\t\t\t\tJAILHOUSE_MEM_COMM_REGION,',
      '\t\t},',
      '\t},',
      '};',
      '$0',
    ],
  },
];

/**
 * The text a snippet leaves when every placeholder keeps its default (`${1:x}` → x, a choice
 * → its first option, a bare tab stop → its placeholder's default elsewhere, else nothing), as
 * an editor inserts it before the user types anything.
 */
export function snippetDefaults(snippet: string): string {
  const defaults = new Map<string, string>();
  // Two passes: a bare `$1` may come before the `${1:…}` that gives its text.
  parse(snippet, 0, defaults, false);
  return parse(snippet, 0, defaults, true).text;
}

function parse(s: string, i: number, defaults: Map<string, string>, final: boolean, stop?: string): { text: string; end: number } {
  let out = '';
  while (i < s.length) {
    const ch = s[i];
    if (stop && ch === stop) return { text: out, end: i };
    if (ch === '\\' && i + 1 < s.length && '$}\\,|'.includes(s[i + 1])) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const bare = /^\$(\d+|[A-Za-z_]\w*)/.exec(s.slice(i));
    if (bare) {
      out += defaults.get(bare[1]) ?? '';
      i += bare[0].length;
      continue;
    }
    const head = /^\$\{(\d+|[A-Za-z_]\w*)([:|}])/.exec(s.slice(i));
    if (!head) {
      out += ch;
      i++;
      continue;
    }
    const id = head[1];
    i += head[0].length;
    if (head[2] === '}') {
      out += defaults.get(id) ?? '';
    } else if (head[2] === '|') {
      const close = s.indexOf('|}', i);
      const first = s.slice(i, close < 0 ? s.length : close).split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
      if (!defaults.has(id) || !final) defaults.set(id, first);
      out += first;
      i = close < 0 ? s.length : close + 2;
    } else {
      const inner = parse(s, i, defaults, final, '}');
      if (!final) defaults.set(id, inner.text);
      out += inner.text;
      i = inner.end + 1;
    }
  }
  return { text: out, end: i };
}
