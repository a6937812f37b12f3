// Turns the generic value tree into the typed objects rules and features read: field names as
// properties (anonymous members flattened), bigint numbers, strings, and per-field locations.
import { readType } from '../binary/decode';
import type { RawValue } from '../binary/rawImage';
import { writeValue } from '../binary/encode';
import { archName, struct, type TypeRef } from '../schema';
import type { Loc } from '../util/source';
import type { AggValue, CellDesc, ConfigModel, Node, SystemHeader, Value, WrapperMember } from '../core/model';

export function buildModel(file: string, kind: 'system' | 'cell', members: WrapperMember[], root: AggValue): ConfigModel {
  const headerIdx = members.findIndex((m) => m.role === 'header');
  const header = view(members[headerIdx].type, root.items[headerIdx], -1) as SystemHeader | CellDesc;
  const system = kind === 'system' ? (header as SystemHeader) : undefined;
  const cell = system ? system.root_cell : (header as CellDesc);
  const arch = archName(kind === 'system' ? system!.architecture : cell.architecture);
  const section = (role: string) => {
    const i = members.findIndex((m) => m.role === role);
    if (i < 0) return [] as unknown[];
    const m = members[i];
    const v = root.items[i];
    m.initialized = v && v.kind === 'agg' ? v.items.length : 0;
    if (v && v.kind === 'agg') m.initLoc = v.loc;
    return view(m.type, v, -1) as unknown[];
  };
  const cpus = section('cpus') as bigint[];
  const cpusIdx = members.findIndex((m) => m.role === 'cpus');
  const cpusVal = cpusIdx >= 0 ? root.items[cpusIdx] : undefined;
  const model: ConfigModel = {
    file,
    kind,
    arch,
    system,
    cell,
    header,
    cpus,
    cpusLoc: cpus.map((_, i) => (cpusVal && cpusVal.kind === 'agg' ? cpusVal.items[i]?.loc : undefined)),
    mem_regions: section('mem_regions') as ConfigModel['mem_regions'],
    cache_regions: section('cache_regions') as ConfigModel['cache_regions'],
    irqchips: section('irqchips') as ConfigModel['irqchips'],
    pio_regions: section('pio_regions') as ConfigModel['pio_regions'],
    pci_devices: section('pci_devices') as ConfigModel['pci_devices'],
    pci_caps: section('pci_caps') as ConfigModel['pci_caps'],
    stream_ids: section('stream_ids') as ConfigModel['stream_ids'],
    members,
    value: root,
  };
  const headerMember = members[headerIdx];
  const hv = root.items[headerIdx];
  headerMember.initialized = hv ? 1 : 0;
  if (hv) headerMember.initLoc = hv.loc;
  return model;
}

/** The typed view of one value of type `t` (zero when absent). */
function view(t: TypeRef, v: Value | undefined, index: number): unknown {
  switch (t.kind) {
    case 'int':
    case 'bits':
      return v && v.kind === 'int' ? v.value : 0n;
    case 'char':
      return v && v.kind === 'bytes' ? v.text.replace(/\0.*$/s, '') : '';
    case 'array': {
      const agg = v && v.kind === 'agg' ? v : undefined;
      const out = new Array(t.length);
      const of = t.of;
      if (of.kind === 'struct') {
        for (let i = 0; i < t.length; i++) {
          const item = agg?.items[i];
          out[i] = structView(of.name, item && item.kind === 'agg' ? item : undefined, i);
        }
      } else {
        for (let i = 0; i < t.length; i++) out[i] = view(of, agg?.items[i], -1);
      }
      return out;
    }
    case 'struct':
      return structView(t.name, v && v.kind === 'agg' ? v : undefined, index);
  }
}

function structView(name: string, agg: AggValue | undefined, index: number): Node {
  const fieldLoc: Record<string, Loc | undefined> = {};
  const node: Node & Record<string, unknown> = { $fieldLoc: fieldLoc, $index: index };
  if (agg?.loc) node.$loc = agg.loc;
  if (agg?.name) node.$name = agg.name;
  fillFields(node, fieldLoc, name, agg);
  return node;
}

/**
 * Writes the fields of struct `name` into `node`, those of anonymous members flattened in
 * place, in declaration order (the order JSON output shows them in).
 */
function fillFields(node: Record<string, unknown>, fieldLoc: Record<string, Loc | undefined>, name: string, agg: AggValue | undefined): void {
  const s = struct(name);
  const fields = s.fields;
  // The members of a union share bytes: the ones not written in the source are what the
  // compiler's image holds for them (`{0x10010}` read as .mmu500.id / .mask_out).
  const unionBytes = s.union && agg && agg.items.some((x) => x) ? unionImage(s.name, agg) : undefined;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const item = agg?.items[i];
    if (unionBytes && !item) {
      const raw = readType(unionBytes, f.offset, f.type);
      if (f.anonymous) Object.assign(node, rawView(raw));
      else node[f.name] = rawView(raw);
      continue;
    }
    if (f.anonymous && f.type.kind === 'struct') {
      fillFields(node, fieldLoc, f.type.name, item && item.kind === 'agg' ? item : undefined);
      continue;
    }
    const t = f.type;
    node[f.name] = t.kind === 'int' || t.kind === 'bits' ? (item && item.kind === 'int' ? item.value : 0n) : view(t, item, -1);
    if (item?.loc) fieldLoc[f.name] = item.loc;
  }
}

function unionImage(name: string, agg: AggValue): Uint8Array {
  const t: TypeRef = { kind: 'struct', name };
  const bytes = new Uint8Array(struct(name).size);
  writeValue(bytes, 0, t, agg);
  return bytes;
}

/** The typed view of a value read back from bytes (no source locations). */
function rawView(raw: RawValue): unknown {
  if (typeof raw === 'bigint') return raw;
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString('latin1').replace(/\0.*$/s, '');
  if (Array.isArray(raw)) return raw.map(rawView);
  const node: Record<string, unknown> = { $fieldLoc: {}, $index: -1 };
  for (const [k, v] of Object.entries(raw)) node[k] = rawView(v);
  return node;
}
