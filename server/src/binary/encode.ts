// The bytes gcc + `objcopy -O binary` produce for a config source: the packed wrapper object
// as declared (header, then each member at its declared length), little-endian, with every
// element and field the initializer leaves out as zero.
import { INT_BITS, sizeOf, struct } from '../schema';
import type { TypeRef } from '../schema';
import type { ConfigModel, Value } from '../core/model';

/**
 * Size of one wrapper member, or 0 when its type is not one the schema knows (the engine has
 * reported that already; such a member cannot be laid out like the compiler would).
 */
export function memberSize(type: TypeRef): number {
  try {
    return sizeOf(type);
  } catch {
    return 0;
  }
}

export function encodeConfig(model: ConfigModel): Uint8Array {
  const sizes = model.members.map((m) => memberSize(m.type));
  const out = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  model.members.forEach((m, i) => {
    const v = model.value.items[i];
    if (v && sizes[i] > 0) writeValue(out, offset, m.type, v);
    offset += sizes[i];
  });
  return out;
}

/** Writes `v` (a value following the schema type `t`) at `offset`. Undefined parts stay zero. */
export function writeValue(out: Uint8Array, offset: number, t: TypeRef, v: Value): void {
  switch (t.kind) {
    case 'int':
      writeInt(out, offset, INT_BITS[t.int] / 8, intOf(v));
      return;
    case 'bits':
      // A bit-field on its own (not reached through a struct); bit 0 of its unit.
      writeBits(out, offset, INT_BITS[t.int] / 8, 0, t.width, intOf(v));
      return;
    case 'char':
      writeChars(out, offset, t.length, v);
      return;
    case 'array': {
      if (v.kind !== 'agg') {
        // A scalar where an array is expected initializes element 0 (C brace elision).
        writeValue(out, offset, t.of, v);
        return;
      }
      const elem = sizeOf(t.of);
      const n = Math.min(v.items.length, t.length);
      for (let i = 0; i < n; i++) {
        const item = v.items[i];
        if (item) writeValue(out, offset + i * elem, t.of, item);
      }
      return;
    }
    case 'struct': {
      const s = struct(t.name);
      if (v.kind !== 'agg') {
        if (s.fields.length) writeValue(out, offset + s.fields[0].offset, s.fields[0].type, v);
        return;
      }
      if (s.union) {
        // Only the member initialized last survives in a union.
        const idx = v.unionMember ?? v.items.findIndex((x) => x !== undefined);
        const item = idx >= 0 ? v.items[idx] : undefined;
        const f = idx >= 0 ? s.fields[idx] : undefined;
        if (item && f) writeValue(out, offset + f.offset, f.type, item);
        return;
      }
      s.fields.forEach((f, i) => {
        const item = v.items[i];
        if (!item) return;
        if (f.type.kind === 'bits') {
          writeBits(out, offset + f.offset, f.size, f.bitOffset ?? 0, f.type.width, intOf(item));
        } else {
          writeValue(out, offset + f.offset, f.type, item);
        }
      });
      return;
    }
  }
}

function intOf(v: Value): bigint {
  if (v.kind === 'int') return v.value;
  if (v.kind === 'agg') {
    // `{ 5 }` around a scalar.
    const first = v.items[0];
    return first ? intOf(first) : 0n;
  }
  return v.bytes.length ? BigInt(v.bytes[0]) : 0n;
}

function writeInt(out: Uint8Array, offset: number, size: number, value: bigint): void {
  let x = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    out[offset + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

function writeBits(out: Uint8Array, offset: number, unit: number, bitOffset: number, width: number, value: bigint): void {
  let word = readUnit(out, offset, unit);
  const mask = ((1n << BigInt(width)) - 1n) << BigInt(bitOffset);
  word = (word & ~mask) | ((BigInt.asUintN(width, value) << BigInt(bitOffset)) & mask);
  writeInt(out, offset, unit, word);
}

function readUnit(out: Uint8Array, offset: number, size: number): bigint {
  let x = 0n;
  for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(out[offset + i]);
  return x;
}

function writeChars(out: Uint8Array, offset: number, length: number, v: Value): void {
  if (v.kind === 'bytes') {
    out.set(v.bytes.subarray(0, length), offset);
  } else if (v.kind === 'agg') {
    const n = Math.min(v.items.length, length);
    for (let i = 0; i < n; i++) {
      const item = v.items[i];
      if (item) out[offset + i] = Number(BigInt.asUintN(8, intOf(item)));
    }
  } else {
    out[offset] = Number(BigInt.asUintN(8, v.value));
  }
}
