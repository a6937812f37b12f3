// RAM from `device_type = "memory"` nodes, as the ranges a cell author thinks in.
import type { RegWindow } from '../types';
import { regWindows } from './addresses';
import type { TreeContext } from './context';
import { pathOf, type DtNode } from './tree';

/** A memory node's banks; warns when it has none (the boot loader fills `reg` in). */
export function memoryWindows(ctx: TreeContext, n: DtNode): RegWindow[] {
  const windows = regWindows(ctx, n);
  if (windows.length === 0) ctx.report(n.at, 'warning', `${pathOf(n)}: memory node without a usable size (the boot loader fills it in?)`);
  return windows;
}

/** Sorted by base, and banks that touch joined: a 1-cell size cannot say 4 GiB at once. */
export function mergeBanks(banks: RegWindow[]): RegWindow[] {
  const ram = [...banks].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  for (let i = ram.length - 1; i > 0; i--) {
    if (ram[i - 1].base + ram[i - 1].size === ram[i].base) ram.splice(i - 1, 2, { base: ram[i - 1].base, size: ram[i - 1].size + ram[i].size });
  }
  return ram;
}
