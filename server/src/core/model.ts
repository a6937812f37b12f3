// The evaluated configuration. Two views of one evaluation:
//  - `Value`: the generic tree that follows the schema (what the binary encoder writes);
//  - `ConfigModel`: the same data as typed objects for rules and features, each struct
//    instance carrying where it and each of its fields came from.
import type { ArchName, SectionName, TypeRef } from '../schema';
import type { Loc } from '../util/source';

export type Value = IntValue | BytesValue | AggValue;

export interface IntValue {
  kind: 'int';
  /** Already converted to the field's C type (e.g. -1 in a __u16 is 65535). */
  value: bigint;
  loc?: Loc;
}

export interface BytesValue {
  kind: 'bytes';
  /** Exactly the field's length: string bytes, then zero fill. */
  bytes: Uint8Array;
  text: string;
  loc?: Loc;
}

export interface AggValue {
  kind: 'agg';
  type: TypeRef;
  /** By field index (struct/union) or element index (array); undefined = zero. */
  items: (Value | undefined)[];
  loc?: Loc;
  /** Name taken from a comment (`/* UART2 *\/ {`). */
  name?: string;
  /** Union: index of the member that was initialized last. */
  unionMember?: number;
}

/** Common to every struct instance of the typed view. */
export interface Node {
  /** The initializer of this instance (its braces, or the macro invocation that produced it). */
  $loc?: Loc;
  /** Where each field given in the source came from; absent = implicitly zero. */
  $fieldLoc: Record<string, Loc | undefined>;
  $name?: string;
  /** Index in its wrapper array; -1 for headers. */
  $index: number;
}

export interface MemoryRegion extends Node {
  phys_start: bigint;
  virt_start: bigint;
  size: bigint;
  flags: bigint;
}

export interface CacheRegion extends Node {
  start: bigint;
  size: bigint;
  type: bigint;
  padding: bigint;
  flags: bigint;
}

export interface Irqchip extends Node {
  address: bigint;
  id: bigint;
  pin_base: bigint;
  pin_bitmap: bigint[];
}

export interface PioRegion extends Node {
  base: bigint;
  length: bigint;
}

export interface PciDevice extends Node {
  type: bigint;
  iommu: bigint;
  domain: bigint;
  bdf: bigint;
  bar_mask: bigint[];
  caps_start: bigint;
  num_caps: bigint;
  num_msi_vectors: bigint;
  msi_64bits: bigint;
  msi_maskable: bigint;
  num_msix_vectors: bigint;
  msix_region_size: bigint;
  msix_address: bigint;
  shmem_regions_start: bigint;
  shmem_dev_id: bigint;
  shmem_peers: bigint;
  shmem_protocol: bigint;
}

export interface PciCapability extends Node {
  id: bigint;
  start: bigint;
  len: bigint;
  flags: bigint;
}

export interface StreamId extends Node {
  id: bigint;
  mmu500: Node & { id: bigint; mask_out: bigint };
}

export interface Console extends Node {
  address: bigint;
  size: bigint;
  type: bigint;
  flags: bigint;
  divider: bigint;
  gate_nr: bigint;
  clock_reg: bigint;
}

export interface CellDesc extends Node {
  signature: string;
  architecture: bigint;
  revision: bigint;
  name: string;
  id: bigint;
  flags: bigint;
  cpu_set_size: bigint;
  num_memory_regions: bigint;
  num_cache_regions: bigint;
  num_irqchips: bigint;
  num_pio_regions: bigint;
  num_pci_devices: bigint;
  num_pci_caps: bigint;
  num_stream_ids: bigint;
  vpci_irq_base: bigint;
  cpu_reset_address: bigint;
  msg_reply_timeout: bigint;
  console: Console;
}

export interface IommuUnit extends Node {
  type: bigint;
  base: bigint;
  size: bigint;
  amd: Node & { bdf: bigint; base_cap: bigint; msi_cap: bigint; features: bigint };
  tipvu: Node & { tlb_base: bigint; tlb_size: bigint };
}

export interface PlatformInfo extends Node {
  pci_mmconfig_base: bigint;
  pci_mmconfig_end_bus: bigint;
  pci_is_virtual: bigint;
  pci_domain: bigint;
  iommu_units: IommuUnit[];
  x86: Node & {
    pm_timer_address: bigint;
    apic_mode: bigint;
    padding: bigint;
    vtd_interrupt_limit: bigint;
    tsc_khz: bigint;
    apic_khz: bigint;
  };
  arm: Node & {
    maintenance_irq: bigint;
    gic_version: bigint;
    padding: bigint[];
    gicd_base: bigint;
    gicc_base: bigint;
    gich_base: bigint;
    gicv_base: bigint;
    gicr_base: bigint;
  };
}

export interface SystemHeader extends Node {
  signature: string;
  architecture: bigint;
  revision: bigint;
  flags: bigint;
  hypervisor_memory: MemoryRegion;
  debug_console: Console;
  platform_info: PlatformInfo;
  root_cell: CellDesc;
}

/** A member of the wrapper struct as declared (`struct jailhouse_memory mem_regions[6];`). */
export interface WrapperMember {
  name: string;
  /** The header member (`header`/`cell`) or one of the sections; undefined for an unknown type. */
  role: 'header' | SectionName | undefined;
  type: TypeRef;
  /** Declared array length; undefined when not an array. */
  length?: number;
  loc: Loc;
  /** The `[N]` size expression, when present. */
  lengthLoc?: Loc;
  /** Number of elements the initializer gives explicitly (highest index + 1). */
  initialized: number;
  /** The member's initializer (`.mem_regions = { … }`), when present. */
  initLoc?: Loc;
}

export type Arch = ArchName;

export interface ConfigModel {
  file: string;
  kind: 'system' | 'cell';
  /** From the `architecture` field; undefined when it is not a known value. */
  arch?: Arch;
  system?: SystemHeader;
  /** The cell descriptor: the header of a cell file, `root_cell` of a system file. */
  cell: CellDesc;
  /** The header as a whole (SystemHeader or CellDesc). */
  header: SystemHeader | CellDesc;
  /** Declared (source-side) arrays, element by element, with locations. */
  cpus: bigint[];
  cpusLoc: (Loc | undefined)[];
  mem_regions: MemoryRegion[];
  cache_regions: CacheRegion[];
  irqchips: Irqchip[];
  pio_regions: PioRegion[];
  pci_devices: PciDevice[];
  pci_caps: PciCapability[];
  stream_ids: StreamId[];
  members: WrapperMember[];
  /** The whole `config` object as a generic value tree (input of the binary encoder). */
  value: AggValue;
}
