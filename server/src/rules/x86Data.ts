// What the x86 findings pio-shared, vtd-interrupt-limit and irqchip-id carry for their quick
// fixes (diag.data, plain JSON).

export interface PioSharedData {
  file: string;
  /** Index of the port range in the cell's pio_regions. */
  index: number;
}

export interface VtdLimitData {
  file: string;
  /** The value the fix writes. */
  limit: number;
}

export interface IrqchipIdData {
  file: string;
  index: number;
  /** The root's id for this IOAPIC, as written in the fix (hex). */
  id: string;
}
