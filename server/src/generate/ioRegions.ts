// The root's I/O regions: every register window of every enabled device, page-rounded, with
// windows that overlap or touch merged into one region as a person writes them, less what the
// root must not map (RAM, the GIC's frames, the virtual PCI window). Each region keeps the
// names of the devices it covers for its comment; what could not be mapped is said.
import type { Board, BoardDevice } from '../boards/types';
import { hex } from '../util/format';
import { PAGE, alignDown, alignUp, contains, overlap, subtract, type Span } from './spans';

export interface IoRegion {
  span: Span;
  devices: string[];
}

export interface IoPlan {
  regions: IoRegion[];
  /** One sentence per window that is not mapped, or only in part. */
  skipped: string[];
}

const mmio = (d: BoardDevice) => d.reg.filter((w) => w.space !== 'pio');

/** The interrupt controller's own device: one of its windows holds a GIC base (the hypervisor owns those). */
export function isGicDevice(board: Board, d: BoardDevice): boolean {
  const ic = board.interruptController;
  if (ic?.type !== 'gic') return false;
  const bases = [ic.gicd, ic.gicc, ic.gich, ic.gicv, ic.gicr].filter((b): b is bigint => b !== undefined);
  return mmio(d).some((w) => bases.some((b) => b >= w.base && b < w.base + w.size));
}

/** The enabled devices whose windows the root maps. */
export function mappedDevices(board: Board): BoardDevice[] {
  return board.devices.filter((d) => !d.disabled && !isGicDevice(board, d) && mmio(d).length > 0);
}

export function planIoRegions(board: Board, forbidden: readonly { what: string; span: Span }[]): IoPlan {
  const windows = mappedDevices(board).flatMap((d) => mmio(d).map((w) => ({ device: d.name, span: { start: alignDown(w.base, PAGE), end: alignUp(w.base + w.size, PAGE) }, raw: w })));
  windows.sort((a, b) => (a.span.start < b.span.start ? -1 : a.span.start > b.span.start ? 1 : 0));
  const merged: IoRegion[] = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w.span.start <= last.span.end) {
      if (w.span.end > last.span.end) last.span.end = w.span.end;
      if (!last.devices.includes(w.device)) last.devices.push(w.device);
    } else merged.push({ span: { ...w.span }, devices: [w.device] });
  }
  const cut = forbidden.map((f) => f.span);
  const regions: IoRegion[] = [];
  for (const m of merged) {
    for (const piece of subtract(m.span, cut)) {
      const names = windows.filter((w) => overlap(w.span, piece)).map((w) => w.device);
      regions.push({ span: piece, devices: [...new Set(names)] });
    }
  }
  const skipped: string[] = [];
  for (const w of windows) {
    if (regions.some((r) => contains(r.span, w.span))) continue;
    const hits = forbidden.filter((f) => overlap(f.span, w.span)).map((f) => f.what);
    const part = regions.some((r) => overlap(r.span, w.span)) ? 'only partly mapped' : 'not mapped';
    skipped.push(`${w.device} (${hex(w.raw.base)}, ${hex(w.raw.size)} bytes) is ${part}: it overlaps ${[...new Set(hits)].join(' and ')}`);
  }
  return { regions, skipped };
}
