// Seeded random configs covering every field of every struct (unions, bit-fields, char arrays,
// 64-bit extremes), for comparing the encoder with gcc. Deterministic per seed, so compiled
// images are cached across runs.
import { CONSTANT_GROUPS, INT_BITS, WRAPPER_SECTIONS, constantsOfGroup, sizeOf, struct } from '../../server/src/schema';
import type { FieldDef, TypeRef } from '../../server/src/schema';
import type { Plain, PlainMember } from './values';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randInt(r: () => number, bits: number): bigint {
  const pick = r();
  const max = (1n << BigInt(bits)) - 1n;
  if (pick < 0.15) return 0n;
  if (pick < 0.25) return max;
  if (pick < 0.35) return 1n << BigInt(bits - 1);
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(r() * 65536));
  return v & max;
}

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomPlain(r: () => number, t: TypeRef, fill = 0.7): Plain {
  switch (t.kind) {
    case 'int':
      return randInt(r, INT_BITS[t.int]);
    case 'bits':
      return randInt(r, t.width);
    case 'char': {
      const n = Math.floor(r() * t.length);
      let s = '';
      for (let i = 0; i < n; i++) s += NAME_CHARS[Math.floor(r() * NAME_CHARS.length)];
      return s;
    }
    case 'array': {
      const n = Math.floor(r() * (t.length + 1));
      return Array.from({ length: n }, () => randomPlain(r, t.of, fill));
    }
    case 'struct': {
      const s = struct(t.name);
      const out: Record<string, Plain> = {};
      const fields = s.fields.map((f) => ({
        f,
        inner: f.anonymous && f.type.kind === 'struct' ? struct(f.type.name) : undefined,
      }));
      if (s.union) {
        const f = s.fields[Math.floor(r() * s.fields.length)];
        out[f.name] = randomPlain(r, f.type, fill);
        return out;
      }
      for (const { f, inner } of fields) {
        if (r() > fill) continue;
        if (inner) {
          // An anonymous union: one of its members, named directly.
          const m = inner.fields[Math.floor(r() * inner.fields.length)];
          out[m.name] = randomPlain(r, m.type, fill);
        } else {
          out[f.name] = enumValue(r, f) ?? randomPlain(r, f.type, fill);
        }
      }
      return out;
    }
  }
}

/** Half the time, a named value of the field's enum group (so type-dependent output shows up). */
function enumValue(r: () => number, f: FieldDef): bigint | undefined {
  const group = CONSTANT_GROUPS.find((g) => g.id === f.constants);
  if (!group || group.kind !== 'enum' || r() < 0.5) return undefined;
  const values = constantsOfGroup(group.id);
  return values[Math.floor(r() * values.length)].value;
}

const C_TYPE: Record<string, string> = { u64: '__u64' };

/** A wrapper with random sections whose counts match the declared lengths. */
export function randomConfig(seed: number, kind: 'system' | 'cell'): PlainMember[] {
  const r = rng(seed);
  const headerType: TypeRef = { kind: 'struct', name: kind === 'system' ? 'jailhouse_system' : 'jailhouse_cell_desc' };
  const header = randomPlain(r, headerType) as Record<string, Plain>;
  header.signature = kind === 'system' ? 'JHSYS' : 'JHCLL';
  header.architecture = Math.floor(r() * 3);
  const cell = (kind === 'system' ? ((header.root_cell as Record<string, Plain>) ??= {}) : header) as Record<string, Plain>;
  const members: PlainMember[] = [
    { name: kind === 'system' ? 'header' : 'cell', cType: `struct ${headerType.name}`, type: headerType, init: header },
  ];
  for (const sec of WRAPPER_SECTIONS) {
    const declared = sec.member === 'cpus' ? 1 + Math.floor(r() * 2) : Math.floor(r() * 4);
    if (declared === 0 && r() < 0.7) {
      cell[sec.count] = 0;
      continue;
    }
    const type: TypeRef = sec.elem === 'u64' ? { kind: 'int', int: 'u64' } : { kind: 'struct', name: sec.elem };
    const given = Math.floor(r() * (declared + 1));
    const init = Array.from({ length: given }, () => randomPlain(r, type));
    const cType = sec.elem === 'u64' ? C_TYPE.u64 : (struct(sec.elem).cName ?? `struct ${sec.elem}`);
    members.push({ name: sec.member, cType, type, length: declared, init: given ? init : undefined });
    cell[sec.count] = sec.member === 'cpus' ? declared * sizeOf(type) : declared;
  }
  return members;
}
