// The board description: what a SoC/board offers to cells (devices with register windows and
// interrupts, RAM, CPUs, the interrupt controller). In memory numbers are bigint; the JSON
// form (boards/*.json, schemas/board.schema.json) writes 64-bit values as "0x…" strings.
import type { ArchName } from '../schema';

export type BoardArch = ArchName;

export interface RegWindow {
  base: bigint;
  size: bigint;
  /** Port I/O (x86) instead of memory-mapped; default MMIO. */
  space?: 'mmio' | 'pio';
}

/** GIC SPI/PPI/SGI number (INTID = 32 + spi, 16 + ppi, sgi), or an IOAPIC pin. */
export interface BoardIrq {
  type: 'spi' | 'ppi' | 'sgi' | 'ioapic';
  number: number;
  /** IOAPIC pins: index into interruptController.ioapics; default 0. */
  ioapic?: number;
  trigger?: 'edge-rising' | 'edge-falling' | 'edge-both' | 'level-high' | 'level-low';
}

export interface BoardDevice {
  name: string;
  compatible: string[];
  reg: RegWindow[];
  interrupts: BoardIrq[];
  description?: string;
  docs?: string;
  /** Device-tree path and label, when it came from a device tree. */
  path?: string;
  label?: string;
  /** Disabled in the board's device tree (present on the SoC, not wired/enabled on this board). */
  disabled?: boolean;
}

export interface GicController {
  type: 'gic';
  version: 2 | 3;
  gicd: bigint;
  gicc?: bigint;
  gich?: bigint;
  gicv?: bigint;
  gicr?: bigint;
  /** Maintenance interrupt as PPI number (INTID − 16). */
  maintenancePpi?: number;
}

export interface Ioapic {
  base: bigint;
  id?: number;
  pins: number;
  gsiBase?: number;
}

export interface IoapicController {
  type: 'ioapic';
  ioapics: Ioapic[];
}

export type InterruptController = GicController | IoapicController;

export interface BoardCpu {
  id: number;
  /** MPIDR (ARM) or APIC id (x86), from the cpu node's reg. */
  reg?: bigint;
  compatible?: string;
}

export interface BoardSource {
  description: string;
  repo?: string;
  paths?: string[];
  version?: string;
  commit?: string;
  url?: string;
}

/**
 * The board's debug console: the device the device tree's `chosen/stdout-path` names (through
 * `aliases` when it names `serial0` …), with the options written after the colon.
 */
export interface BoardConsole {
  /** The device's `name` in `devices`. */
  device: string;
  /** What followed the `:` in stdout-path (`115200n8`), when anything did. */
  options?: string;
}

export interface Board {
  id: string;
  name: string;
  soc?: string;
  arch: BoardArch;
  source: BoardSource;
  cpus: { count: number; list?: BoardCpu[] };
  ram: RegWindow[];
  interruptController?: InterruptController;
  devices: BoardDevice[];
  console?: BoardConsole;
}

/** INTID of a GIC interrupt; undefined for IOAPIC pins. */
export function intidOf(irq: BoardIrq): number | undefined {
  switch (irq.type) {
    case 'spi':
      return irq.number + 32;
    case 'ppi':
      return irq.number + 16;
    case 'sgi':
      return irq.number;
    default:
      return undefined;
  }
}

export function irqLabel(irq: BoardIrq): string {
  if (irq.type === 'ioapic') return irq.ioapic ? `IOAPIC${irq.ioapic} pin ${irq.number}` : `pin ${irq.number}`;
  return `${irq.type.toUpperCase()} ${irq.number}`;
}

export { hex, humanSize as sizeLabel } from '../util/format';
