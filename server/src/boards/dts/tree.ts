// The device tree after all source fragments, overrides and deletions are applied.

export type DtCell =
  | { kind: 'num'; value: bigint }
  | { kind: 'ref'; target: string; at: number }
  /** Something the importer cannot evaluate (an unknown macro); fine unless the property is needed. */
  | { kind: 'bad'; text: string; at: number };

export type DtChunk =
  | { kind: 'cells'; bits: number; cells: DtCell[] }
  | { kind: 'string'; value: string }
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'pathref'; target: string; at: number };

export interface DtProp {
  name: string;
  chunks: DtChunk[];
  /** Offset in the preprocessed text (see locate()). */
  at: number;
}

export interface DtNode {
  /** Full node name, with unit address (`serial@30890000`); `/` for the root. */
  name: string;
  labels: string[];
  props: Map<string, DtProp>;
  children: Map<string, DtNode>;
  parent?: DtNode;
  deleted?: boolean;
  at: number;
}

export function newNode(name: string, at: number, parent?: DtNode): DtNode {
  return { name, labels: [], props: new Map(), children: new Map(), parent, at };
}

export function baseName(n: DtNode): string {
  const at = n.name.indexOf('@');
  return at < 0 ? n.name : n.name.slice(0, at);
}

export function unitAddress(n: DtNode): string | undefined {
  const at = n.name.indexOf('@');
  return at < 0 ? undefined : n.name.slice(at + 1);
}

export function pathOf(n: DtNode): string {
  if (!n.parent) return '/';
  const parts: string[] = [];
  for (let x: DtNode | undefined = n; x && x.parent; x = x.parent) parts.unshift(x.name);
  return '/' + parts.join('/');
}

/** A child by full name, or by base name when exactly one child has it (dtc's lookup). */
export function childNamed(n: DtNode, name: string): DtNode | undefined {
  const exact = n.children.get(name);
  if (exact) return exact;
  if (name.includes('@')) return undefined;
  let found: DtNode | undefined;
  for (const c of n.children.values()) {
    if (baseName(c) === name) {
      if (found) return undefined;
      found = c;
    }
  }
  return found;
}

export function nodeAtPath(root: DtNode, path: string): DtNode | undefined {
  let n: DtNode | undefined = root;
  for (const part of path.split('/').filter((p) => p.length > 0)) {
    n = n && childNamed(n, part);
  }
  return n;
}

export function* walk(n: DtNode): Generator<DtNode> {
  yield n;
  for (const c of n.children.values()) yield* walk(c);
}

export function markDeleted(n: DtNode): void {
  for (const x of walk(n)) x.deleted = true;
}

/** All cells of a property, concatenated (undefined when absent). */
export function cellsOf(p: DtProp | undefined): DtCell[] | undefined {
  if (!p) return undefined;
  const out: DtCell[] = [];
  for (const c of p.chunks) {
    if (c.kind !== 'cells') continue;
    if (c.bits !== 64) out.push(...c.cells);
    // A /bits/ 64 value is two 32-bit cells in the blob.
    else for (const x of c.cells) out.push(...(x.kind === 'num' ? [{ kind: 'num' as const, value: x.value >> 32n }, { kind: 'num' as const, value: x.value & 0xffffffffn }] : [x, x]));
  }
  return out;
}

export function stringsOf(p: DtProp | undefined): string[] {
  if (!p) return [];
  return p.chunks.filter((c): c is { kind: 'string'; value: string } => c.kind === 'string').map((c) => c.value);
}

export function numProp(n: DtNode, name: string): bigint | undefined {
  const cells = cellsOf(n.props.get(name));
  return cells && cells.length === 1 && cells[0].kind === 'num' ? cells[0].value : undefined;
}

/** A reference target: `/abs/path`, `label`, or `label/relative/path` (dtc's `&{label/sub}`). */
export function resolveTarget(root: DtNode, labels: ReadonlyMap<string, DtNode>, target: string): DtNode | undefined {
  if (target.startsWith('/')) return nodeAtPath(root, target);
  const slash = target.indexOf('/');
  if (slash < 0) return labels.get(target);
  const base = labels.get(target.slice(0, slash));
  return base && nodeAtPath(base, target.slice(slash + 1));
}
