// Reads a compiled `.cell` image the way its consumers (driver, hypervisor, `config check`) do:
// the signature decides system vs cell, the header's count fields locate the sections one
// after the other, and bytes after the last section are ignored.
import { CELL_HEADER_SIZE, INT_BITS, SYSTEM_HEADER_SIZE, WRAPPER_SECTIONS, isSigned, sizeOf, struct } from '../schema';
import type { TypeRef } from '../schema';
import { toModelJson } from './modelJson';
import type { ModelJson } from './modelJson';
import type { DecodedImage, ImageKind, RawStruct, RawValue } from './rawImage';


const SIGNATURES: Record<string, ImageKind> = { JHSYS: 'system', JHCLL: 'cell' };

export const NOT_A_CONFIG = 'not a Jailhouse config';

export interface DecodeOptions {
  /**
   * Read as this kind whatever the signature says. Used for images encoded from a source,
   * whose kind is known from the header member's type even when its signature is wrong.
   */
  kind?: ImageKind;
}

/** Kind named by the signature bytes at the start of `bytes`, if any. */
export function imageKind(bytes: Uint8Array): ImageKind | undefined {
  if (bytes.length < 5) return undefined;
  return SIGNATURES[String.fromCharCode(...bytes.subarray(0, 5))];
}

export function readImage(bytes: Uint8Array, options: DecodeOptions = {}): { image?: DecodedImage; errors: string[] } {
  const errors: string[] = [];
  const kind = options.kind ?? imageKind(bytes);
  if (!kind) return { errors: [`${NOT_A_CONFIG}: no JHSYS or JHCLL signature`] };
  const headerSize = kind === 'system' ? SYSTEM_HEADER_SIZE : CELL_HEADER_SIZE;
  if (bytes.length < headerSize) {
    return { errors: [`too short: ${bytes.length} bytes, the ${kind} header alone needs ${headerSize}`] };
  }
  const header = readStruct(bytes, 0, kind === 'system' ? 'jailhouse_system' : 'jailhouse_cell_desc');
  const cell = kind === 'system' ? (header.root_cell as RawStruct) : header;

  let iommuSlots: Uint8Array[] = [];
  if (kind === 'system') {
    const sys = struct('jailhouse_system');
    const pinfo = sys.fields.find((f) => f.name === 'platform_info')!;
    const units = struct('jailhouse_platform_info').fields.find((f) => f.name === 'iommu_units')!;
    if (units.type.kind === 'array') {
      const elem = sizeOf(units.type.of);
      const base = pinfo.offset + units.offset;
      iommuSlots = Array.from({ length: units.type.length }, (_, i) => bytes.subarray(base + i * elem, base + (i + 1) * elem));
    }
  }

  // Sections follow each other at the lengths the counts give, wherever the file ends.
  let pos = headerSize;
  const take = (len: number): number => {
    const start = pos;
    pos += len;
    return start;
  };
  const cpuSetSize = Number(cell.cpu_set_size as bigint);
  const cpuStart = take(cpuSetSize);
  const cpuBytes = bytes.subarray(cpuStart, Math.min(bytes.length, cpuStart + cpuSetSize));
  const sections = {} as DecodedImage['sections'];
  for (const sec of WRAPPER_SECTIONS) {
    if (sec.member === 'cpus') continue;
    const count = Number(cell[sec.count] as bigint);
    const elem = struct(sec.elem).size;
    const start = take(count * elem);
    const fit = Math.max(0, Math.min(count, Math.floor((bytes.length - start) / elem)));
    const list: RawStruct[] = [];
    for (let i = 0; i < fit; i++) list.push(readStruct(bytes, start + i * elem, sec.elem));
    sections[sec.member] = list;
  }
  if (pos > bytes.length) {
    errors.push(`too short: its counts describe ${pos} bytes, it holds ${bytes.length}`);
  }
  return { image: { kind, header, cell, cpuBytes, sections, iommuSlots, usedSize: pos }, errors };
}

export function decodeImage(bytes: Uint8Array, file: string, options: DecodeOptions = {}): { json?: ModelJson; errors: string[] } {
  const { image, errors } = readImage(bytes, options);
  return { json: image && toModelJson(file, image), errors };
}

export function readStruct(bytes: Uint8Array, offset: number, name: string): RawStruct {
  const s = struct(name);
  const out: RawStruct = {};
  for (const f of s.fields) {
    let v: RawValue;
    if (f.type.kind === 'bits') {
      const unit = readUint(bytes, offset + f.offset, f.size);
      v = BigInt.asUintN(f.type.width, unit >> BigInt(f.bitOffset ?? 0));
      if (isSigned(f.type.int)) v = BigInt.asIntN(f.type.width, v);
    } else {
      v = readType(bytes, offset + f.offset, f.type);
    }
    if (f.anonymous && typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v)) Object.assign(out, v);
    else out[f.name] = v;
  }
  return out;
}

export function readType(bytes: Uint8Array, offset: number, t: TypeRef): RawValue {
  switch (t.kind) {
    case 'int':
    case 'bits': {
      const size = INT_BITS[t.int] / 8;
      const u = readUint(bytes, offset, size);
      return isSigned(t.int) ? BigInt.asIntN(size * 8, u) : u;
    }
    case 'char':
      return bytes.slice(offset, offset + t.length);
    case 'array': {
      const elem = sizeOf(t.of);
      return Array.from({ length: t.length }, (_, i) => readType(bytes, offset + i * elem, t.of));
    }
    case 'struct':
      return readStruct(bytes, offset, t.name);
  }
}

function readUint(bytes: Uint8Array, offset: number, size: number): bigint {
  let x = 0n;
  for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[offset + i] ?? 0);
  return x;
}
