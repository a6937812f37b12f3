// The JSON of `jhcell dump --json` (contract: docs/model-json.md), written from a decoded image.
// Sources are dumped by encoding them first, so both paths share this one writer.
import { archName, INT_BITS, struct } from '../schema';
import type { ArchName, LaidOutField } from '../schema';
import type { DecodedImage, RawStruct, RawValue } from './rawImage';
import { bitIds } from '../util/format';

export type Hex = string;
/** A 64-bit value printed in decimal: a string, since JSON numbers lose bits above 2^53. */
export type Dec64 = string;

export interface ConsoleJson {
  address: Hex;
  size: Hex;
  type: number;
  flags: Hex;
  divider: number;
  gate_nr: number;
  clock_reg: Hex;
}
export interface MemoryRegionJson {
  phys_start: Hex;
  virt_start: Hex;
  size: Hex;
  flags: Hex;
}
export interface CacheRegionJson {
  start: Hex;
  size: Hex;
  type: number;
  padding: number;
  flags: Hex;
}
export interface IrqchipJson {
  address: Hex;
  id: number;
  pin_base: number;
  pin_bitmap: Hex[];
}
export interface PioRegionJson {
  base: Hex;
  length: Hex;
}
export interface PciDeviceJson {
  type: number;
  iommu: number;
  domain: number;
  bdf: number;
  bar_mask: Hex[];
  caps_start: number;
  num_caps: number;
  num_msi_vectors: number;
  msi_64bits: number;
  msi_maskable: number;
  num_msix_vectors: number;
  msix_region_size: Hex;
  msix_address: Hex;
  shmem_regions_start: number;
  shmem_dev_id: number;
  shmem_peers: number;
  shmem_protocol: Hex;
}
export interface PciCapJson {
  id: number;
  start: Hex;
  len: Hex;
  flags: Hex;
}
export interface IommuUnitJson {
  index: number;
  type: number;
  base: Hex;
  size: Hex;
  amd?: { bdf: number; base_cap: Hex; msi_cap: Hex; features: Hex };
  tipvu?: { tlb_base: Hex; tlb_size: Hex };
}
export interface PlatformInfoJson {
  pci_mmconfig_base: Hex;
  pci_mmconfig_end_bus: number;
  pci_is_virtual: number;
  pci_domain: number;
  iommu_units: IommuUnitJson[];
  arm?: {
    maintenance_irq: number;
    gic_version: number;
    gicd_base: Hex;
    gicc_base: Hex;
    gich_base: Hex;
    gicv_base: Hex;
    gicr_base: Hex;
  };
  x86?: { pm_timer_address: Hex; apic_mode: number; vtd_interrupt_limit: number; tsc_khz: number; apic_khz: number };
}
export interface SystemJson {
  /** The system header's own revision (the top-level `revision` is the root cell's). */
  revision: number;
  flags: Hex;
  hypervisor_memory: MemoryRegionJson;
  debug_console: ConsoleJson;
  platform_info: PlatformInfoJson;
}
export interface CountsJson {
  memory_regions: number;
  cache_regions: number;
  irqchips: number;
  pio_regions: number;
  pci_devices: number;
  pci_caps: number;
  stream_ids: number;
}

export interface ModelJson {
  file: string;
  kind: 'system' | 'cell';
  /** null when the architecture field holds no known value. */
  arch: ArchName | null;
  name: string;
  flags: Hex;
  cpu_set_size: number;
  cpus: number[];
  counts: CountsJson;
  vpci_irq_base: number;
  cpu_reset_address: Hex;
  revision: number;
  id: number;
  msg_reply_timeout: Dec64;
  console: ConsoleJson;
  memory_regions: MemoryRegionJson[];
  cache_regions: CacheRegionJson[];
  irqchips: IrqchipJson[];
  pio_regions: PioRegionJson[];
  pci_devices: PciDeviceJson[];
  pci_caps: PciCapJson[];
  stream_ids: number[];
  system?: SystemJson;
  /** Extra information about a dumped source (names, lines); never replaces contract keys. */
  source?: unknown;
}

/**
 * Where docs/model-json.md prints a field differently from the schema's `display`
 * (`struct.field` → format). Empty while the two agree; the JSON unit test pins the contract.
 */
const CONTRACT_FORMAT: Record<string, 'hex' | 'dec'> = {};

export function hex(v: bigint): Hex {
  return '0x' + BigInt.asUintN(64, v).toString(16);
}

/** A field's value as the contract prints it: hex string, decimal string (64-bit) or number. */
export function formatField(structName: string, f: LaidOutField, v: bigint): Hex | number {
  const display = CONTRACT_FORMAT[`${structName}.${f.name}`] ?? f.display ?? 'dec';
  if (display === 'hex') return hex(v);
  const t = f.type.kind === 'array' ? f.type.of : f.type;
  const bits = t.kind === 'int' || t.kind === 'bits' ? INT_BITS[t.int] : 0;
  return bits === 64 ? v.toString(10) : Number(v);
}

/** The listed fields of a struct instance, in the order given, formatted per field. */
function pick(structName: string, raw: RawStruct, keys: readonly string[]): Record<string, unknown> {
  const fields = fieldMap(structName);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const f = fields.get(k);
    if (!f) throw new Error(`modelJson: ${structName} has no field ${k}`);
    const v = raw[k];
    out[k] = Array.isArray(v) ? v.map((x) => formatField(structName, f, x as bigint)) : formatField(structName, f, v as bigint);
  }
  return out;
}

const fieldMaps = new Map<string, Map<string, LaidOutField>>();
function fieldMap(structName: string): Map<string, LaidOutField> {
  let m = fieldMaps.get(structName);
  if (!m) {
    m = new Map();
    const visit = (name: string) => {
      for (const f of struct(name).fields) {
        if (f.anonymous && f.type.kind === 'struct') visit(f.type.name);
        else m!.set(f.name, f);
      }
    };
    visit(structName);
    fieldMaps.set(structName, m);
  }
  return m;
}

const CONSOLE_KEYS = ['address', 'size', 'type', 'flags', 'divider', 'gate_nr', 'clock_reg'] as const;
const MEMORY_KEYS = ['phys_start', 'virt_start', 'size', 'flags'] as const;
const CACHE_KEYS = ['start', 'size', 'type', 'padding', 'flags'] as const;
const IRQCHIP_KEYS = ['address', 'id', 'pin_base', 'pin_bitmap'] as const;
const PIO_KEYS = ['base', 'length'] as const;
const PCI_DEVICE_KEYS = [
  'type', 'iommu', 'domain', 'bdf', 'bar_mask', 'caps_start', 'num_caps', 'num_msi_vectors', 'msi_64bits',
  'msi_maskable', 'num_msix_vectors', 'msix_region_size', 'msix_address', 'shmem_regions_start', 'shmem_dev_id',
  'shmem_peers', 'shmem_protocol',
] as const;
const PCI_CAP_KEYS = ['id', 'start', 'len', 'flags'] as const;
const ARM_KEYS = ['maintenance_irq', 'gic_version', 'gicd_base', 'gicc_base', 'gich_base', 'gicv_base', 'gicr_base'] as const;
const X86_KEYS = ['pm_timer_address', 'apic_mode', 'vtd_interrupt_limit', 'tsc_khz', 'apic_khz'] as const;

/** Bytes up to the first NUL, as text. */
export function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder('utf-8').decode(end >= 0 ? bytes.subarray(0, end) : bytes);
}

/** Ids of the set bits of a CPU bitmap (bit n of the byte stream = CPU n). */
export function cpuIds(bytes: Uint8Array): number[] {
  return bitIds(Array.from(bytes, BigInt), 8);
}

const num = (v: RawValue): number => Number(v as bigint);

export function toModelJson(file: string, image: DecodedImage): ModelJson {
  const { cell, header } = image;
  const archValue = num(header.architecture);
  const arch = archName(archValue) ?? null;
  const s = image.sections;
  const json: ModelJson = {
    file,
    kind: image.kind,
    arch,
    name: cString(cell.name as Uint8Array),
    flags: hex(cell.flags as bigint),
    cpu_set_size: num(cell.cpu_set_size),
    cpus: cpuIds(image.cpuBytes),
    counts: {
      memory_regions: num(cell.num_memory_regions),
      cache_regions: num(cell.num_cache_regions),
      irqchips: num(cell.num_irqchips),
      pio_regions: num(cell.num_pio_regions),
      pci_devices: num(cell.num_pci_devices),
      pci_caps: num(cell.num_pci_caps),
      stream_ids: num(cell.num_stream_ids),
    },
    vpci_irq_base: num(cell.vpci_irq_base),
    cpu_reset_address: hex(cell.cpu_reset_address as bigint),
    // The cell descriptor's, like every top-level field: for a system the root cell's, which
    // upstream leaves 0 (the header's revision, which the driver checks, is `system.revision`).
    revision: num(cell.revision),
    id: num(cell.id),
    msg_reply_timeout: (cell.msg_reply_timeout as bigint).toString(10),
    console: pick('jailhouse_console', cell.console as RawStruct, CONSOLE_KEYS) as unknown as ConsoleJson,
    memory_regions: s.mem_regions.map((r) => pick('jailhouse_memory', r, MEMORY_KEYS) as unknown as MemoryRegionJson),
    cache_regions: s.cache_regions.map((r) => pick('jailhouse_cache', r, CACHE_KEYS) as unknown as CacheRegionJson),
    irqchips: s.irqchips.map((r) => pick('jailhouse_irqchip', r, IRQCHIP_KEYS) as unknown as IrqchipJson),
    pio_regions: s.pio_regions.map((r) => pick('jailhouse_pio', r, PIO_KEYS) as unknown as PioRegionJson),
    pci_devices: s.pci_devices.map((r) => pick('jailhouse_pci_device', r, PCI_DEVICE_KEYS) as unknown as PciDeviceJson),
    pci_caps: s.pci_caps.map((r) => pick('jailhouse_pci_capability', r, PCI_CAP_KEYS) as unknown as PciCapJson),
    stream_ids: s.stream_ids.map((r) => num(r.id)),
  };
  if (image.kind === 'system') json.system = systemJson(image, arch);
  return json;
}

function systemJson(image: DecodedImage, arch: ArchName | null): SystemJson {
  const h = image.header;
  const p = h.platform_info as RawStruct;
  const units = p.iommu_units as RawStruct[];
  const iommu_units: IommuUnitJson[] = [];
  units.forEach((u, index) => {
    if (image.iommuSlots[index]?.every((b) => b === 0)) return;
    const unit = { index, ...pick('jailhouse_iommu', u, ['type', 'base', 'size']) } as unknown as IommuUnitJson;
    if (unit.type === 1) unit.amd = pick('jailhouse_iommu_amd', u.amd as RawStruct, ['bdf', 'base_cap', 'msi_cap', 'features']) as IommuUnitJson['amd'];
    if (unit.type === 4) unit.tipvu = pick('jailhouse_iommu_tipvu', u.tipvu as RawStruct, ['tlb_base', 'tlb_size']) as IommuUnitJson['tipvu'];
    iommu_units.push(unit);
  });
  const platform_info = {
    ...pick('jailhouse_platform_info', p, ['pci_mmconfig_base', 'pci_mmconfig_end_bus', 'pci_is_virtual', 'pci_domain']),
    iommu_units,
  } as unknown as PlatformInfoJson;
  if (arch === 'arm' || arch === 'arm64') {
    platform_info.arm = pick('jailhouse_arm_platform', p.arm as RawStruct, ARM_KEYS) as PlatformInfoJson['arm'];
  } else if (arch === 'x86') {
    platform_info.x86 = pick('jailhouse_x86_platform', p.x86 as RawStruct, X86_KEYS) as PlatformInfoJson['x86'];
  }
  return {
    revision: num(h.revision),
    flags: hex(h.flags as bigint),
    hypervisor_memory: pick('jailhouse_memory', h.hypervisor_memory as RawStruct, MEMORY_KEYS) as unknown as MemoryRegionJson,
    debug_console: pick('jailhouse_console', h.debug_console as RawStruct, CONSOLE_KEYS) as unknown as ConsoleJson,
    platform_info,
  };
}
