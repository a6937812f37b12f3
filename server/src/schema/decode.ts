// A value read back as the constants of its group: hover, inlay hints and the dump listing all
// name flags and enum values through this one function.
import { CONSTANT_GROUPS, constantsOfGroup } from './constants';

export interface Decoded {
  /** Constant names whose bits (flags) or value (enum) make up the value, in value order. */
  names: string[];
  /** Bits set that no constant of the group names (flags only); the whole value when nothing matched. */
  rest: bigint;
}

function popcount(v: bigint): number {
  let n = 0;
  for (let x = v; x > 0n; x >>= 1n) n += Number(x & 1n);
  return n;
}

/** Splits a value into the group's named flags (single-bit and multi-bit masks) or its enum name. */
export function decodeConstant(value: bigint, group: string): Decoded {
  const g = CONSTANT_GROUPS.find((x) => x.id === group);
  const consts = constantsOfGroup(group);
  if (!g) return { names: [], rest: value };
  if (g.kind === 'enum') {
    const k = consts.find((c) => c.value === value);
    return k ? { names: [k.name], rest: 0n } : { names: [], rest: value };
  }
  let rest = value;
  const found: { name: string; value: bigint }[] = [];
  // Widest masks first so a multi-bit constant is preferred over its parts; zero-valued
  // "flags" (JAILHOUSE_CON_ACCESS_PIO) describe a cleared bit and are not listed.
  for (const c of [...consts].sort((a, b) => popcount(b.value) - popcount(a.value))) {
    if (c.value !== 0n && (rest & c.value) === c.value) {
      found.push(c);
      rest &= ~c.value;
    }
  }
  found.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { names: found.map((c) => c.name), rest };
}
