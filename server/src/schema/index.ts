// Layout and look-up over the struct table: sizes, offsets, and designator resolution
// through anonymous members.
import { STRUCTS } from './structs';
import type { IntKind, LaidOutField, LaidOutStruct, TypeRef } from './types';

export * from './types';
export { STRUCTS, WRAPPER_SECTIONS, C_INT_TYPES } from './structs';
export type { SectionName } from './structs';
export { decodeConstant, type Decoded } from './decode';
export { ARCH_NAMES, archName, CELL_NAME_MAXLEN, IVSHMEM_BAR_MASKS, CONSTANTS, CONSTANT_GROUPS, CONSTANTS_BY_NAME, constantsOfGroup } from './constants';

export const INT_BITS: Record<IntKind, number> = { u8: 8, u16: 16, u32: 32, u64: 64, s8: 8, s16: 16, s32: 32, s64: 64 };
export const isSigned = (k: IntKind): boolean => k[0] === 's';

const laidOut = new Map<string, LaidOutStruct>();

export function struct(name: string): LaidOutStruct {
  const s = laidOut.get(name);
  if (!s) throw new Error(`schema: unknown struct ${name}`);
  return s;
}

export function sizeOf(t: TypeRef): number {
  switch (t.kind) {
    case 'int':
    case 'bits':
      return INT_BITS[t.int] / 8;
    case 'char':
      return t.length;
    case 'array':
      return t.length * sizeOf(t.of);
    case 'struct':
      return struct(t.name).size;
  }
}

function layout(name: string): LaidOutStruct {
  const done = laidOut.get(name);
  if (done) return done;
  const def = STRUCTS.find((s) => s.name === name);
  if (!def) throw new Error(`schema: unknown struct ${name}`);
  const fields: LaidOutField[] = [];
  let offset = 0;
  let size = 0;
  let bitPos = 0; // bits used in the current bit-field unit
  let unitSize = 0;
  for (const field of def.fields) {
    if (field.type.kind === 'struct') layout(field.type.name);
    if (field.type.kind === 'array' && field.type.of.kind === 'struct') layout(field.type.of.name);
    if (def.union) {
      const sz = sizeOf(field.type);
      fields.push({ ...field, offset: 0, size: sz });
      size = Math.max(size, sz);
      continue;
    }
    if (field.type.kind === 'bits') {
      const unit = INT_BITS[field.type.int];
      if (unitSize === 0 || bitPos + field.type.width > unit) {
        if (unitSize) offset += unitSize;
        unitSize = unit / 8;
        bitPos = 0;
      }
      fields.push({ ...field, offset, size: unitSize, bitOffset: bitPos });
      bitPos += field.type.width;
      size = offset + unitSize;
      continue;
    }
    if (unitSize) {
      offset += unitSize;
      unitSize = 0;
      bitPos = 0;
    }
    const sz = sizeOf(field.type);
    fields.push({ ...field, offset, size: sz });
    offset += sz;
    size = offset;
  }
  const s: LaidOutStruct = { ...def, fields, size };
  laidOut.set(name, s);
  return s;
}

for (const s of STRUCTS) layout(s.name);

/**
 * Resolves a designator name in a struct: the chain of fields to walk, descending through
 * anonymous members (`.arm` in platform_info is `<anon union>.arm`).
 */
export function resolveField(s: LaidOutStruct, name: string): LaidOutField[] | undefined {
  for (const f of s.fields) {
    if (f.name === name) return [f];
    if (f.anonymous && f.type.kind === 'struct') {
      const inner = resolveField(struct(f.type.name), name);
      if (inner) return [f, ...inner];
    }
  }
  return undefined;
}

/** All designator names valid directly inside a struct (anonymous members flattened). */
export function visibleFields(s: LaidOutStruct): LaidOutField[] {
  const out: LaidOutField[] = [];
  for (const f of s.fields) {
    if (f.anonymous && f.type.kind === 'struct') out.push(...visibleFields(struct(f.type.name)));
    else out.push(f);
  }
  return out;
}

/** The struct a C type spelling names, e.g. `struct jailhouse_memory`. */
export function structByCName(cName: string): LaidOutStruct | undefined {
  for (const s of laidOut.values()) if (s.cName === cName) return s;
  return undefined;
}

/** Bytes before the first wrapper array: sizeof the header struct the image starts with. */
export const SYSTEM_HEADER_SIZE = struct('jailhouse_system').size;
export const CELL_HEADER_SIZE = struct('jailhouse_cell_desc').size;
