// A node's GIC interrupts: from `interrupts` through the inherited `interrupt-parent`, from
// `interrupts-extended`, or from a PCI-style `interrupt-map` (INTx lines). Interrupts of other
// controllers (GPIO, PMIC, …) are not the hypervisor's and are left out.
import type { BoardIrq } from '../types';
import { IRQ_TRIGGERS } from './bindings';
import type { TreeContext } from './context';
import { cellsOf, numProp, pathOf, stringsOf, type DtNode } from './tree';

export const GIC_V2 = ['arm,gic-400', 'arm,cortex-a15-gic', 'arm,cortex-a7-gic', 'arm,cortex-a9-gic', 'arm,cortex-a5-gic', 'arm,arm11mp-gic', 'arm,pl390'];
export const GIC_V3 = ['arm,gic-v3'];

export const isGic = (n: DtNode): boolean => stringsOf(n.props.get('compatible')).some((c) => GIC_V2.includes(c) || GIC_V3.includes(c));

export function interruptsOf(ctx: TreeContext, n: DtNode): BoardIrq[] {
  const out: BoardIrq[] = [];
  const ext = n.props.get('interrupts-extended');
  if (ext) {
    const cells = cellsOf(ext) ?? [];
    let i = 0;
    while (i < cells.length) {
      const ctrl = ctx.refNode(cells[i]);
      if (!ctrl) {
        ctx.report(ext.at, 'warning', `${pathOf(n)}: interrupts-extended names an unknown controller`);
        break;
      }
      const count = Number(numProp(ctrl, '#interrupt-cells') ?? 0n);
      const spec = cells.slice(i + 1, i + 1 + count);
      i += 1 + count;
      if (count === 0 || spec.some((c) => c.kind !== 'num')) continue;
      if (isGic(ctrl)) {
        const irq = decodeGic(spec.map((c) => (c as { value: bigint }).value));
        if (irq) out.push(irq);
      }
    }
    return out;
  }
  if (!n.props.has('interrupts')) return n.props.has('interrupt-map') ? mappedInterrupts(ctx, n) : out;
  const ctrl = interruptParent(ctx, n);
  if (!ctrl || !isGic(ctrl)) return out;
  const count = Number(numProp(ctrl, '#interrupt-cells') ?? 3n);
  const cells = ctx.numbers(n, 'interrupts');
  if (!cells || count === 0) return out;
  if (cells.length % count !== 0) {
    ctx.report(n.props.get('interrupts')!.at, 'warning', `${pathOf(n)}: interrupts has ${cells.length} cells, not a multiple of #interrupt-cells ${count}`);
    return out;
  }
  for (let i = 0; i < cells.length; i += count) {
    const irq = decodeGic(cells.slice(i, i + count));
    if (irq) out.push(irq);
  }
  return out;
}

/** The controller `interrupts` refer to: the nearest `interrupt-parent`, or an enclosing controller. */
function interruptParent(ctx: TreeContext, n: DtNode): DtNode | undefined {
  for (let x: DtNode | undefined = n; x; x = x.parent) {
    const p = x.props.get('interrupt-parent');
    if (p) {
      const cells = cellsOf(p) ?? [];
      const target = cells.length === 1 ? ctx.refNode(cells[0]) : undefined;
      if (!target) ctx.report(p.at, 'warning', `${pathOf(x)}: interrupt-parent does not name a node`);
      return target;
    }
    if (x !== n && x.props.has('interrupt-controller')) return x;
  }
  return undefined;
}

/** A GIC specifier `<kind number flags>`: SPI or PPI, with the trigger when flags say it. */
function decodeGic(spec: bigint[]): BoardIrq | undefined {
  if (spec.length < 2) return undefined;
  const [kind, num, flags] = spec;
  if (kind !== 0n && kind !== 1n) return undefined;
  const irq: BoardIrq = { type: kind === 0n ? 'spi' : 'ppi', number: Number(num) };
  const trig = flags !== undefined ? IRQ_TRIGGERS[Number(flags & 0xfn)] : undefined;
  if (trig) irq.trigger = trig;
  return irq;
}

/** PCI-style `interrupt-map`: the GIC interrupts its entries lead to (INTx lines). */
function mappedInterrupts(ctx: TreeContext, n: DtNode): BoardIrq[] {
  const out: BoardIrq[] = [];
  const cells = cellsOf(n.props.get('interrupt-map')) ?? [];
  const childWidth = ctx.addressCells(n) + Number(numProp(n, '#interrupt-cells') ?? 1n);
  let i = 0;
  while (i + childWidth < cells.length) {
    const ctrl = ctx.refNode(cells[i + childWidth]);
    if (!ctrl) break;
    const pa = Number(numProp(ctrl, '#address-cells') ?? 0n);
    const pc = Number(numProp(ctrl, '#interrupt-cells') ?? 0n);
    const spec = cells.slice(i + childWidth + 1 + pa, i + childWidth + 1 + pa + pc);
    i += childWidth + 1 + pa + pc;
    if (!isGic(ctrl) || spec.length !== pc || spec.some((c) => c.kind !== 'num')) continue;
    const irq = decodeGic(spec.map((c) => (c as { value: bigint }).value));
    if (irq && !out.some((q) => q.type === irq.type && q.number === irq.number)) out.push(irq);
  }
  return out;
}
