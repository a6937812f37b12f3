// Memory-region flag bits and the predicates rules share, taken from the schema's constants.
import { CONSTANTS_BY_NAME } from '../schema';
import type { MemoryRegion } from './model';

function k(name: string): bigint {
  const c = CONSTANTS_BY_NAME.get(name);
  if (!c) throw new Error(`schema lacks ${name}`);
  return c.value;
}

export const MEM = {
  READ: k('JAILHOUSE_MEM_READ'),
  WRITE: k('JAILHOUSE_MEM_WRITE'),
  EXECUTE: k('JAILHOUSE_MEM_EXECUTE'),
  DMA: k('JAILHOUSE_MEM_DMA'),
  IO: k('JAILHOUSE_MEM_IO'),
  COMM_REGION: k('JAILHOUSE_MEM_COMM_REGION'),
  LOADABLE: k('JAILHOUSE_MEM_LOADABLE'),
  ROOTSHARED: k('JAILHOUSE_MEM_ROOTSHARED'),
  IO_WIDTHS: k('JAILHOUSE_MEM_IO_8') | k('JAILHOUSE_MEM_IO_16') | k('JAILHOUSE_MEM_IO_32') | k('JAILHOUSE_MEM_IO_64'),
};

export const CELL_FLAG = {
  PASSIVE_COMMREG: k('JAILHOUSE_CELL_PASSIVE_COMMREG'),
  TEST_DEVICE: k('JAILHOUSE_CELL_TEST_DEVICE'),
};

export const PCI_TYPE = {
  DEVICE: k('JAILHOUSE_PCI_TYPE_DEVICE'),
  BRIDGE: k('JAILHOUSE_PCI_TYPE_BRIDGE'),
  IVSHMEM: k('JAILHOUSE_PCI_TYPE_IVSHMEM'),
};

export const IOMMU_TYPE = {
  AMD: k('JAILHOUSE_IOMMU_AMD'),
  INTEL: k('JAILHOUSE_IOMMU_INTEL'),
  SMMUV3: k('JAILHOUSE_IOMMU_SMMUV3'),
  PVU: k('JAILHOUSE_IOMMU_PVU'),
  MMU500: k('JAILHOUSE_IOMMU_ARM_MMU500'),
};

export const CON_TYPE = {
  NONE: k('JAILHOUSE_CON_TYPE_NONE'),
  EFIFB: k('JAILHOUSE_CON_TYPE_EFIFB'),
  UART_8250: k('JAILHOUSE_CON_TYPE_8250'),
  /** The last type the ARM hypervisor has a driver for (8250 … SCIF). */
  ARM_LAST: k('JAILHOUSE_CON_TYPE_SCIF'),
};
export const CON_ACCESS_MMIO = k('JAILHOUSE_CON_ACCESS_MMIO');

export const CACHE_L3 = k('JAILHOUSE_CACHE_L3');
export const PAGE = 0x1000n;

export const has = (flags: bigint, bit: bigint): boolean => (flags & bit) !== 0n;

/** Not page-mapped but trapped and emulated (virt_start or size not page multiples). */
export const isSubpage = (r: MemoryRegion): boolean => r.virt_start % PAGE !== 0n || r.size % PAGE !== 0n;

export const isComm = (r: MemoryRegion): boolean => has(r.flags, MEM.COMM_REGION);
export const isRootShared = (r: MemoryRegion): boolean => has(r.flags, MEM.ROOTSHARED);
