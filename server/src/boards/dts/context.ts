// What every step of turning a device tree into a board needs: the tree, nodes by phandle,
// cell counts, and the place to report a property it cannot use (as a warning, never thrown).
import type { DtsDiag } from './diag';
import type { DtTree } from './parser';
import { cellsOf, numProp, pathOf, resolveTarget, walk, type DtCell, type DtNode } from './tree';

export type Report = (offset: number, severity: DtsDiag['severity'], message: string) => void;

export class TreeContext {
  readonly root: DtNode;
  private readonly phandles = new Map<bigint, DtNode>();

  constructor(
    readonly tree: DtTree,
    readonly report: Report,
  ) {
    this.root = tree.root;
    for (const n of walk(this.root)) {
      const ph = numProp(n, 'phandle') ?? numProp(n, 'linux,phandle');
      if (ph !== undefined) this.phandles.set(ph, n);
    }
  }

  /** The node a cell points at: `&label` in the source, or a phandle number (compiled trees). */
  refNode(c: DtCell): DtNode | undefined {
    if (c.kind === 'ref') return resolveTarget(this.root, this.tree.labels, c.target);
    if (c.kind === 'num') return this.phandles.get(c.value);
    return undefined;
  }

  /** `#address-cells` of a node's children (dtc's default 2). */
  addressCells(n: DtNode): number {
    return Number(numProp(n, '#address-cells') ?? 2n);
  }

  /** `#size-cells` of a node's children (dtc's default 1). */
  sizeCells(n: DtNode): number {
    return Number(numProp(n, '#size-cells') ?? 1n);
  }

  /** A property's cells as numbers; undefined (with a warning) when one cannot be evaluated. */
  numbers(n: DtNode, prop: string): bigint[] | undefined {
    const p = n.props.get(prop);
    const cells = cellsOf(p);
    if (!cells) return undefined;
    const bad = cells.find((c) => c.kind !== 'num');
    if (bad) {
      this.report(bad.kind === 'bad' ? bad.at : p!.at, 'warning', `${pathOf(n)}: cannot evaluate '${bad.kind === 'bad' ? bad.text : '&' + (bad as { target: string }).target}' in ${prop}; property ignored`);
      return undefined;
    }
    return cells.map((c) => (c as { value: bigint }).value);
  }
}

/** Cells read as one big-endian number (a 64-bit address in two 32-bit cells). */
export const joinCells = (cells: bigint[]): bigint => cells.reduce((acc, c) => (acc << 32n) | (c & 0xffffffffn), 0n);
