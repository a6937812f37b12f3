// Every integer constant of <jailhouse/cell-config.h>, console.h and pci_defs.h, grouped by the
// fields that take them. The built-in header text, hover decoding, completion and the grammar's
// constant list are generated from this table.
import type { ArchName, ConstantDef, ConstantGroup } from './types';

export const CONSTANT_GROUPS: ConstantGroup[] = [
  { id: 'arch', kind: 'enum', doc: 'Target architecture' },
  { id: 'misc', kind: 'enum', doc: 'Identification and limits' },
  { id: 'cell-flags', kind: 'flags', doc: 'Cell flags' },
  { id: 'sys-flags', kind: 'flags', doc: 'System flags' },
  { id: 'mem-flags', kind: 'flags', doc: 'Memory region flags' },
  { id: 'cache-type', kind: 'enum', doc: 'Cache partition type' },
  { id: 'cache-flags', kind: 'flags', doc: 'Cache partition flags' },
  { id: 'pci-type', kind: 'enum', doc: 'PCI device type' },
  { id: 'shmem-proto', kind: 'enum', doc: 'ivshmem protocol' },
  { id: 'virtio-dev', kind: 'enum', doc: 'virtio device id (added to a virtio protocol base)' },
  { id: 'pcicaps-flags', kind: 'flags', doc: 'PCI capability flags' },
  { id: 'pci-cap-id', kind: 'enum', doc: 'PCI capability id' },
  { id: 'iommu-type', kind: 'enum', doc: 'IOMMU unit type' },
  { id: 'apic-mode', kind: 'enum', doc: 'x86 APIC mode' },
  { id: 'con-type', kind: 'enum', doc: 'Console type' },
  { id: 'con-flags', kind: 'flags', doc: 'Console flags' },
];

function c(name: string, literal: string, group: string, doc: string): ConstantDef {
  return { name, value: BigInt(literal), group, doc, literal };
}

export const CONSTANTS: ConstantDef[] = [
  c('JAILHOUSE_X86', '0', 'arch', 'x86 (Intel VT-x or AMD-V).'),
  c('JAILHOUSE_ARM', '1', 'arch', '32-bit ARM (ARMv7 with virtualization extensions).'),
  c('JAILHOUSE_ARM64', '2', 'arch', '64-bit ARM (ARMv8).'),

  c('JAILHOUSE_CONFIG_REVISION', '14', 'misc', 'Configuration layout revision this file follows.'),
  c('JAILHOUSE_CELL_NAME_MAXLEN', '31', 'misc', 'Longest cell name (name is char[32]).'),
  c('JAILHOUSE_MAX_IOMMU_UNITS', '8', 'misc', 'Length of platform_info.iommu_units.'),

  c('JAILHOUSE_CELL_PASSIVE_COMMREG', '0x00000001', 'cell-flags', 'The cell does not answer messages; shutdown requests are approved without asking it.'),
  c('JAILHOUSE_CELL_TEST_DEVICE', '0x00000002', 'cell-flags', 'x86: expose the hypervisor test device (needs a COMM_REGION region).'),
  c('JAILHOUSE_CELL_AARCH32', '0x00000004', 'cell-flags', 'arm64: start the cell\'s CPUs in AArch32 state.'),
  c('JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED', '0x40000000', 'cell-flags', 'The cell may print through the debug-console hypercall.'),
  c('JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE', '0x80000000', 'cell-flags', 'The cell\'s software should print through the debug-console hypercall.'),

  c('JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE', '0x0001', 'sys-flags', 'Root Linux may read the hypervisor\'s console buffer.'),

  c('JAILHOUSE_MEM_READ', '0x0001', 'mem-flags', 'The cell may read.'),
  c('JAILHOUSE_MEM_WRITE', '0x0002', 'mem-flags', 'The cell may write.'),
  c('JAILHOUSE_MEM_EXECUTE', '0x0004', 'mem-flags', 'x86: instruction fetch allowed (ignored on ARM).'),
  c('JAILHOUSE_MEM_DMA', '0x0008', 'mem-flags', 'Map into the IOMMU too (VT-d, AMD-Vi, TI PVU).'),
  c('JAILHOUSE_MEM_IO', '0x0010', 'mem-flags', 'Device memory: ARM maps it as device memory without cache maintenance.'),
  c('JAILHOUSE_MEM_COMM_REGION', '0x0020', 'mem-flags', 'Map the cell\'s communication page at virt_start (phys_start ignored, size 0x1000).'),
  c('JAILHOUSE_MEM_LOADABLE', '0x0040', 'mem-flags', 'The root may write images here while the cell is loadable (needs WRITE).'),
  c('JAILHOUSE_MEM_ROOTSHARED', '0x0080', 'mem-flags', 'Keep the region mapped in the root cell (shared memory, shared UART).'),
  c('JAILHOUSE_MEM_NO_HUGEPAGES', '0x0100', 'mem-flags', 'Map with 4 KiB pages only.'),
  c('JAILHOUSE_MEM_IO_UNALIGNED', '0x8000', 'mem-flags', 'Sub-page region: allow accesses not naturally aligned.'),
  c('JAILHOUSE_MEM_IO_WIDTH_SHIFT', '16', 'misc', 'Bit position of the sub-page access width flags.'),
  c('JAILHOUSE_MEM_IO_8', '0x10000', 'mem-flags', 'Sub-page region: 1-byte accesses allowed.'),
  c('JAILHOUSE_MEM_IO_16', '0x20000', 'mem-flags', 'Sub-page region: 2-byte accesses allowed.'),
  c('JAILHOUSE_MEM_IO_32', '0x40000', 'mem-flags', 'Sub-page region: 4-byte accesses allowed.'),
  c('JAILHOUSE_MEM_IO_64', '0x80000', 'mem-flags', 'Sub-page region: 8-byte accesses allowed (64-bit hypervisors).'),

  c('JAILHOUSE_CACHE_L3_CODE', '0x01', 'cache-type', 'L3 code partition (not accepted by the hypervisor).'),
  c('JAILHOUSE_CACHE_L3_DATA', '0x02', 'cache-type', 'L3 data partition (not accepted by the hypervisor).'),
  c('JAILHOUSE_CACHE_L3', '0x03', 'cache-type', 'Unified L3 partition: the only type the hypervisor accepts.'),
  c('JAILHOUSE_CACHE_ROOTSHARED', '0x0001', 'cache-flags', 'Do not shrink the root cell\'s partition.'),

  c('JAILHOUSE_PCI_TYPE_DEVICE', '0x01', 'pci-type', 'Physical PCI endpoint.'),
  c('JAILHOUSE_PCI_TYPE_BRIDGE', '0x02', 'pci-type', 'Physical PCI bridge (BARs not emulated).'),
  c('JAILHOUSE_PCI_TYPE_IVSHMEM', '0x03', 'pci-type', 'Virtual inter-cell shared-memory device.'),

  c('JAILHOUSE_SHMEM_PROTO_UNDEFINED', '0x0000', 'shmem-proto', 'Raw shared memory, no protocol.'),
  c('JAILHOUSE_SHMEM_PROTO_VETH', '0x0001', 'shmem-proto', 'ivshmem-net virtual Ethernet.'),
  c('JAILHOUSE_SHMEM_PROTO_CUSTOM', '0x4000', 'shmem-proto', 'Start of the custom protocol range 0x4000-0x7fff.'),
  c('JAILHOUSE_SHMEM_PROTO_VIRTIO_FRONT', '0x8000', 'shmem-proto', 'virtio front-end; add the virtio device id.'),
  c('JAILHOUSE_SHMEM_PROTO_VIRTIO_BACK', '0xc000', 'shmem-proto', 'virtio back-end; add the virtio device id.'),
  c('VIRTIO_DEV_NET', '1', 'virtio-dev', 'virtio network device.'),
  c('VIRTIO_DEV_BLOCK', '2', 'virtio-dev', 'virtio block device.'),
  c('VIRTIO_DEV_CONSOLE', '3', 'virtio-dev', 'virtio console.'),

  c('JAILHOUSE_PCI_EXT_CAP', '0x8000', 'pci-cap-id', 'Marks a PCIe extended capability (OR with PCI_EXT_CAP_ID_*).'),
  c('JAILHOUSE_PCICAPS_WRITE', '0x0001', 'pcicaps-flags', 'The cell may write this capability range.'),

  c('JAILHOUSE_APIC_MODE_AUTO', '0x0', 'apic-mode', 'Use the mode Linux uses.'),
  c('JAILHOUSE_APIC_MODE_XAPIC', '0x1', 'apic-mode', 'Force xAPIC handling.'),
  c('JAILHOUSE_APIC_MODE_X2APIC', '0x2', 'apic-mode', 'Force x2APIC handling.'),

  c('JAILHOUSE_IOMMU_AMD', '1', 'iommu-type', 'AMD-Vi unit.'),
  c('JAILHOUSE_IOMMU_INTEL', '2', 'iommu-type', 'Intel VT-d unit.'),
  c('JAILHOUSE_IOMMU_SMMUV3', '3', 'iommu-type', 'ARM SMMUv3.'),
  c('JAILHOUSE_IOMMU_PVU', '4', 'iommu-type', 'TI Peripheral Virtualization Unit.'),
  c('JAILHOUSE_IOMMU_ARM_MMU500', '5', 'iommu-type', 'ARM MMU-500 (SMMUv2).'),

  c('JAILHOUSE_CON_TYPE_NONE', '0x0000', 'con-type', 'No console output.'),
  c('JAILHOUSE_CON_TYPE_EFIFB', '0x0001', 'con-type', 'EFI framebuffer (x86).'),
  c('JAILHOUSE_CON_TYPE_8250', '0x0002', 'con-type', '8250/16550 UART (PIO or MMIO).'),
  c('JAILHOUSE_CON_TYPE_PL011', '0x0003', 'con-type', 'ARM PL011 UART.'),
  c('JAILHOUSE_CON_TYPE_XUARTPS', '0x0004', 'con-type', 'Xilinx PS UART.'),
  c('JAILHOUSE_CON_TYPE_MVEBU', '0x0005', 'con-type', 'Marvell Armada UART.'),
  c('JAILHOUSE_CON_TYPE_HSCIF', '0x0006', 'con-type', 'Renesas HSCIF.'),
  c('JAILHOUSE_CON_TYPE_SCIFA', '0x0007', 'con-type', 'Renesas SCIFA.'),
  c('JAILHOUSE_CON_TYPE_IMX', '0x0008', 'con-type', 'NXP i.MX UART.'),
  c('JAILHOUSE_CON_TYPE_IMX_LPUART', '0x0009', 'con-type', 'NXP LPUART.'),
  c('JAILHOUSE_CON_TYPE_SCIF', '0x000a', 'con-type', 'Renesas SCIF.'),

  c('JAILHOUSE_CON_ACCESS_PIO', '0x0000', 'con-flags', 'Port I/O access (x86 only); bit 0 clear.'),
  c('JAILHOUSE_CON_ACCESS_MMIO', '0x0001', 'con-flags', 'Memory-mapped access.'),
  c('JAILHOUSE_CON_REGDIST_1', '0x0000', 'con-flags', 'Registers 1 byte apart, 8-bit accesses; bit 1 clear.'),
  c('JAILHOUSE_CON_REGDIST_4', '0x0002', 'con-flags', 'Registers 4 bytes apart, 32-bit accesses.'),
  c('JAILHOUSE_CON_FB_1024x768', '0x0000', 'con-flags', 'EFI framebuffer 1024x768; bit 2 clear.'),
  c('JAILHOUSE_CON_FB_1920x1080', '0x0004', 'con-flags', 'EFI framebuffer 1920x1080.'),
  c('JAILHOUSE_CON_INVERTED_GATE', '0x1000', 'con-flags', 'Clear (instead of set) bit gate_nr in clock_reg to enable the clock.'),
  c('JAILHOUSE_CON_MDR_QUIRK', '0x2000', 'con-flags', 'Apply the TI MDR quirk of the 8250 (inmate library).'),

  c('PCI_CAP_ID_PM', '0x01', 'pci-cap-id', 'Power management.'),
  c('PCI_CAP_ID_VPD', '0x03', 'pci-cap-id', 'Vital product data.'),
  c('PCI_CAP_ID_MSI', '0x05', 'pci-cap-id', 'MSI.'),
  c('PCI_CAP_ID_HT', '0x08', 'pci-cap-id', 'HyperTransport.'),
  c('PCI_CAP_ID_VNDR', '0x09', 'pci-cap-id', 'Vendor specific.'),
  c('PCI_CAP_ID_DBG', '0x0A', 'pci-cap-id', 'Debug port.'),
  c('PCI_CAP_ID_SSVID', '0x0D', 'pci-cap-id', 'Bridge subsystem vendor/device id.'),
  c('PCI_CAP_ID_SECDEV', '0x0F', 'pci-cap-id', 'Secure device.'),
  c('PCI_CAP_ID_EXP', '0x10', 'pci-cap-id', 'PCI Express.'),
  c('PCI_CAP_ID_MSIX', '0x11', 'pci-cap-id', 'MSI-X.'),
  c('PCI_CAP_ID_SATA', '0x12', 'pci-cap-id', 'SATA data/index configuration.'),
  c('PCI_CAP_ID_AF', '0x13', 'pci-cap-id', 'PCI advanced features.'),
  ...[
    ['ERR', '0x01', 'Advanced error reporting'], ['VC', '0x02', 'Virtual channel'], ['DSN', '0x03', 'Device serial number'],
    ['PWR', '0x04', 'Power budgeting'], ['RCLD', '0x05', 'Root complex link declaration'],
    ['RCILC', '0x06', 'Root complex internal link control'], ['RCEC', '0x07', 'Root complex event collector'],
    ['MFVC', '0x08', 'Multi-function VC'], ['VC9', '0x09', 'Virtual channel (MFVC present)'],
    ['RCRB', '0x0A', 'Root complex register block'], ['VNDR', '0x0B', 'Vendor specific'], ['CAC', '0x0C', 'Config access correlation'],
    ['ACS', '0x0D', 'Access control services'], ['ARI', '0x0E', 'Alternate routing-ID interpretation'],
    ['ATS', '0x0F', 'Address translation services'], ['SRIOV', '0x10', 'Single root I/O virtualization'],
    ['MRIOV', '0x11', 'Multi root I/O virtualization'], ['MCAST', '0x12', 'Multicast'], ['PRI', '0x13', 'Page request interface'],
    ['AMD_XXX', '0x14', 'Reserved for AMD'], ['REBAR', '0x15', 'Resizable BAR'], ['DPA', '0x16', 'Dynamic power allocation'],
    ['TPH', '0x17', 'TPH requester'], ['LTR', '0x18', 'Latency tolerance reporting'], ['SECPCI', '0x19', 'Secondary PCIe'],
    ['PMUX', '0x1A', 'Protocol multiplexing'], ['PASID', '0x1B', 'Process address space ID'],
    ['DPC', '0x1D', 'Downstream port containment'], ['L1SS', '0x1E', 'L1 PM substates'], ['PTM', '0x1F', 'Precision time measurement'],
  ].map(([n, v, d]) => c(`PCI_EXT_CAP_ID_${n}`, v, 'pci-cap-id', `${d} (extended; OR with JAILHOUSE_PCI_EXT_CAP).`)),
];

export const CONSTANTS_BY_NAME: ReadonlyMap<string, ConstantDef> = new Map(CONSTANTS.map((k) => [k.name, k]));

export function constantsOfGroup(group: string): ConstantDef[] {
  return CONSTANTS.filter((k) => k.group === group);
}

const valueOf = (name: string): number => Number(CONSTANTS_BY_NAME.get(name)!.value);

/**
 * The ivshmem BAR masks cell-config.h defines as array initializers for `bar_mask` (BAR 0: the
 * register page, BAR 1: the MSI-X table; 4 KiB or 64 KiB pages): macro name → the six words.
 */
export const IVSHMEM_BAR_MASKS: Readonly<Record<string, readonly bigint[]>> = {
  JAILHOUSE_IVSHMEM_BAR_MASK_INTX: [0xfffff000n, 0n, 0n, 0n, 0n, 0n],
  JAILHOUSE_IVSHMEM_BAR_MASK_MSIX: [0xfffff000n, 0xfffff000n, 0n, 0n, 0n, 0n],
  JAILHOUSE_IVSHMEM_BAR_MASK_INTX_64K: [0xffff0000n, 0n, 0n, 0n, 0n, 0n],
  JAILHOUSE_IVSHMEM_BAR_MASK_MSIX_64K: [0xffff0000n, 0xffff0000n, 0n, 0n, 0n, 0n],
};

/** Longest cell name: `name` is char[JAILHOUSE_CELL_NAME_MAXLEN + 1], NUL-terminated. */
export const CELL_NAME_MAXLEN = valueOf('JAILHOUSE_CELL_NAME_MAXLEN');

/** Architecture names indexed by the `architecture` value: JAILHOUSE_ARM64 (2) is `arm64`. */
export const ARCH_NAMES: readonly ArchName[] = constantsOfGroup('arch').reduce<ArchName[]>((out, k) => {
  out[Number(k.value)] = k.name.slice('JAILHOUSE_'.length).toLowerCase() as ArchName;
  return out;
}, []);

/** The architecture an `architecture` value names, if any. */
export function archName(value: bigint | number): ArchName | undefined {
  return ARCH_NAMES[Number(value)];
}
