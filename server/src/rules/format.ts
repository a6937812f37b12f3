// How rules talk about things: hex addresses, human sizes, names taken from comments.
import type { MemoryRegion, Node } from '../core/model';
import type { CellRef } from './types';
import { bdfText, hex as hexDigits, humanSize, plural, rangeList as cpuList } from '../util/format';

export { bdfText, cpuList, humanSize, plural };

/** Addresses in messages are padded to 8 digits, as memory maps print them. */
export function hex(v: bigint, minDigits = 8): string {
  return hexDigits(v, minDigits);
}

/** `[0x40000000-0x7fffffff]`, inclusive end as people read memory maps. */
export function span(start: bigint, size: bigint): string {
  return `${hex(start)}-${hex(start + size - 1n)}`;
}

/** `region #3 "RAM"` or `region #3`. */
export function nodeLabel(kind: string, node: Node): string {
  const name = node.$name ? ` "${node.$name}"` : '';
  return node.$index >= 0 ? `${kind} #${node.$index}${name}` : `${kind}${name}`;
}

export function regionLabel(r: MemoryRegion): string {
  return nodeLabel('region', r);
}

export function cellLabel(c: CellRef): string {
  return c.isRoot ? `root cell "${c.label}"` : `cell "${c.label}"`;
}

