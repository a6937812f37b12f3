// Draws a MemoryMap as one SVG: a lane per owner on a shared piecewise address axis, then the
// communication regions, the CPU × cell grid and the interrupt × cell grid. Styling is by class
// only (no style attributes), so the same markup works in a webview under a strict CSP, where the
// stylesheet comes from media/map.css, and stand-alone, where that stylesheet is embedded.
// Elements a user can click carry `data-ref` (see refs.ts).
import { Axis, buildAxis } from './axis';
import { escapeXml as esc, hexAddr, humanSize } from './format';
import type { Lane, MapConflict, MapRange, MemoryMap } from './types';

export interface SvgOptions {
  /** CSS to embed in a <style> element (stand-alone SVG files); omit in the webview. */
  css?: string;
}

const PAD = 12;
const LABEL_W = 190;
const ROW_H = 34;
const LANE_PAD = 5;
const AXIS_H = 92;
const CELL = 18;
const CHAR_W = 6.4;
const PALETTE = 8;
/** Beyond this many ranges a drawing is unreadable and too heavy for a webview: draw the lowest. */
export const MAX_DRAWN_RANGES = 20000;

interface Ctx {
  out: string[];
  axis: Axis;
  x0: number;
  laneY: Map<string, number>;
  colour: Map<string, string>;
  width: number;
}

const f = (n: number) => (Math.round(n * 10) / 10).toString();

function fit(text: string, px: number): string | undefined {
  const max = Math.floor((px - 6) / CHAR_W);
  if (max < 3) return undefined;
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/**
 * A label cut to its width: the shown part plus, when something was cut, a tooltip with the
 * whole text and the `clipped` class (which lets it take the pointer so the tooltip shows).
 */
function label(cls: string, x: number | string, y: number, text: string, px: number, attrs = ''): string | undefined {
  const shown = fit(text, px);
  if (shown === undefined) return undefined;
  const cut = shown !== text;
  return `<text class="${cls}${cut ? ' clipped' : ''}"${attrs} x="${x}" y="${y}">${esc(shown)}${cut ? `<title>${esc(text)}</title>` : ''}</text>`;
}

export function laneColours(lanes: Lane[]): Map<string, string> {
  const m = new Map<string, string>();
  let n = 0;
  for (const l of lanes) m.set(l.id, l.kind === 'hypervisor' ? 'hv' : l.kind === 'platform' ? 'pf' : `c${n++ % PALETTE}`);
  return m;
}

export function rangeTitle(map: MemoryMap, r: MapRange): string {
  const lane = map.lanes.find((l) => l.id === r.lane);
  const lines = [`${r.name} — ${lane?.label ?? r.lane}`, `${hexAddr(r.start)}-${hexAddr(r.end - 1n)} (${humanSize(r.end - r.start)})`];
  if (r.virt !== undefined && r.virt !== r.start) lines.push(`guest-physical ${hexAddr(r.virt)}`);
  if (r.sharedWith.length) lines.push(`shared with ${r.sharedWith.map((id) => map.lanes.find((l) => l.id === id)?.label ?? id).join(', ')}`);
  for (const c of r.conflicts) lines.push(`${map.conflicts[c].severity}: ${map.conflicts[c].message} [${map.conflicts[c].code}]`);
  return lines.join('\n');
}

export function renderSvg(full: MemoryMap, opts: SvgOptions = {}): string {
  const map = full.ranges.length > MAX_DRAWN_RANGES ? clip(full) : full;
  const axis = buildAxis(map.ranges);
  const ctx: Ctx = { out: [], axis, x0: PAD + LABEL_W, laneY: new Map(), colour: laneColours(map.lanes), width: 0 };
  const gridW = LABEL_W + Math.max(map.cpus.cpus.length, map.irqs.columns.length + map.irqs.chips.length) * CELL;
  ctx.width = Math.ceil(Math.max(PAD * 2 + LABEL_W + axis.width, PAD * 2 + gridW, 720));
  const body: string[] = [];
  ctx.out = body;

  let y = PAD;
  body.push(`<text class="title" x="${PAD}" y="${y + 16}">${esc(map.title)}</text>`);
  y += 28;
  y = legend(ctx, y);
  y += AXIS_H;
  const lanesTop = y;
  map.lanes.forEach((l, i) => {
    const h = l.rows * ROW_H + 2 * LANE_PAD;
    ctx.laneY.set(l.id, y);
    body.push(`<g class="lane" data-lane="${esc(l.id)}"${l.file ? ` data-ref="lane:${esc(l.id)}"` : ''}>`);
    body.push(`<rect class="lane-bg ${i % 2 ? 'odd' : 'even'}" x="${PAD}" y="${y}" width="${ctx.width - 2 * PAD}" height="${h}"/>`);
    body.push(`<text class="lane-label" x="${PAD + 6}" y="${y + h / 2 + 4}">${esc(fit(l.label, LABEL_W - 8) ?? l.label)}<title>${esc(l.label + (l.file ? `\n${l.file}` : ''))}</title></text>`);
    body.push('</g>');
    y += h;
  });
  ticks(ctx, lanesTop, y);
  gaps(ctx, lanesTop, y);
  for (const r of map.ranges) region(ctx, map, r);
  for (const c of map.conflicts) if (c.ranges.every((id) => id < map.ranges.length)) conflict(ctx, map, c);
  // Labels last, above the translucent conflict marks, so a mark never dims the text on it.
  ctx.out.push('<g class="labels">');
  for (const r of map.ranges) regionLabels(ctx, r);
  ctx.out.push('</g>');
  y += 16;
  if (!map.ranges.length) {
    body.push(`<text class="note" x="${ctx.x0}" y="${y}">No physical memory ranges to draw.</text>`);
    y += 18;
  }
  y = comm(ctx, map, y);
  y = cpuGrid(ctx, map, y);
  y = irqGrid(ctx, map, y);
  for (const n of map.notes) {
    body.push(`<text class="note" x="${PAD}" y="${y + 12}">${esc(n)}</text>`);
    y += 18;
  }
  if (map.conflictsTruncated) {
    body.push(`<text class="note" x="${PAD}" y="${y + 12}">Only the first ${map.conflicts.length} conflicts are drawn.</text>`);
    y += 18;
  }
  const height = Math.ceil(y + PAD);
  const sev = [...map.conflicts.map((c) => c.severity), ...map.cpus.conflicts.map((c) => c.conflict.severity), ...map.irqs.columns.flatMap((c) => (c.conflict ? [c.conflict.severity] : []))];
  const count = (s: string) => sev.filter((x) => x === s).length;
  const style = opts.css ? `<style>${opts.css.replace(/<\//g, '<\\/')}</style>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="jh-map" data-errors="${count('error')}" data-warnings="${count('warning')}" data-conflicts="${sev.length}" width="${ctx.width}" height="${height}" viewBox="0 0 ${ctx.width} ${height}" role="img" aria-label="${esc(map.title)}">` +
    `<title>${esc(map.title)}</title>${style}` +
    `<defs><pattern id="jh-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>` +
    `<rect class="bg" x="0" y="0" width="${ctx.width}" height="${height}"/>` +
    body.join('\n') +
    '</svg>'
  );
}

/** The map up to the address where MAX_DRAWN_RANGES ranges are reached (ranges are sorted). */
function clip(map: MemoryMap): MemoryMap {
  // Ids are positions, so the kept ranges keep their ids; conflicts stay indexed by id and
  // those reaching beyond the cut are skipped when drawn.
  const ranges = map.ranges.slice(0, MAX_DRAWN_RANGES);
  const limit = ranges[ranges.length - 1].start;
  return {
    ...map,
    ranges,
    notes: [...map.notes, `Only the ${MAX_DRAWN_RANGES} lowest of ${map.ranges.length} ranges are drawn (up to ${hexAddr(limit)}); the text format lists all.`],
  };
}

function legend(ctx: Ctx, y: number): number {
  const items: [string, string][] = [
    ['region k-ram c0', 'RAM'],
    ['region k-io c0', 'device I/O'],
    ['region k-ivshmem c0', 'shared / ivshmem'],
    ['region k-hypervisor hv', 'hypervisor'],
    ['region k-window pf', 'platform window'],
    ['conflict sev-error', 'conflict'],
    ['conflict sev-warning', 'warning'],
  ];
  let x = PAD;
  ctx.out.push('<g class="legend">');
  for (const [cls, label] of items) {
    ctx.out.push(`<rect class="${cls}" x="${x}" y="${y}" width="14" height="12"/>`);
    if (cls.includes('ivshmem')) ctx.out.push(`<rect class="hatch" x="${x}" y="${y}" width="14" height="12"/>`);
    ctx.out.push(`<text class="legend-label" x="${x + 18}" y="${y + 10}">${esc(label)}</text>`);
    x += 26 + label.length * CHAR_W;
  }
  ctx.out.push('</g>');
  return y + 22;
}

function ticks(ctx: Ctx, lanesTop: number, bottom: number): void {
  const segs = ctx.axis.segments;
  let lastX = -Infinity;
  const out = ctx.out;
  out.push('<g class="axis">');
  const mark = (addr: bigint, x: number) => {
    out.push(`<line class="tick" x1="${f(x)}" y1="${lanesTop - 4}" x2="${f(x)}" y2="${bottom}"/>`);
    if (x - lastX < 13) return;
    lastX = x;
    const ty = lanesTop - 8;
    out.push(`<text class="tick-label" x="${f(x)}" y="${ty}" transform="rotate(-55 ${f(x)} ${ty})">${hexAddr(addr)}</text>`);
  };
  segs.forEach((s, i) => {
    if (i === 0 || segs[i - 1].end !== s.start || !segs[i - 1].gap || !s.gap) mark(s.start, ctx.x0 + s.x);
  });
  const last = segs[segs.length - 1];
  if (last) mark(last.end, ctx.x0 + last.x + last.w);
  out.push(`<line class="axis-line" x1="${ctx.x0}" y1="${lanesTop - 4}" x2="${f(ctx.x0 + ctx.axis.width)}" y2="${lanesTop - 4}"/>`);
  out.push('</g>');
}

function gaps(ctx: Ctx, top: number, bottom: number): void {
  for (const s of ctx.axis.segments) {
    if (!s.gap) continue;
    const x = ctx.x0 + s.x;
    const title = `unmapped: ${hexAddr(s.start)}-${hexAddr(s.end - 1n)} (${humanSize(s.end - s.start)})`;
    ctx.out.push(`<g class="gap-g"><rect class="gap" x="${f(x)}" y="${top}" width="${f(s.w)}" height="${bottom - top}"/>`);
    ctx.out.push(`<path class="break" d="M${f(x + 4)} ${top} l-3 6 l6 6 l-6 6 M${f(x + s.w - 4)} ${top} l-3 6 l6 6 l-6 6"/>`);
    ctx.out.push(`<title>${esc(title)}</title></g>`);
  }
}

function rowY(ctx: Ctx, r: MapRange): number {
  return (ctx.laneY.get(r.lane) ?? 0) + LANE_PAD + r.row * ROW_H;
}

function region(ctx: Ctx, map: MemoryMap, r: MapRange): void {
  const x1 = ctx.x0 + ctx.axis.x(r.start);
  const x2 = ctx.x0 + ctx.axis.x(r.end);
  const w = Math.max(2, x2 - x1);
  const y = rowY(ctx, r);
  const h = ROW_H - 4;
  const cls = ['region', `k-${r.cls}`, ctx.colour.get(r.lane) ?? 'c0'];
  if (r.conflicts.length) cls.push(r.conflicts.some((c) => map.conflicts[c].severity === 'error') ? 'has-error' : 'has-warning');
  const o = ctx.out;
  o.push(`<g class="region-g" data-ref="r${r.id}" tabindex="0">`);
  o.push(`<rect class="${cls.join(' ')}" x="${f(x1)}" y="${y}" width="${f(w)}" height="${h}"/>`);
  if (r.cls === 'ivshmem' || r.cls === 'shared') o.push(`<rect class="hatch" x="${f(x1)}" y="${y}" width="${f(w)}" height="${h}"/>`);
  o.push(`<title>${esc(rangeTitle(map, r))}</title></g>`);
}

/** Name and size of a region; `data-ref` ties them to their region (media/map.js). */
function regionLabels(ctx: Ctx, r: MapRange): void {
  const x1 = ctx.x0 + ctx.axis.x(r.start);
  const w = Math.max(2, ctx.x0 + ctx.axis.x(r.end) - x1);
  const y = rowY(ctx, r);
  const ref = ` data-ref="r${r.id}"`;
  const name = label('rl rl-name', f(x1 + 3), y + 13, r.name, w, ref);
  const size = label('rl rl-size', f(x1 + 3), y + 26, humanSize(r.end - r.start), w, ref);
  if (name) ctx.out.push(name);
  if (size) ctx.out.push(size);
}

function conflict(ctx: Ctx, map: MemoryMap, c: MapConflict): void {
  const x1 = ctx.x0 + ctx.axis.x(c.start);
  const w = Math.max(3, ctx.x0 + ctx.axis.x(c.end) - x1);
  const o = ctx.out;
  o.push(`<g class="conflict-g" data-ref="r${c.ranges[0]}" data-conflict="${c.id}">`);
  const ys = c.ranges.map((id) => rowY(ctx, map.ranges[id]));
  for (const y of ys) o.push(`<rect class="conflict sev-${c.severity}" x="${f(x1)}" y="${y}" width="${f(w)}" height="${ROW_H - 4}"/>`);
  if (ys.length > 1) {
    const top = Math.min(...ys);
    const bottom = Math.max(...ys) + ROW_H - 4;
    o.push(`<line class="conflict-link sev-${c.severity}" x1="${f(x1 + w / 2)}" y1="${top}" x2="${f(x1 + w / 2)}" y2="${bottom}"/>`);
  }
  o.push(`<title>${esc(`${c.severity}: ${c.message} [${c.code}]`)}</title></g>`);
}

function heading(ctx: Ctx, y: number, text: string): number {
  ctx.out.push(`<text class="heading" x="${PAD}" y="${y + 14}">${esc(text)}</text>`);
  return y + 24;
}

function comm(ctx: Ctx, map: MemoryMap, y: number): number {
  if (!map.comm.length) return y;
  y = heading(ctx, y, 'Communication regions (guest-physical, backed by the hypervisor)');
  map.comm.forEach((c, i) => {
    const lane = map.lanes.find((l) => l.id === c.lane);
    const text = `${lane?.label ?? c.lane}: ${c.name} at ${hexAddr(c.virt)} (${humanSize(c.size)})`;
    ctx.out.push(`<text class="comm" data-ref="comm${i}" x="${PAD + 8}" y="${y + 12}">${esc(text)}</text>`);
    y += 18;
  });
  return y + 8;
}

function gridRowLabels(ctx: Ctx, map: MemoryMap, lanes: string[], y: number): void {
  lanes.forEach((id, i) => {
    const l = map.lanes.find((x) => x.id === id);
    ctx.out.push(label('grid-label', PAD + 6, y + i * CELL + 13, l?.label ?? id, LABEL_W - 8) ?? '');
  });
}

function cpuGrid(ctx: Ctx, map: MemoryMap, y: number): number {
  const g = map.cpus;
  if (!g.rows.length) return y;
  y = heading(ctx, y, 'CPUs');
  const x0 = PAD + LABEL_W;
  g.cpus.forEach((cpu, j) => ctx.out.push(`<text class="grid-head" x="${x0 + j * CELL + CELL / 2}" y="${y + 10}">${cpu}</text>`));
  y += 16;
  gridRowLabels(ctx, map, g.rows.map((r) => r.lane), y);
  const conflicts = new Map(g.conflicts.map((c) => [c.cpu, c.conflict]));
  g.rows.forEach((row, i) => {
    const held = new Set(row.cpus);
    g.cpus.forEach((cpu, j) => {
      const on = held.has(cpu);
      const c = conflicts.get(cpu);
      const bad = on && c && c.lanes.includes(row.lane);
      const cls = `grid-cell ${on ? `on ${ctx.colour.get(row.lane)}` : 'off'}${bad ? ` conflict-cell sev-${c.severity}` : ''}`;
      const title = `CPU ${cpu}: ${on ? 'held by' : 'not held by'} ${map.lanes.find((l) => l.id === row.lane)?.label ?? row.lane}${bad ? `\n${c.severity}: ${c.message} [${c.code}]` : ''}`;
      ctx.out.push(`<rect class="${cls}" data-ref="cpu:${esc(row.lane)}" x="${x0 + j * CELL + 1}" y="${y + i * CELL + 1}" width="${CELL - 2}" height="${CELL - 2}"><title>${esc(title)}</title></rect>`);
    });
  });
  return y + g.rows.length * CELL + 14;
}

function irqGrid(ctx: Ctx, map: MemoryMap, y: number): number {
  const g = map.irqs;
  if (!g.columns.length) return y;
  y = heading(ctx, y, g.unit === 'INTID' ? 'Interrupts (GIC INTIDs, SPIs)' : 'Interrupts (IOAPIC pins)');
  const lanes = map.lanes.filter((l) => l.kind === 'root' || l.kind === 'cell').map((l) => l.id);
  const x0 = PAD + LABEL_W;
  const headH = 46;
  // Columns of different chips are separated by one empty column holding the chip's label.
  const xs: number[] = [];
  let col = 0;
  let prev: bigint | undefined;
  for (const c of g.columns) {
    if (prev !== c.chip) {
      if (prev !== undefined) col++;
      const chip = g.chips.find((k) => k.address === c.chip);
      ctx.out.push(`<text class="chip-label${chip?.ignored ? ' ignored' : ''}" x="${x0 + col * CELL}" y="${y + 10}">${esc(chip?.label ?? '')}</text>`);
      prev = c.chip;
    }
    xs.push(x0 + col * CELL);
    col++;
  }
  y += 14;
  g.columns.forEach((c, j) => {
    const label = c.first === c.last ? `${c.first}` : `${c.first}-${c.last}`;
    const tx = xs[j] + CELL / 2 + 4;
    const ty = y + headH - 4;
    ctx.out.push(`<text class="grid-head rot" x="${tx}" y="${ty}" transform="rotate(-60 ${tx} ${ty})">${label}</text>`);
  });
  y += headH;
  gridRowLabels(ctx, map, lanes, y);
  const refOf = new Map<string, number>();
  g.locs.forEach((l, i) => {
    const key = `${l.lane}@${l.chip}`;
    if (!refOf.has(key)) refOf.set(key, i);
  });
  lanes.forEach((lane, i) => {
    g.columns.forEach((c, j) => {
      const on = c.lanes.includes(lane);
      const bad = on && c.conflict && c.conflict.lanes.includes(lane);
      const cls = `grid-cell ${on ? `on ${ctx.colour.get(lane)}` : 'off'}${bad && c.conflict ? ` conflict-cell sev-${c.conflict.severity}` : ''}`;
      const what = `${g.unit} ${c.first === c.last ? c.first : `${c.first}-${c.last}`} (${hexAddr(c.chip)})`;
      const title = `${what}: ${on ? 'held by' : 'not held by'} ${map.lanes.find((l) => l.id === lane)?.label ?? lane}${bad && c.conflict ? `\n${c.conflict.severity}: ${c.conflict.message} [${c.conflict.code}]` : ''}`;
      const ref = refOf.get(`${lane}@${c.chip}`);
      ctx.out.push(`<rect class="${cls}"${ref !== undefined ? ` data-ref="irq${ref}"` : ''} x="${xs[j] + 1}" y="${y + i * CELL + 1}" width="${CELL - 2}" height="${CELL - 2}"><title>${esc(title)}</title></rect>`);
    });
  });
  return y + lanes.length * CELL + 14;
}
