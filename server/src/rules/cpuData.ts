// What a CPU finding carries for its fix (diag.data), and the CPUs of a cell both read.
import { bitIds } from '../util/format';
import type { CellRef } from './types';

/** Logical CPU numbers set in a cell's bitmap (declared words). */
export function cpusOf(c: CellRef): number[] {
  return bitIds(c.model.cpus);
}

export interface CpuData {
  file: string;
  /** CPUs to give up. */
  cpus: number[];
}
