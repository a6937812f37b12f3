// One walk over the tree for the board's devices (nodes with a compatible and register windows
// or GIC interrupts) and its RAM banks; the subtrees that describe no hardware are skipped.
import type { BoardDevice, RegWindow } from '../types';
import { regWindows } from './addresses';
import type { TreeContext } from './context';
import { describeNode, docsOf } from './describe';
import { interruptsOf } from './interrupts';
import { memoryWindows, mergeBanks } from './ram';
import { baseName, pathOf, stringsOf, type DtNode } from './tree';

const SKIP_SUBTREES = new Set(['cpus', 'chosen', 'aliases', '__symbols__', '__fixups__', '__local_fixups__', 'reserved-memory', 'memory-reserved']);

export function readDevicesAndRam(ctx: TreeContext): { devices: BoardDevice[]; ram: RegWindow[] } {
  const banks: RegWindow[] = [];
  const devices: BoardDevice[] = [];
  const visit = (n: DtNode) => {
    for (const c of n.children.values()) {
      if (n === ctx.root && SKIP_SUBTREES.has(baseName(c))) continue;
      if (stringsOf(c.props.get('device_type'))[0] === 'memory') {
        banks.push(...memoryWindows(ctx, c));
        continue;
      }
      const device = deviceOf(ctx, c);
      if (device) devices.push(device);
      visit(c);
    }
  };
  visit(ctx.root);
  uniqueNames(devices);
  return { devices, ram: mergeBanks(banks) };
}

/** The device a node describes, or undefined when it has no compatible or nothing the CPU sees. */
function deviceOf(ctx: TreeContext, c: DtNode): BoardDevice | undefined {
  const compatible = stringsOf(c.props.get('compatible'));
  if (compatible.length === 0) return undefined;
  const reg = regWindows(ctx, c);
  // The same line listed several times (per-context SMMU interrupts, shared lines) is one fact.
  const interrupts = interruptsOf(ctx, c).filter((q, i, all) => all.findIndex((x) => x.type === q.type && x.number === q.number) === i);
  if (reg.length === 0 && interrupts.length === 0) return undefined;
  const label = c.labels[0];
  const d: BoardDevice = {
    name: label ? label.toUpperCase() : c.name,
    compatible,
    reg,
    interrupts,
    description: describeNode(c, compatible),
    path: pathOf(c),
  };
  const docs = docsOf(compatible);
  if (docs) d.docs = docs;
  if (label) d.label = label;
  if (isDisabled(c)) d.disabled = true;
  return d;
}

/** Disabled itself or below a disabled node. */
function isDisabled(n: DtNode): boolean {
  for (let x: DtNode | undefined = n; x; x = x.parent) {
    const s = stringsOf(x.props.get('status'))[0];
    if (s !== undefined && s !== 'okay' && s !== 'ok') return true;
  }
  return false;
}

/** Names must identify a device: the unit address where two would look the same, else the path. */
function uniqueNames(devices: BoardDevice[]): void {
  const seen = new Map<string, number>();
  for (const d of devices) seen.set(d.name, (seen.get(d.name) ?? 0) + 1);
  for (const d of devices) {
    if ((seen.get(d.name) ?? 0) > 1 && d.reg[0] && !d.name.includes('@')) d.name = `${d.name}@${d.reg[0].base.toString(16)}`;
  }
  const again = new Map<string, number>();
  for (const d of devices) again.set(d.name, (again.get(d.name) ?? 0) + 1);
  for (const d of devices) if ((again.get(d.name) ?? 0) > 1 && d.path) d.name = d.path;
}
