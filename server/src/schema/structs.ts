// THE description of the Jailhouse configuration structs (configuration revision 14).
// Evaluator, binary encoder/decoder, hover, completion and grammar all read this table;
// a field is described here and nowhere else.
import { CELL_NAME_MAXLEN } from './constants';
import type { FieldDef, StructDef, TypeRef } from './types';

const u8: TypeRef = { kind: 'int', int: 'u8' };
const u16: TypeRef = { kind: 'int', int: 'u16' };
const u32: TypeRef = { kind: 'int', int: 'u32' };
const u64: TypeRef = { kind: 'int', int: 'u64' };
const struct = (name: string): TypeRef => ({ kind: 'struct', name });
const array = (of: TypeRef, length: number): TypeRef => ({ kind: 'array', of, length });

function f(name: string, type: TypeRef, doc: string, extra: Partial<FieldDef> = {}): FieldDef {
  return { name, type, doc, ...extra };
}
const hex = { display: 'hex' as const };

export const STRUCTS: StructDef[] = [
  {
    name: 'jailhouse_memory',
    cName: 'struct jailhouse_memory',
    doc: 'A memory region mapped into a cell (32 bytes).',
    fields: [
      f('phys_start', u64, 'Host-physical start address; page aligned unless the region is sub-page. Ignored for COMM_REGION.', hex),
      f('virt_start', u64, 'Guest-physical start address as the cell sees it; equals phys_start in the root cell.', hex),
      f('size', u64, 'Length in bytes; a multiple of 4 KiB unless the region is sub-page (trapped and emulated). 0 maps nothing.', hex),
      f('flags', u64, 'Access rights and properties: JAILHOUSE_MEM_* flags.', { ...hex, constants: 'mem-flags' }),
    ],
  },
  {
    name: 'jailhouse_cache',
    cName: 'struct jailhouse_cache',
    doc: 'An Intel CAT L3 cache partition (12 bytes).',
    fields: [
      f('start', u32, 'First bit of the L3 capacity bitmask.', hex),
      f('size', u32, 'Number of capacity bitmask bits; must be > 0.', hex),
      f('type', u8, 'Which cache: must be JAILHOUSE_CACHE_L3.', { constants: 'cache-type' }),
      f('padding', u8, 'Unused, 0.'),
      f('flags', u16, 'JAILHOUSE_CACHE_ROOTSHARED to keep the root partition unchanged.', { ...hex, constants: 'cache-flags' }),
    ],
  },
  {
    name: 'jailhouse_irqchip',
    cName: 'struct jailhouse_irqchip',
    doc: 'Interrupt lines of one interrupt controller given to the cell (32 bytes).',
    fields: [
      f('address', u64, 'MMIO base of the interrupt controller: the GIC distributor (must equal gicd_base) on ARM, the IOAPIC on x86.', hex),
      f('id', u32, 'x86 Intel: IOAPIC source-id (BDF) in bits 0-15, IOMMU unit index above; unused on ARM and AMD.'),
      f('pin_base', u32, 'Interrupt described by bit 0 of pin_bitmap: a multiple of 32, at most 896 on ARM (GIC INTID); 0 on x86.'),
      f('pin_bitmap', array({ kind: 'int', int: 'u32' }, 4), '128 interrupt bits: word w, bit b = interrupt pin_base + 32*w + b.', hex),
    ],
  },
  {
    name: 'jailhouse_pio',
    cName: 'struct jailhouse_pio',
    doc: 'An x86 port I/O range the cell may access (4 bytes).',
    fields: [
      f('base', u16, 'First I/O port.', hex),
      f('length', u16, 'Number of ports; base + length must not exceed 0x10000.', hex),
    ],
  },
  {
    name: 'jailhouse_pci_device',
    cName: 'struct jailhouse_pci_device',
    doc: 'A PCI device (physical, bridge or virtual ivshmem) the cell may access (56 bytes).',
    fields: [
      f('type', u8, 'JAILHOUSE_PCI_TYPE_DEVICE, _BRIDGE or _IVSHMEM.', { constants: 'pci-type' }),
      f('iommu', u8, 'x86: index into iommu_units of the unit translating this device.'),
      f('domain', u16, 'PCI segment/domain as Linux numbers it.'),
      f('bdf', u16, 'Bus[15:8] device[7:3] function[2:0]; ivshmem peers are linked by equal bdf.'),
      f('bar_mask', array(u32, 6), 'Per BAR, the bits the cell may change (BAR sizing emulation); JAILHOUSE_IVSHMEM_BAR_MASK_* for ivshmem.', hex),
      f('caps_start', u16, 'Index of this device\'s first entry in pci_caps.'),
      f('num_caps', u16, 'Number of capability entries of this device.'),
      f('num_msi_vectors', u8, 'MSI vectors the device supports; 0 = no MSI.'),
      f('msi_64bits', { kind: 'bits', int: 'u8', width: 1 }, 'The MSI capability is 64-bit capable (0 or 1).'),
      f('msi_maskable', { kind: 'bits', int: 'u8', width: 1 }, 'The MSI capability supports per-vector masking (0 or 1).'),
      f('num_msix_vectors', u16, 'MSI-X table size; at most 16 for ivshmem.'),
      f('msix_region_size', u16, 'Bytes of MSI-X table to intercept; at least 16 per vector.', hex),
      f('msix_address', u64, 'Physical address of the MSI-X table; 0 = none.', hex),
      f('shmem_regions_start', u32, 'ivshmem: index of the first shared-memory region in this cell\'s mem_regions.'),
      f('shmem_dev_id', u8, 'ivshmem: this cell\'s peer number on the link (< shmem_peers, < 12).'),
      f('shmem_peers', u8, 'ivshmem: maximum number of peers on the link (1..12).'),
      f('shmem_protocol', u16, 'ivshmem: protocol shown as PCI sub-class/prog-if: JAILHOUSE_SHMEM_PROTO_*.', { ...hex, constants: 'shmem-proto' }),
    ],
  },
  {
    name: 'jailhouse_pci_capability',
    cName: 'struct jailhouse_pci_capability',
    doc: 'A PCI capability (config-space range) of a device (8 bytes).',
    fields: [
      f('id', u16, 'Capability ID (PCI_CAP_ID_*), OR JAILHOUSE_PCI_EXT_CAP for extended ones; 0 = plain register range.', { constants: 'pci-cap-id' }),
      f('start', u16, 'Config-space offset.', hex),
      f('len', u16, 'Length in bytes.', hex),
      f('flags', u16, 'JAILHOUSE_PCICAPS_WRITE if the cell may write this range.', { ...hex, constants: 'pcicaps-flags' }),
    ],
  },
  {
    name: 'jailhouse_stream_id_mmu500',
    doc: 'ARM MMU-500 stream match register.',
    fields: [
      f('id', u16, 'MMU-500 stream ID (bits 0-14).', hex),
      f('mask_out', u16, 'MMU-500 SMR mask: set bits are "don\'t care" (bits 0-14).', hex),
    ],
  },
  {
    name: 'jailhouse_stream_id',
    cName: 'union jailhouse_stream_id',
    union: true,
    doc: 'A DMA stream ID (SMMUv3 stream, PVU virt-ID or MMU-500 SMR) (4 bytes).',
    fields: [
      f('id', u32, 'Stream ID (SMMUv3) or PVU virtual ID 0..7.'),
      f('mmu500', struct('jailhouse_stream_id_mmu500'), 'MMU-500 view: id and mask_out.'),
    ],
  },
  {
    name: 'jailhouse_console',
    cName: 'struct jailhouse_console',
    doc: 'A console UART or framebuffer (32 bytes).',
    fields: [
      f('address', u64, 'MMIO physical address, or I/O port for PIO consoles.', hex),
      f('size', u32, 'Length of the MMIO window to map.', hex),
      f('type', u16, 'Device kind: JAILHOUSE_CON_TYPE_*.', { constants: 'con-type' }),
      f('flags', u16, 'Access mode and quirks: JAILHOUSE_CON_* flags.', { ...hex, constants: 'con-flags' }),
      f('divider', u32, 'Baud-rate divisor to program; 0 keeps what firmware set up.'),
      f('gate_nr', u32, 'Bit number in the clock-gate register (used when clock_reg is set).'),
      f('clock_reg', u64, 'Physical address of a 32-bit clock-gate register; 0 = none.', hex),
    ],
  },
  {
    name: 'jailhouse_cell_desc',
    cName: 'struct jailhouse_cell_desc',
    doc: 'A cell description (132 bytes): the header of a cell config, and root_cell of a system config.',
    fields: [
      f('signature', { kind: 'char', length: 5 }, 'Magic "JHCLL": JAILHOUSE_CELL_DESC_SIGNATURE (unchecked inside a system config).'),
      f('architecture', u8, 'Target architecture: JAILHOUSE_X86, JAILHOUSE_ARM or JAILHOUSE_ARM64.', { constants: 'arch' }),
      f('revision', u16, 'Layout revision: JAILHOUSE_CONFIG_REVISION (14).'),
      f('name', { kind: 'char', length: CELL_NAME_MAXLEN + 1 }, `Cell name: up to ${CELL_NAME_MAXLEN} characters, unique among all cells including the root.`),
      f('id', u32, 'Cell id; leave 0 (the driver assigns ids of non-root cells).'),
      f('flags', u32, 'Cell flags: JAILHOUSE_CELL_*.', { ...hex, constants: 'cell-flags' }),
      f('cpu_set_size', u32, 'Size in bytes of the cpus array: sizeof(config.cpus).'),
      f('num_memory_regions', u32, 'Number of mem_regions: ARRAY_SIZE(config.mem_regions).'),
      f('num_cache_regions', u32, 'Number of cache_regions (0 or 1, Intel CAT).'),
      f('num_irqchips', u32, 'Number of irqchips: ARRAY_SIZE(config.irqchips).'),
      f('num_pio_regions', u32, 'Number of pio_regions (x86 only).'),
      f('num_pci_devices', u32, 'Number of pci_devices: ARRAY_SIZE(config.pci_devices).'),
      f('num_pci_caps', u32, 'Number of pci_caps.'),
      f('num_stream_ids', u32, 'Number of stream_ids (arm64 with SMMU/PVU).'),
      f('vpci_irq_base', u32, 'ARM: first SPI (INTID - 32) of virtual PCI INTx; device dd raises INTID 32 + vpci_irq_base + (dd & 3).'),
      f('cpu_reset_address', u64, 'Entry point of the cell\'s first CPU (guest-physical PC on ARM, real-mode start on x86).', hex),
      f('msg_reply_timeout', u64, 'Polling iterations to wait for the cell to answer a message; 0 = forever.'),
      f('console', struct('jailhouse_console'), 'Console the cell\'s own software should use (passed through the communication region).'),
    ],
  },
  {
    name: 'jailhouse_iommu_amd',
    doc: 'AMD-Vi unit data.',
    fields: [
      f('bdf', u16, 'PCI BDF of the AMD IOMMU function.'),
      f('base_cap', u8, 'Config-space offset of its IOMMU capability.', hex),
      f('msi_cap', u8, 'Config-space offset of its MSI capability.', hex),
      f('features', u32, 'Feature word from the ACPI IVHD entry; 0 = read from hardware.', hex),
    ],
  },
  {
    name: 'jailhouse_iommu_tipvu',
    doc: 'TI PVU unit data.',
    fields: [
      f('tlb_base', u64, 'Base of the PVU TLB register block.', hex),
      f('tlb_size', u32, 'Size of the PVU TLB register block.', hex),
    ],
  },
  {
    name: 'jailhouse_iommu_union',
    union: true,
    doc: 'Type-specific IOMMU data.',
    fields: [
      f('amd', struct('jailhouse_iommu_amd'), 'AMD-Vi data (type JAILHOUSE_IOMMU_AMD).'),
      f('tipvu', struct('jailhouse_iommu_tipvu'), 'TI PVU data (type JAILHOUSE_IOMMU_PVU).'),
    ],
  },
  {
    name: 'jailhouse_iommu',
    cName: 'struct jailhouse_iommu',
    doc: 'An IOMMU / SMMU / PVU unit (28 bytes).',
    fields: [
      f('type', u32, 'Kind of unit: JAILHOUSE_IOMMU_*; 0 = unused slot.', { constants: 'iommu-type' }),
      f('base', u64, 'MMIO base of the unit; the hypervisor stops at the first unit with base 0.', hex),
      f('size', u32, 'MMIO size of the unit.', hex),
      f('', struct('jailhouse_iommu_union'), 'Type-specific data.', { anonymous: true }),
    ],
  },
  {
    name: 'jailhouse_x86_platform',
    doc: 'x86 platform data.',
    fields: [
      f('pm_timer_address', u16, 'I/O port of the ACPI PM timer; 0 = none.', hex),
      f('apic_mode', u8, 'JAILHOUSE_APIC_MODE_AUTO, _XAPIC or _X2APIC.', { constants: 'apic-mode' }),
      f('padding', u8, 'Unused, 0.'),
      f('vtd_interrupt_limit', u32, 'Interrupt-remapping entries Jailhouse manages (Intel); at most 32768.'),
      f('tsc_khz', u32, 'TSC frequency in kHz; 0 = the driver fills in Linux\'s value.'),
      f('apic_khz', u32, 'Local APIC timer frequency in kHz; 0 = the driver fills in Linux\'s value.'),
    ],
  },
  {
    name: 'jailhouse_arm_platform',
    doc: 'ARM GIC platform data.',
    fields: [
      f('maintenance_irq', u8, 'GIC maintenance PPI used by the hypervisor (25 on every known board).'),
      f('gic_version', u8, 'GIC architecture version: 2 or 3.'),
      f('padding', array(u8, 2), 'Unused, 0.'),
      f('gicd_base', u64, 'GIC distributor base (required).', hex),
      f('gicc_base', u64, 'GIC CPU interface base (GICv2).', hex),
      f('gich_base', u64, 'GIC virtual interface control base (GICv2).', hex),
      f('gicv_base', u64, 'GIC virtual CPU interface base (GICv2).', hex),
      f('gicr_base', u64, 'First GIC redistributor (GICv3).', hex),
    ],
  },
  {
    name: 'jailhouse_platform_union',
    union: true,
    doc: 'Architecture-specific platform data.',
    fields: [
      f('x86', struct('jailhouse_x86_platform'), 'x86 platform data.'),
      f('arm', struct('jailhouse_arm_platform'), 'ARM / ARM64 GIC platform data.'),
    ],
  },
  {
    name: 'jailhouse_platform_info',
    doc: 'Platform description: PCI, IOMMUs, GIC or x86 data (280 bytes).',
    fields: [
      f('pci_mmconfig_base', u64, 'Physical base of PCI ECAM/MMCONFIG space (real or virtual); 0 = none.', hex),
      f('pci_mmconfig_end_bus', u8, 'Last bus covered by MMCONFIG; the window is (end_bus + 1) MiB.'),
      f('pci_is_virtual', u8, '1 = no physical host controller: the driver creates a virtual ECAM host in root Linux.'),
      f('pci_domain', u16, 'PCI domain of that virtual host in root Linux; -1 (0xffff) lets Linux choose.'),
      f('iommu_units', array(struct('jailhouse_iommu'), 8), 'IOMMU / SMMU / PVU units; the list ends at the first unit with base 0.'),
      f('', struct('jailhouse_platform_union'), 'Architecture-specific part.', { anonymous: true }),
    ],
  },
  {
    name: 'jailhouse_system',
    cName: 'struct jailhouse_system',
    doc: 'The system configuration header (488 bytes): hypervisor, platform and root cell.',
    fields: [
      f('signature', { kind: 'char', length: 5 }, 'Magic "JHSYS": JAILHOUSE_SYSTEM_SIGNATURE.'),
      f('architecture', u8, 'Target architecture: JAILHOUSE_X86, JAILHOUSE_ARM or JAILHOUSE_ARM64.', { constants: 'arch' }),
      f('revision', u16, 'Layout revision: JAILHOUSE_CONFIG_REVISION (14).'),
      f('flags', u32, 'System flags: JAILHOUSE_SYS_*.', { ...hex, constants: 'sys-flags' }),
      f('hypervisor_memory', struct('jailhouse_memory'), 'Physical RAM reserved for the hypervisor (phys_start and size are used).'),
      f('debug_console', struct('jailhouse_console'), 'UART or framebuffer the hypervisor prints to.'),
      f('platform_info', struct('jailhouse_platform_info'), 'Platform description: PCI, IOMMUs, GIC or x86 data.'),
      f('root_cell', struct('jailhouse_cell_desc'), 'Description of the root cell.'),
    ],
  },
];

/** Element types of the wrapper members after the header, in the order the image holds them. */
export const WRAPPER_SECTIONS = [
  { member: 'cpus', elem: 'u64', count: 'cpu_set_size', doc: 'CPU bitmap words: bit n = Linux logical CPU n.' },
  { member: 'mem_regions', elem: 'jailhouse_memory', count: 'num_memory_regions', doc: 'Memory regions of the cell.' },
  { member: 'cache_regions', elem: 'jailhouse_cache', count: 'num_cache_regions', doc: 'Cache partitions (Intel CAT).' },
  { member: 'irqchips', elem: 'jailhouse_irqchip', count: 'num_irqchips', doc: 'Interrupt controllers and the pins the cell owns.' },
  { member: 'pio_regions', elem: 'jailhouse_pio', count: 'num_pio_regions', doc: 'x86 port I/O ranges.' },
  { member: 'pci_devices', elem: 'jailhouse_pci_device', count: 'num_pci_devices', doc: 'PCI devices.' },
  { member: 'pci_caps', elem: 'jailhouse_pci_capability', count: 'num_pci_caps', doc: 'PCI capabilities.' },
  { member: 'stream_ids', elem: 'jailhouse_stream_id', count: 'num_stream_ids', doc: 'DMA stream IDs (SMMU / PVU).' },
] as const;

export type SectionName = (typeof WRAPPER_SECTIONS)[number]['member'];

/** C type names usable in the wrapper declaration and their meaning. */
export const C_INT_TYPES: Record<string, TypeRef> = {
  u8: u8, __u8: u8, u16: u16, __u16: u16, u32: u32, __u32: u32, u64: u64, __u64: u64,
  s8: { kind: 'int', int: 's8' }, __s8: { kind: 'int', int: 's8' },
  s16: { kind: 'int', int: 's16' }, __s16: { kind: 'int', int: 's16' },
  s32: { kind: 'int', int: 's32' }, __s32: { kind: 'int', int: 's32' },
  s64: { kind: 'int', int: 's64' }, __s64: { kind: 'int', int: 's64' },
};
