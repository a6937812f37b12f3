// A piecewise address axis. A 2^40 space holds 4 KiB UART pages next to GiB of RAM and
// terabyte-sized holes, so a linear scale shows nothing. Instead every stretch between two
// consecutive range boundaries gets a width that grows with the logarithm of its size, and every
// stretch no range covers gets a fixed narrow width (drawn with a break mark). The axis stays
// monotonic, so order and adjacency are exact while sizes are only suggested (labels give them).
import type { Interval } from './sweep';
import { union } from '../util/spans';

export interface AxisSegment {
  start: bigint;
  end: bigint;
  x: number;
  w: number;
  /** No range covers it: drawn compressed with a break mark. */
  gap: boolean;
}

export interface AxisOptions {
  /** Width of the smallest covered stretch (a 4 KiB page or less). */
  minWidth?: number;
  /** Extra width per doubling of size above 4 KiB. */
  perDoubling?: number;
  maxWidth?: number;
  gapWidth?: number;
}

export class Axis {
  readonly width: number;

  constructor(readonly segments: AxisSegment[]) {
    const last = segments[segments.length - 1];
    this.width = last ? last.x + last.w : 0;
  }

  /** The x position of an address (clamped to the axis). */
  x(addr: bigint): number {
    const s = this.segments;
    if (!s.length) return 0;
    if (addr <= s[0].start) return s[0].x;
    if (addr >= s[s.length - 1].end) return this.width;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid].start <= addr) lo = mid;
      else hi = mid - 1;
    }
    const seg = s[lo];
    return seg.x + (seg.w * Number(addr - seg.start)) / Number(seg.end - seg.start);
  }
}

function log2(v: bigint): number {
  // bigint → number keeps ~16 significant digits, plenty for a width.
  return Math.log2(Number(v));
}

export function buildAxis(ranges: Interval[], opts: AxisOptions = {}): Axis {
  const minW = opts.minWidth ?? 40;
  const per = opts.perDoubling ?? 6;
  const maxW = opts.maxWidth ?? 180;
  const gapW = opts.gapWidth ?? 18;
  const cuts = new Set<bigint>();
  for (const r of ranges) {
    if (r.end <= r.start) continue;
    cuts.add(r.start);
    cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const covered = union(ranges);
  const segments: AxisSegment[] = [];
  let x = 0;
  let u = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i];
    const end = points[i + 1];
    while (u < covered.length && covered[u].end <= start) u++;
    const gap = !(u < covered.length && covered[u].start <= start);
    const w = gap ? gapW : Math.min(maxW, minW + per * Math.max(0, log2(end - start) - 12));
    segments.push({ start, end, x, w, gap });
    x += w;
  }
  return new Axis(segments);
}
