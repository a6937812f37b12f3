// `reg` windows as the CPU sees them: each bus address translated through every `ranges` on
// the way up to the root. A bus without `ranges`, or a PCI bus, is not memory-mapped.
import type { RegWindow } from '../types';
import { joinCells, type TreeContext } from './context';
import { pathOf, stringsOf, type DtNode } from './tree';

/** The CPU-visible register windows of a node; empty when it has none that map. */
export function regWindows(ctx: TreeContext, n: DtNode): RegWindow[] {
  if (!n.parent || !n.props.has('reg')) return [];
  const cells = ctx.numbers(n, 'reg');
  if (!cells) return [];
  const ac = ctx.addressCells(n.parent);
  const sc = ctx.sizeCells(n.parent);
  if (ac + sc === 0 || cells.length % (ac + sc) !== 0) {
    ctx.report(n.props.get('reg')!.at, 'warning', `${pathOf(n)}: reg has ${cells.length} cells, not a multiple of #address-cells ${ac} + #size-cells ${sc}`);
    return [];
  }
  const out: RegWindow[] = [];
  for (let i = 0; i < cells.length; i += ac + sc) {
    const base = translate(ctx, n.parent, joinCells(cells.slice(i, i + ac)));
    const size = joinCells(cells.slice(i + ac, i + ac + sc));
    if (base !== undefined && size > 0n) out.push({ base, size });
  }
  return out;
}

/** Translates a bus address of `bus`'s children to a CPU address; undefined when not memory-mapped. */
function translate(ctx: TreeContext, bus: DtNode, addr: bigint): bigint | undefined {
  let node = bus;
  let a = addr;
  while (node.parent) {
    if (stringsOf(node.props.get('device_type'))[0] === 'pci') return undefined;
    const ranges = node.props.get('ranges');
    if (!ranges) return undefined;
    const cells = ctx.numbers(node, 'ranges');
    if (!cells) return undefined;
    if (cells.length > 0) {
      const ca = ctx.addressCells(node);
      const pa = ctx.addressCells(node.parent);
      const sc = ctx.sizeCells(node);
      const width = ca + pa + sc;
      if (width === 0 || cells.length % width !== 0) {
        ctx.report(ranges.at, 'warning', `${pathOf(node)}: ranges length is not a multiple of ${width} cells`);
        return undefined;
      }
      let mapped: bigint | undefined;
      for (let i = 0; i < cells.length; i += width) {
        const child = joinCells(cells.slice(i, i + ca));
        const parent = joinCells(cells.slice(i + ca, i + ca + pa));
        const size = joinCells(cells.slice(i + ca + pa, i + width));
        if (a >= child && a - child < size) {
          mapped = parent + (a - child);
          break;
        }
      }
      if (mapped === undefined) return undefined;
      a = mapped;
    }
    node = node.parent;
  }
  return a;
}
