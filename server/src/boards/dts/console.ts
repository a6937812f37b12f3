// The debug console a device tree names: `chosen/stdout-path` (or the older
// `linux,stdout-path`) is a node path, a label-free alias from `/aliases` (`serial0`), or either
// followed by `:options` (`serial2:115200n8`). The console is the board device read from that node.
import type { BoardConsole, BoardDevice } from '../types';
import type { TreeContext } from './context';
import { childNamed, nodeAtPath, pathOf, stringsOf, type DtNode } from './tree';

/** Splits `serial0:115200n8` into the path or alias and the options. */
export function splitStdoutPath(value: string): { target: string; options?: string } {
  const colon = value.indexOf(':');
  if (colon < 0) return { target: value };
  const options = value.slice(colon + 1);
  return options ? { target: value.slice(0, colon), options } : { target: value.slice(0, colon) };
}

/** The node a stdout-path target names: an absolute path, or an alias (itself a path). */
function targetNode(ctx: TreeContext, target: string): DtNode | undefined {
  if (target.startsWith('/')) return nodeAtPath(ctx.root, target);
  const aliases = childNamed(ctx.root, 'aliases');
  const p = aliases?.props.get(target);
  if (!p) return undefined;
  // `serial0 = &uart0;` is a path reference; `serial0 = "/soc/serial@…";` a string.
  const ref = p.chunks.find((c) => c.kind === 'pathref');
  if (ref && ref.kind === 'pathref') return ctx.refNode({ kind: 'ref', target: ref.target, at: ref.at });
  const s = stringsOf(p)[0];
  return s?.startsWith('/') ? nodeAtPath(ctx.root, s) : undefined;
}

/** The board's console, or undefined (with a warning when stdout-path names nothing usable). */
export function readConsole(ctx: TreeContext, devices: BoardDevice[]): BoardConsole | undefined {
  const chosen = childNamed(ctx.root, 'chosen');
  const prop = chosen?.props.get('stdout-path') ?? chosen?.props.get('linux,stdout-path');
  if (!prop) return undefined;
  const ref = prop.chunks.find((c) => c.kind === 'pathref');
  const value = ref && ref.kind === 'pathref' ? undefined : stringsOf(prop)[0];
  const { target, options } = value !== undefined ? splitStdoutPath(value) : { target: '', options: undefined };
  const node = ref && ref.kind === 'pathref' ? ctx.refNode({ kind: 'ref', target: ref.target, at: ref.at }) : targetNode(ctx, target);
  const shown = value ?? `&${(ref as { target: string }).target}`;
  if (!node) {
    ctx.report(prop.at, 'warning', `/chosen: stdout-path '${shown}' names no node of the tree; the board has no console`);
    return undefined;
  }
  const path = pathOf(node);
  const device = devices.find((d) => d.path === path);
  if (!device) {
    ctx.report(prop.at, 'warning', `/chosen: stdout-path '${shown}' is ${path}, which is not a device with registers; the board has no console`);
    return undefined;
  }
  return options ? { device: device.name, options } : { device: device.name };
}
