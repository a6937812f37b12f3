// The vocabulary of the console explainer: what a line of the hypervisor's or the driver's
// output says (LogEvent, read by log.ts), and what we make of it against the configs
// (Explanation, built by explain.ts). The CLI (`jhcell explain`), the language server
// (`jailhouse/explainLog`) and the VS Code command all speak these types.
import type { Fix } from '../rules/types';

export type EventKind =
  /** A guest access the hypervisor could not handle: MMIO/RAM data abort (ARM), EPT/NPT violation (x86). */
  | 'mmio'
  /** x86 port I/O that is not granted. */
  | 'pio'
  /** x86 MSR read/write the hypervisor does not handle. */
  | 'msr'
  /** An instruction fetch that faulted (ARM instruction abort). */
  | 'instruction'
  /** An SMC/HVC the hypervisor does not handle. */
  | 'smc'
  /** Any other fatal trap (exception class, IOAPIC, i8042, …) we can name but not place. */
  | 'trap'
  /** A driver error as user space shows it (JAILHOUSE_CELL_CREATE: Invalid argument, …). */
  | 'driver'
  /** Informational: a cell created, a CPU parked/stopped, page-pool usage. */
  | 'info';

export interface LogEvent {
  /** 0-based line of the log text where the event starts. */
  line: number;
  /** 0-based last line the event spans (a trap with its register dump, …). */
  endLine: number;
  kind: EventKind;
  /** The line as the hypervisor printed it (timestamps, colours and CR removed). */
  text: string;
  /** Guest-physical address (mmio, instruction), port (pio, i8042 trap), MSR number (msr) or SMCCC function id (smc). */
  address?: bigint;
  access?: 'read' | 'write';
  /** Access size in bytes. */
  size?: number;
  /** The CPU the event happened on, when the log says (or the parking line after it). */
  cpu?: number;
  /** The cell, when the log names it (`Parking CPU 3 (Cell: "inmate-demo")`, `Created cell "…"`). */
  cellName?: string;
  /** ARM exception class / x86 exit reason, when printed. */
  exceptionClass?: number;
  /** Driver errors: the errno name (EINVAL, E2BIG, EBUSY, ENOSPC, ENOMEM, …) and the ioctl. */
  errno?: string;
  ioctl?: string;
  /** Driver errors: the config file the failing `jailhouse enable|cell create|cell linux` command named. */
  configFile?: string;
  /** `Page pool usage after …: mem X/Y, remap X/Y` (pages). */
  pool?: { memUsed: number; memTotal: number; remapUsed?: number; remapTotal?: number };
  /** The line is cut (truncated log) or garbled: its format is recognised, its fields are not all there. */
  incomplete?: boolean;
}

/** A region of a config that covers (part of) the event's address. */
export interface Covering {
  file: string;
  /** Index in mem_regions (or pio_regions for pio events). */
  region: number;
  /** The comment name of the region, if any. */
  name?: string;
  /** The cell's name. */
  cell: string;
}

export interface Explanation {
  event: LogEvent;
  /** The cell the event belongs to (by name from the log, else by the CPU that owns it). */
  cell?: { name: string; file: string; how: 'named' | 'cpu' };
  covering: Covering[];
  /** The board device at the address (bundled board, DTS, or the root cell as board). */
  device?: { name: string; start: bigint; size: bigint; source: string; interrupts?: number[] };
  /** Plain words: what the access hit and what is wrong. */
  message: string;
  /** Rule ids that explain a driver error (E2BIG → config-size, …). */
  rules?: string[];
  /** Edits that make the access legal (add a region / width flag / PIO_RANGE / irqchip bit). */
  fixes: Fix[];
}
