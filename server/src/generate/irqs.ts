// The root's interrupts: one irqchip entry per 128 INTIDs holding a device's SPI (pin_base 32,
// 160, …; docs/format.md §5.5), the four SPIs the virtual PCI host raises INTx on, and a block
// of SPIs the cells on the ivshmem links raise theirs on.
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

/** SPIs kept for the virtual PCI INTx of the cell on each ivshmem link (a cell's vpci_irq_base block). */
export const CELL_VPCI_SPIS = 4;

export interface VpciSpis {
  /** The root's vpci_irq_base: its own virtual PCI INTx on base..base+3. */
  base: number;
  /** First SPI of the cells' block (base + 4): link k's cell gets cellBase + 4k .. + 3. */
  cellBase: number;
  /** SPIs in the cells' block (4 per link). */
  cellCount: number;
  beyondUsed: boolean;
}

/**
 * The root's four virtual PCI SPIs followed by 4 per ivshmem link for the cells, all on lines no
 * device of the board uses (disabled devices count: a later device tree may enable them); above
 * the highest used SPI only when no gap has room, since the GIC may implement no more lines than
 * the board uses. The cells' block sits right after the root's so `new cell` can find it from the
 * root config alone (vpci_irq_base + 4 + 4k, owned by the root; docs/generate.md "New cell").
 */
export function vpciIrqBase(board: Board, links = 0): VpciSpis {
  const used = new Set(spisOf(board.devices));
  const highest = used.size ? Math.max(...used) : -1;
  const cellCount = CELL_VPCI_SPIS * links;
  const need = 4 + cellCount;
  const found = (base: number, beyondUsed: boolean): VpciSpis => ({ base, cellBase: base + 4, cellCount, beyondUsed });
  for (let b = 0; b + need - 1 <= highest; b++) {
    let clear = true;
    for (let i = 0; i < need && clear; i++) clear = !used.has(b + i);
    if (clear) return found(b, false);
  }
  if (highest + need > MAX_SPI) throw new GenerateError(`no ${need} consecutive SPIs are free for the virtual PCI host's INTx (4 for the root, ${CELL_VPCI_SPIS} per ivshmem link for the cells)`);
  return found(highest + 1, true);
}
