// Number and flag presentation shared by hover and inlay hints: hex/decimal, human sizes,
// CPU lists from bitmaps, and flag/enum decoding from the schema's constant groups.
import { CONSTANT_GROUPS, constantsOfGroup } from '../schema';
import { bitIds, hex, humanSize, rangeList } from '../util/format';

export { hex, humanSize, rangeList as ranges };

/** CPU numbers set in bitmap words (word w bit b = CPU 64*w + b), as ranges: `0-3, 6`. */
export function cpuList(words: readonly bigint[], wordBits = 64): string {
  return rangeList(bitIds(words, wordBits));
}

export interface Decoded {
  /** Constant names whose bits (flags) or value (enum) make up the value. */
  names: string[];
  /** Bits set that no constant of the group names (flags only). */
  rest: bigint;
}

/** Splits a value into the group's named flags (single-bit and multi-bit masks) or its enum name. */
export function decode(value: bigint, group: string): Decoded {
  const g = CONSTANT_GROUPS.find((x) => x.id === group);
  const consts = constantsOfGroup(group);
  if (!g) return { names: [], rest: value };
  if (g.kind === 'enum') {
    const k = consts.find((c) => c.value === value);
    return k ? { names: [k.name], rest: 0n } : { names: [], rest: value };
  }
  let rest = value;
  const names: string[] = [];
  // Widest masks first so a multi-bit constant is preferred over its parts; zero-valued
  // "flags" (JAILHOUSE_CON_ACCESS_PIO) describe a cleared bit and are not listed.
  for (const c of [...consts].sort((a, b) => popcount(b.value) - popcount(a.value))) {
    if (c.value !== 0n && (rest & c.value) === c.value) {
      names.push(c.name);
      rest &= ~c.value;
    }
  }
  names.sort((a, b) => Number(valueOf(consts, a) - valueOf(consts, b)));
  return { names, rest };
}

function valueOf(consts: { name: string; value: bigint }[], name: string): bigint {
  return consts.find((c) => c.name === name)?.value ?? 0n;
}

function popcount(v: bigint): number {
  let n = 0;
  for (let x = v; x > 0n; x >>= 1n) if (x & 1n) n++;
  return n;
}

/** `JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | 0x400`, or the plain value when nothing decodes. */
export function describeValue(value: bigint, group: string | undefined): string {
  if (!group) return hex(value);
  const d = decode(value, group);
  const parts = [...d.names];
  if (d.rest !== 0n) parts.push(hex(d.rest));
  return parts.length ? parts.join(' | ') : hex(value);
}
