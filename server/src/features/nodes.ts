// Walks a ConfigModel's struct instances through the schema, so features can ask "which struct
// instance (and which of its fields) is at this offset" without knowing the model's shape.
import type { ConfigModel, Node } from '../core/model';
import { struct as schemaStruct, visibleFields, WRAPPER_SECTIONS, type SectionName } from '../schema';
import type { Loc } from '../util/source';

export interface NodeRef {
  node: Node;
  /** Schema struct name of the instance. */
  structName: string;
  /** Designator path, e.g. `header.platform_info.arm` or `mem_regions[3]`. */
  path: string;
  /** Wrapper section the instance is an element of. */
  section?: SectionName;
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && '$fieldLoc' in v;
}

function* walk(node: Node, structName: string, path: string, section?: SectionName): Generator<NodeRef> {
  yield { node, structName, path, section };
  for (const f of visibleFields(schemaStruct(structName))) {
    const v = (node as unknown as Record<string, unknown>)[f.name];
    if (f.type.kind === 'struct' && isNode(v)) yield* walk(v, f.type.name, `${path}.${f.name}`, section);
    else if (f.type.kind === 'array' && f.type.of.kind === 'struct' && Array.isArray(v)) {
      const elem = f.type.of.name;
      for (let i = 0; i < v.length; i++) if (isNode(v[i])) yield* walk(v[i], elem, `${path}.${f.name}[${i}]`, section);
    }
  }
}

// Hover and the other position features look nodes up at every request: the walk over the schema
// is done once per model (a model does not change after evaluation).
const NODES = new WeakMap<ConfigModel, readonly NodeRef[]>();

/** Every struct instance of the model: the header and its nested structs, then the section elements. */
export function allNodes(model: ConfigModel): readonly NodeRef[] {
  let list = NODES.get(model);
  if (!list) NODES.set(model, (list = [...walkModel(model)]));
  return list;
}

function* walkModel(model: ConfigModel): Generator<NodeRef> {
  const headerMember = model.members.find((m) => m.role === 'header')?.name ?? (model.kind === 'system' ? 'header' : 'cell');
  yield* walk(model.header, model.kind === 'system' ? 'jailhouse_system' : 'jailhouse_cell_desc', headerMember);
  for (const sec of WRAPPER_SECTIONS) {
    if (sec.member === 'cpus') continue;
    const list = (model as unknown as Record<string, unknown>)[sec.member];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const n: unknown = list[i];
      if (isNode(n)) yield* walk(n, sec.elem, `${sec.member}[${i}]`, sec.member);
    }
  }
}

export function contains(loc: Loc | undefined, file: string, offset: number): loc is Loc {
  return !!loc && loc.file === file && loc.start <= offset && offset <= loc.end;
}

function span(loc: Loc): number {
  return loc.end - loc.start;
}

export interface FieldHit {
  ref: NodeRef;
  field: string;
  loc: Loc;
}

/** The field whose source location (value or designator) is the smallest one holding the offset. */
export function fieldAt(model: ConfigModel, file: string, offset: number): FieldHit | undefined {
  let best: FieldHit | undefined;
  for (const ref of allNodes(model)) {
    for (const [field, loc] of Object.entries(ref.node.$fieldLoc)) {
      if (contains(loc, file, offset) && (!best || span(loc) < span(best.loc))) best = { ref, field, loc };
    }
  }
  return best;
}

/** The innermost struct instance whose initializer holds the offset. */
export function nodeAt(model: ConfigModel, file: string, offset: number, section?: SectionName): NodeRef | undefined {
  let best: NodeRef | undefined;
  for (const ref of allNodes(model)) {
    if (section && ref.section !== section) continue;
    const loc = ref.node.$loc;
    if (contains(loc, file, offset) && (!best || span(loc) < span(best.node.$loc!))) best = ref;
  }
  return best;
}

export function fieldValue(node: Node, field: string): unknown {
  return (node as unknown as Record<string, unknown>)[field];
}
