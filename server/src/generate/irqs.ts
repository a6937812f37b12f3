// The root's interrupts: one irqchip entry per 128 INTIDs holding a device's SPI (pin_base 32,
// 160, …; docs/format.md §5.5), and the four SPIs the virtual PCI host raises INTx on.
import type { Board, BoardDevice } from '../boards/types';
import { GenerateError } from './errors';

/** INTIDs one irqchip entry covers (its pin_bitmap: four 32-bit words). */
export const PINS_PER_CHIP = 128;
/** Highest SPI number a GIC can have (INTID 1019). */
const MAX_SPI = 987;

export interface IrqchipPlan {
  pinBase: number;
  /** Four 32-bit words. */
  bitmap: bigint[];
  /** INTIDs granted, for the comment. */
  intids: number[];
}

export const spisOf = (devices: readonly BoardDevice[]): number[] =>
  [...new Set(devices.flatMap((d) => d.interrupts.filter((q) => q.type === 'spi').map((q) => q.number)))].sort((a, b) => a - b);

/** Irqchip entries granting exactly these INTIDs (each ≥ 32). */
export function irqchipsFor(intids: readonly number[]): IrqchipPlan[] {
  const byChip = new Map<number, number[]>();
  for (const id of [...new Set(intids)].sort((a, b) => a - b)) {
    if (id < 32) continue;
    const chip = Math.floor((id - 32) / PINS_PER_CHIP);
    byChip.set(chip, [...(byChip.get(chip) ?? []), id]);
  }
  return [...byChip.entries()].map(([chip, ids]) => {
    const pinBase = 32 + chip * PINS_PER_CHIP;
    const bitmap = [0n, 0n, 0n, 0n];
    for (const id of ids) bitmap[Math.floor((id - pinBase) / 32)] |= 1n << BigInt((id - pinBase) % 32);
    return { pinBase, bitmap, intids: ids };
  });
}

/**
 * The first SPI of four consecutive ones no device of the board uses (disabled devices count:
 * a later device tree may enable them); above the highest used SPI only when no gap has room,
 * since the GIC may implement no more lines than the board uses.
 */
export function vpciIrqBase(board: Board): { base: number; beyondUsed: boolean } {
  const used = new Set(spisOf(board.devices));
  const highest = used.size ? Math.max(...used) : -1;
  for (let b = 0; b + 3 <= highest; b++) {
    if (![0, 1, 2, 3].some((i) => used.has(b + i))) return { base: b, beyondUsed: false };
  }
  if (highest + 4 > MAX_SPI) throw new GenerateError('no four consecutive SPIs are free for the virtual PCI host\'s INTx');
  return { base: highest + 1, beyondUsed: true };
}
