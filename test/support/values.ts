// Test helpers: describe a config as a plain object once, then get both the engine's value
// tree (input of the encoder) and the equivalent C source (input of gcc) from it.
import { CELL_HEADER_SIZE, CONSTANT_GROUPS, INT_BITS, constantsOfGroup, resolveField, sizeOf, struct } from '../../server/src/schema';
import type { TypeRef } from '../../server/src/schema';
import type { AggValue, ConfigModel, Value, WrapperMember } from '../../server/src/core/model';

/** number/bigint for integers, string for char arrays, arrays, objects keyed by field name. */
export type Plain = number | bigint | string | Plain[] | { [field: string]: Plain };

export function valueFromPlain(t: TypeRef, p: Plain): Value {
  switch (t.kind) {
    case 'int':
    case 'bits':
      return { kind: 'int', value: BigInt(p as number | bigint) };
    case 'char': {
      const bytes = new Uint8Array(t.length);
      const enc = new TextEncoder().encode(p as string);
      bytes.set(enc.subarray(0, t.length));
      return { kind: 'bytes', bytes, text: p as string };
    }
    case 'array': {
      const list = p as Plain[];
      return { kind: 'agg', type: t, items: list.map((x) => valueFromPlain(t.of, x)) };
    }
    case 'struct': {
      const s = struct(t.name);
      const agg: AggValue = { kind: 'agg', type: t, items: [] };
      for (const [name, v] of Object.entries(p as Record<string, Plain>)) {
        const chain = resolveField(s, name);
        if (!chain) throw new Error(`no field ${name} in ${t.name}`);
        // Walk anonymous members, creating their aggregates on the way.
        let cur = agg;
        let curStruct = s;
        for (const f of chain.slice(0, -1)) {
          const idx = curStruct.fields.indexOf(f);
          const inner = (cur.items[idx] as AggValue | undefined) ?? { kind: 'agg', type: f.type, items: [] };
          cur.items[idx] = inner;
          curStruct = struct((f.type as { name: string }).name);
          cur = inner;
        }
        const last = chain[chain.length - 1];
        const idx = curStruct.fields.indexOf(last);
        cur.items[idx] = valueFromPlain(last.type, v);
        if (curStruct.union) cur.unionMember = idx;
      }
      return agg;
    }
  }
}

export interface PlainMember {
  name: string;
  /** `struct jailhouse_x` or `__u64`. */
  cType: string;
  type: TypeRef;
  /** Declared length for arrays. */
  length?: number;
  init?: Plain;
}

/** A ConfigModel holding just what the encoder reads (members and the value tree). */
export function modelFromPlain(kind: 'system' | 'cell', members: PlainMember[]): ConfigModel {
  const loc = { file: 'test.c', start: 0, end: 0 };
  const wm: WrapperMember[] = members.map((m, i) => ({
    name: m.name,
    role: i === 0 ? 'header' : (m.name as WrapperMember['role']),
    type: m.length === undefined ? m.type : { kind: 'array', of: m.type, length: m.length },
    length: m.length,
    loc,
    initialized: Array.isArray(m.init) ? m.init.length : 0,
  }));
  const value: AggValue = {
    kind: 'agg',
    type: { kind: 'struct', name: '<wrapper>' },
    items: members.map((m, i) => (m.init === undefined ? undefined : valueFromPlain(wm[i].type, m.init))),
  };
  return { file: 'test.c', kind, members: wm, value } as unknown as ConfigModel;
}

/**
 * Random spelling choices for the C text (literal bases, negative forms, expressions, constant
 * names, index designators, designator chains); absent = one plain spelling.
 */
export type Style = () => number;

function intText(v: bigint, bits: number, group: string | undefined, r?: Style): string {
  const plain = `0x${v.toString(16)}ULL`;
  if (!r) return plain;
  const pick = r();
  const max = 1n << BigInt(bits);
  if (group && pick < 0.3) {
    // Named constants: an exact enum value, or flags OR-ed together.
    const named = constantsOfGroup(group).filter((c) => c.value !== 0n);
    const exact = named.find((c) => c.value === v);
    if (exact) return exact.name;
    const parts = named.filter((c) => (c.value & v) === c.value && (c.value & (c.value - 1n)) === 0n);
    const covered = parts.reduce((a, c) => a | c.value, 0n);
    if (parts.length && CONSTANT_GROUPS.find((g) => g.id === group)?.kind === 'flags') {
      const rest = v & ~covered;
      return [...parts.map((c) => c.name), ...(rest ? [`0x${rest.toString(16)}ULL`] : [])].join(' | ');
    }
  }
  if (pick < 0.45 && v >= max / 2n && bits > 1) {
    // A negative int/long long converted to the unsigned field (sign extension into 64 bits).
    const neg = max - v;
    if (bits === 64) return neg < 1n << 63n ? `-${neg}LL` : plain;
    return neg <= 1n << 31n ? `-${neg}` : plain;
  }
  if (pick < 0.6 && v < 1n << 31n) return `${v}`;
  if (pick < 0.7 && v < 1n << 16n) return `0b${v.toString(2)}`;
  if (pick < 0.8 && v > 0xffffffffn) return `(0x${(v >> 32n).toString(16)}ULL << 32) | 0x${(v & 0xffffffffn).toString(16)}U`;
  if (pick < 0.9 && v > 1n && v < 1n << 30n) return `(${v - 1n} + 1)`;
  return plain;
}

function cValue(t: TypeRef, p: Plain, r?: Style, group?: string): string {
  switch (t.kind) {
    case 'int':
    case 'bits':
      return intText(BigInt(p as number | bigint), t.kind === 'bits' ? t.width : INT_BITS[t.int], group, r);
    case 'char':
      return JSON.stringify(p);
    case 'array': {
      const items = (p as Plain[]).map((x, i) => ({ i, text: cValue(t.of, x, r, group) }));
      if (r && items.length > 1 && r() < 0.4) {
        // Index designators, in a shuffled order.
        for (let i = items.length - 1; i > 0; i--) {
          const j = Math.floor(r() * (i + 1));
          [items[i], items[j]] = [items[j], items[i]];
        }
        return `{ ${items.map((x) => `[${x.i}] = ${x.text}`).join(', ')} }`;
      }
      return `{ ${items.map((x) => x.text).join(', ')} }`;
    }
    case 'struct':
      return `{ ${designated(t.name, p as Record<string, Plain>, '', r).join(', ')} }`;
  }
}

/** `.f = v` initializers of a struct value; nested named structs sometimes as `.a.b = v` chains. */
function designated(structName: string, p: Record<string, Plain>, prefix: string, r?: Style): string[] {
  const s = struct(structName);
  return Object.entries(p).flatMap(([name, v]) => {
    const chain = resolveField(s, name)!;
    const f = chain[chain.length - 1];
    if (r && f.type.kind === 'struct' && !struct(f.type.name).union && Object.keys(v as object).length && r() < 0.4) {
      return designated(f.type.name, v as Record<string, Plain>, `${prefix}.${name}`, r);
    }
    return [`${prefix}.${name} = ${cValue(f.type, v, r, f.constants)}`];
  });
}

/** The C source gcc compiles to the same bytes the encoder writes for `members`. */
export function cSource(members: PlainMember[], style?: Style): string {
  const decls = members
    .map((m) => `\t${m.cType} ${m.name}${m.length === undefined ? '' : `[${m.length}]`};`)
    .join('\n');
  const inits = members
    .filter((m) => m.init !== undefined)
    .map((m) => `\t.${m.name} = ${cValue(m.length === undefined ? m.type : { kind: 'array', of: m.type, length: m.length }, m.init!, style)},`)
    .join('\n');
  return `#include <jailhouse/types.h>\n#include <jailhouse/cell-config.h>\n\nstruct {\n${decls}\n} __attribute__((packed)) config = {\n${inits}\n};\n`;
}

export const HEADER_SIZES = { cell: CELL_HEADER_SIZE, system: sizeOf({ kind: 'struct', name: 'jailhouse_system' }) };
