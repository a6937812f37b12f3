// What the generators take and give: the one contract between generate/system.ts (a root cell
// from a board), generate/cell.ts (a non-root cell from a system), the CLI (`jhcell new`) and the
// editor's wizards (protocol requests in protocol/methods.ts).

/** A generated config: the C text and what the user must do outside it. */
export interface GeneratedConfig {
  /** The complete C source, ready to write to a file. */
  text: string;
  /** A file name a person would choose (`imx8mm-evk.c`, `imx8mm-evk-rtos.c`). */
  fileName: string;
  /**
   * What the config cannot do itself, one sentence each: the kernel command line or the
   * `reserved-memory` node that keeps Linux off the carve-out and the cell RAM, a device the
   * board lists without a register window, a choice made for the user (and the option that
   * changes it).
   */
  notes: string[];
}

/** Options of `jhcell new system` and the New System Configuration wizard. */
export interface SystemOptions {
  /** The root cell's name (`.name`); default: the board id. */
  name?: string;
  /** Hypervisor carve-out size in bytes; default: from the page-pool estimate, rounded up. */
  hypervisorSize?: bigint;
  /** RAM kept for non-root cells (and ivshmem), in bytes; default chosen by the generator. */
  cellRamSize?: bigint;
  /** The debug console: a board device name, a device-tree label or path, or an address; default: `chosen/stdout-path`. */
  console?: string;
  /** How many ivshmem links (root ↔ one cell each) to prepare; default 1. */
  ivshmemLinks?: number;
}

/** Options of `jhcell new cell` and the New Cell wizard. */
export interface CellOptions {
  name: string;
  /** CPU ids; default: the highest free CPU. */
  cpus?: number[];
  /** RAM in bytes; default: 16 MiB for a bare-metal inmate, 128 MiB for Linux (fits the free cell area or says so). */
  ramSize?: bigint;
  /** Devices to pass (board device names, device-tree labels, or root region names). */
  devices?: string[];
  /** A Linux cell (boot parameters, more RAM, virtual PCI) instead of a bare-metal inmate. */
  linux?: boolean;
  /**
   * Where the cell's RAM starts (page aligned, inside root RAM no other cell uses); required
   * when the root names no RAM region for cells (CellChoices.cellAreaProblem says so).
   */
  ramStart?: bigint;
}

/** What a new cell could take from a system: the wizard's choices. */
export interface CellChoices {
  arch: string;
  /** Root CPUs no other cell of the system takes. */
  freeCpus: number[];
  allCpus: number[];
  /** Free pieces of the root's cell RAM area. */
  freeRam: { start: bigint; size: bigint }[];
  /** The root region the cell RAM comes from (or why none was found). */
  cellArea?: { start: bigint; size: bigint; name?: string };
  cellAreaProblem?: string;
  /** Devices the cell can take: name, register windows, interrupts (GIC SPI numbers / pins), whether the root keeps it (ROOTSHARED). */
  devices: { name: string; windows: { start: bigint; size: bigint }[]; irqs: number[]; rootShared: boolean; takenBy?: string }[];
  /** Free ivshmem link endpoints of the root (BDFs). */
  ivshmemLinks: { bdf: number; name?: string }[];
}
