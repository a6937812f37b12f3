// Number and flag presentation shared by hover and inlay hints: hex/decimal, human sizes,
// CPU lists from bitmaps, and flag/enum decoding from the schema's constant groups.
import { decodeConstant as decode } from '../schema';
import { bitIds, hex, humanSize, rangeList } from '../util/format';

export { decode, hex, humanSize, rangeList as ranges };

/** CPU numbers set in bitmap words (word w bit b = CPU 64*w + b), as ranges: `0-3, 6`. */
export function cpuList(words: readonly bigint[], wordBits = 64): string {
  return rangeList(bitIds(words, wordBits));
}

/** `JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | 0x400`, or the plain value when nothing decodes. */
export function describeValue(value: bigint, group: string | undefined): string {
  if (!group) return hex(value);
  const d = decode(value, group);
  const parts = [...d.names];
  if (d.rest !== 0n) parts.push(hex(d.rest));
  return parts.length ? parts.join(' | ') : hex(value);
}
