// The memory map of one Jailhouse system: who owns which physical addresses, what is shared,
// what collides, and which CPUs and interrupt pins each cell holds. Pure data, computed by
// model.ts, drawn by the renderers and sent (as JSON, see json.ts) to the VS Code webview.
import type { Severity } from '../core/diagnostics';
import type { Arch } from '../core/model';
import type { Loc } from '../util/source';

export type LaneKind = 'hypervisor' | 'platform' | 'root' | 'cell';

/** One horizontal band of the picture: an owner of physical addresses. */
export interface Lane {
  id: string;
  kind: LaneKind;
  label: string;
  /** The config file this lane comes from (root and cells). */
  file?: string;
  /** Sub-rows needed so that overlapping ranges of this lane do not hide each other. */
  rows: number;
}

/**
 * What a range is, for colour and legend: RAM, device memory, ivshmem section or other
 * root-shared memory, the hypervisor's own memory, or a window the hypervisor intercepts.
 */
export type RangeClass = 'ram' | 'io' | 'mem' | 'ivshmem' | 'shared' | 'hypervisor' | 'window' | 'console';

export interface MapRange {
  id: number;
  lane: string;
  /** Physical start; end is exclusive (start + size, saturated at 2^64). */
  start: bigint;
  end: bigint;
  /** Guest-physical start (memory regions only). */
  virt?: bigint;
  flags?: bigint;
  /** The comment name in the source, else a synthesized `mem_regions[3]` / `GICD`. */
  name: string;
  /** True when `name` came from a comment. */
  named: boolean;
  cls: RangeClass;
  /** Index in `mem_regions` (memory regions only). */
  index?: number;
  /** The initializer (region) or field (platform window) the range comes from. */
  loc?: Loc;
  /** Other lanes that map exactly this range as shared memory. */
  sharedWith: string[];
  /** Sub-row inside the lane (0 unless ranges of the lane overlap). */
  row: number;
  conflicts: number[];
}

/** A source line a conflict comes from (1-based line, as compilers print it). */
export interface Place {
  file: string;
  line: number;
}

export interface MapConflict {
  id: number;
  /** Rule id of the diagnostic (`memory-overlap-cells`, …). */
  code: string;
  severity: Severity;
  message: string;
  /** The colliding part of the address space. */
  start: bigint;
  end: bigint;
  /** Ranges involved (one or two). */
  ranges: number[];
  /** The message is the checks layer's diagnostic: always, the map draws only what the checks report. */
  fromChecks: boolean;
  /** Where each party declares what collides (the diagnostic and its related location). */
  places: Place[];
}

/** A communication region: a hypervisor page mapped at a guest address, not a physical range. */
export interface CommRegion {
  lane: string;
  virt: bigint;
  size: bigint;
  name: string;
  loc?: Loc;
}

export interface SharedRange {
  start: bigint;
  end: bigint;
  name: string;
  lanes: string[];
  kind: 'ivshmem' | 'shared';
}

export interface Gap {
  start: bigint;
  end: bigint;
}

export interface GridConflict {
  code: string;
  severity: Severity;
  message: string;
  /** Lanes whose cells hold the CPU/pin in conflict. */
  lanes: string[];
  fromChecks: boolean;
  /** Where each holder declares it (the diagnostic and its related location). */
  places: Place[];
}

export interface CpuGrid {
  /** Every CPU some cell holds, ascending. */
  cpus: number[];
  /** Per lane (root and cells): the CPUs it holds. */
  rows: { lane: string; cpus: number[]; loc?: Loc }[];
  /** By CPU number. */
  conflicts: { cpu: number; conflict: GridConflict }[];
}

/** A run of consecutive pins of one interrupt controller held by the same cells. */
export interface IrqColumn {
  chip: bigint;
  first: number;
  last: number;
  lanes: string[];
  conflict?: GridConflict;
}

export interface IrqGrid {
  /** GIC INTIDs (arm) or IOAPIC pins (x86). */
  unit: 'INTID' | 'pin';
  chips: { address: bigint; label: string; ignored: boolean }[];
  columns: IrqColumn[];
  /** Irqchip entries per lane, for jump-to-source. */
  locs: { lane: string; loc: Loc; chip: bigint }[];
}

export interface MemoryMap {
  title: string;
  arch?: Arch;
  lanes: Lane[];
  /** Sorted by start, then end. */
  ranges: MapRange[];
  conflicts: MapConflict[];
  /** Set when there were more conflicts than the map keeps. */
  conflictsTruncated: boolean;
  shared: SharedRange[];
  comm: CommRegion[];
  /** Holes between the lowest and highest mapped address. */
  gaps: Gap[];
  cpus: CpuGrid;
  irqs: IrqGrid;
  /** Why some input could not be drawn (a file without a model, …). */
  notes: string[];
}
