// Hand-made models for map tests: only the fields the map and the rules it borrows read.
import type { Analysis } from '../../../server/src/core/analysis';
import type { ConfigModel, Irqchip, MemoryRegion, PciDevice } from '../../../server/src/core/model';
import type { Loc } from '../../../server/src/util/source';
import { buildMemoryMap } from '../../../server/src/map/model';
import type { MemoryMap } from '../../../server/src/map/types';
import { checkSystem, type System } from '../../../server/src/rules';

/** The map as the editor and `jhcell map` build it: from the checks' diagnostics of the system. */
export function checkedMap(system: System): MemoryMap {
  return buildMemoryMap(system, { diagnostics: [...checkSystem(system).values()].flat() });
}

export const R = 0x1n;
export const W = 0x2n;
export const X = 0x4n;
export const IO = 0x10n;
export const COMM = 0x20n;
export const ROOTSHARED = 0x80n;

let offset = 0;
const loc = (file: string): Loc => ({ file, start: offset, end: (offset += 10) });

export function region(file: string, phys: bigint, size: bigint, flags = R | W, name?: string, virt = phys): MemoryRegion {
  return { phys_start: phys, virt_start: virt, size, flags, $name: name, $loc: loc(file), $fieldLoc: {}, $index: 0 };
}

export function irqchip(file: string, address: bigint, pinBase: bigint, bitmap: bigint[]): Irqchip {
  return { address, id: 0n, pin_base: pinBase, pin_bitmap: bitmap, $loc: loc(file), $fieldLoc: {}, $index: 0 };
}

export function ivshmemDevice(regionsStart: number, peers: number): PciDevice {
  return { type: 3n, shmem_regions_start: BigInt(regionsStart), shmem_peers: BigInt(peers), $fieldLoc: {}, $index: 0 } as PciDevice;
}

export interface CellSpec {
  file: string;
  name: string;
  arch?: 'x86' | 'arm' | 'arm64';
  cpus?: bigint[];
  regions?: MemoryRegion[];
  irqchips?: Irqchip[];
  pci?: PciDevice[];
}

export interface SystemSpec extends CellSpec {
  hypervisor?: [bigint, bigint];
  gic?: { version: bigint; gicd: bigint; gicc?: bigint; gich?: bigint; gicv?: bigint; gicr?: bigint };
  mmconfig?: bigint;
}

function model(spec: CellSpec, kind: 'system' | 'cell', system?: ConfigModel['system']): ConfigModel {
  const regions = (spec.regions ?? []).map((r, i) => ({ ...r, $index: i }));
  const cell = { name: spec.name, $fieldLoc: {}, $index: -1 } as unknown as ConfigModel['cell'];
  return {
    file: spec.file,
    kind,
    arch: spec.arch ?? 'arm64',
    system,
    cell,
    header: system ?? cell,
    cpus: spec.cpus ?? [],
    cpusLoc: [],
    mem_regions: regions,
    cache_regions: [],
    irqchips: spec.irqchips ?? [],
    pio_regions: [],
    pci_devices: spec.pci ?? [],
    pci_caps: [],
    stream_ids: [],
    members: [],
    value: { kind: 'agg', type: { kind: 'struct', name: 'x' }, items: [] },
  } as unknown as ConfigModel;
}

export function cellModel(spec: CellSpec): ConfigModel {
  return model(spec, 'cell');
}

export function systemModel(spec: SystemSpec): ConfigModel {
  const [hvStart, hvSize] = spec.hypervisor ?? [0n, 0n];
  const g = spec.gic;
  const system = {
    hypervisor_memory: { phys_start: hvStart, virt_start: 0n, size: hvSize, flags: 0n, $loc: loc(spec.file), $fieldLoc: {}, $index: -1 },
    debug_console: { address: 0n, size: 0n, type: 0n, flags: 0n, $fieldLoc: {}, $index: -1 },
    platform_info: {
      pci_mmconfig_base: spec.mmconfig ?? 0n,
      pci_mmconfig_end_bus: 0n,
      iommu_units: [],
      $fieldLoc: {},
      $index: -1,
      arm: { gic_version: g?.version ?? 0n, gicd_base: g?.gicd ?? 0n, gicc_base: g?.gicc ?? 0n, gich_base: g?.gich ?? 0n, gicv_base: g?.gicv ?? 0n, gicr_base: g?.gicr ?? 0n, $fieldLoc: {}, $index: -1 },
      x86: { $fieldLoc: {}, $index: -1 },
    },
    $fieldLoc: {},
    $index: -1,
  } as unknown as ConfigModel['system'];
  return model(spec, 'system', system);
}

export function analysis(model: ConfigModel): Analysis {
  return { file: model.file, model, diagnostics: [], files: new Map([[model.file, { path: model.file, text: '' }]]), macros: new Map(), macroUses: [], includes: [] };
}
