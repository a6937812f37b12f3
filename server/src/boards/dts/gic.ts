// The GIC's own register bases and maintenance interrupt: the root's interrupt parent when it
// is a GIC, else the first GIC in the tree.
import type { GicController } from '../types';
import { regWindows } from './addresses';
import type { TreeContext } from './context';
import { GIC_V3, interruptsOf, isGic } from './interrupts';
import { cellsOf, pathOf, stringsOf, walk } from './tree';

export function readGic(ctx: TreeContext): GicController | undefined {
  const root = ctx.root;
  const rootParentCells = cellsOf(root.props.get('interrupt-parent'));
  const rootParent = rootParentCells?.length === 1 ? ctx.refNode(rootParentCells[0]) : undefined;
  let gicNode = rootParent && isGic(rootParent) ? rootParent : undefined;
  gicNode ??= [...walk(root)].find((n) => !n.deleted && isGic(n));
  if (!gicNode) {
    ctx.report(0, 'warning', 'no GIC (arm,gic-400, arm,cortex-a15-gic, arm,gic-v3, …) found; interrupts are not decoded');
    return undefined;
  }
  const comps = stringsOf(gicNode.props.get('compatible'));
  const version = comps.some((c) => GIC_V3.includes(c)) ? 3 : 2;
  const regs = regWindows(ctx, gicNode).map((w) => w.base);
  if (regs.length === 0) {
    ctx.report(gicNode.at, 'warning', `${pathOf(gicNode)}: the GIC has no usable reg`);
    return undefined;
  }
  const gic: GicController = { type: 'gic', version, gicd: regs[0] };
  // reg lists the distributor first, then the other frames in the binding's order.
  const names = version === 3 ? (['gicr', 'gicc', 'gich', 'gicv'] as const) : (['gicc', 'gich', 'gicv'] as const);
  names.forEach((k, i) => {
    if (regs[i + 1] !== undefined) gic[k] = regs[i + 1];
  });
  const maint = interruptsOf(ctx, gicNode).find((q) => q.type === 'ppi');
  if (maint) gic.maintenancePpi = maint.number;
  return gic;
}
