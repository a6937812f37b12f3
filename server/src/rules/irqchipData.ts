// What the irqchip checks and their fixes share: the GIC distributor of the root cell, and what
// an irqchip-address finding carries for its fix (diag.data).
import type { CellRef, RuleContext } from './types';

export const isArm = (c: CellRef) => c.model.arch === 'arm' || c.model.arch === 'arm64';

export function gicd(ctx: RuleContext): bigint | undefined {
  const a = ctx.root?.model.system?.platform_info.arm;
  return ctx.root && isArm(ctx.root) && a && a.gicd_base !== 0n ? a.gicd_base : undefined;
}

export interface IrqchipAddressData {
  file: string;
  index: number;
  /** The controller addresses the entry may be pointed at (hex), best first. */
  addresses: string[];
  controller: 'GIC distributor' | 'IOAPIC';
}

/** What irq-shared and irq-not-in-root carry (diag.data): the controller and the interrupts. */
export interface IrqData {
  file: string;
  /** Address of the controller (hex). */
  chip: string;
  /** The interrupts the finding is about: GIC INTIDs on ARM, IOAPIC pins on x86. */
  irqs: number[];
}
