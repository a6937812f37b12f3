// How rules talk about things: hex addresses, human sizes, names taken from comments.
import type { MemoryRegion, Node } from '../model/types';
import type { CellRef } from './types';

export function hex(v: bigint, minDigits = 8): string {
  const s = (v < 0n ? -v : v).toString(16);
  return (v < 0n ? '-0x' : '0x') + s.padStart(minDigits, '0');
}

const UNITS: [bigint, string][] = [
  [1n << 60n, 'EiB'],
  [1n << 50n, 'PiB'],
  [1n << 40n, 'TiB'],
  [1n << 30n, 'GiB'],
  [1n << 20n, 'MiB'],
  [1n << 10n, 'KiB'],
];

/** `0x4000` → `16 KiB`; exact sizes stay exact, others get one decimal. */
export function humanSize(v: bigint): string {
  for (const [unit, name] of UNITS) {
    if (v >= unit) {
      if (v % unit === 0n) return `${v / unit} ${name}`;
      const tenths = (v * 10n) / unit;
      if (tenths < 100n && v % (unit / 1024n) === 0n) {
        const small = UNITS[UNITS.findIndex((u) => u[1] === name) + 1];
        if (small) return `${v / small[0]} ${small[1]}`;
      }
      return `${tenths / 10n}.${tenths % 10n} ${name} (${hex(v, 1)})`;
    }
  }
  return `${v} bytes`;
}

/** `[0x40000000-0x7fffffff]`, inclusive end as people read memory maps. */
export function span(start: bigint, size: bigint): string {
  return `${hex(start)}-${hex(start + size - 1n)}`;
}

/** `region #3 "RAM"` or `region #3`. */
export function nodeLabel(kind: string, node: Node): string {
  const name = node.$name ? ` "${node.$name}"` : '';
  return node.$index >= 0 ? `${kind} #${node.$index}${name}` : `${kind}${name}`;
}

export function regionLabel(r: MemoryRegion): string {
  return nodeLabel('region', r);
}

export function cellLabel(c: CellRef): string {
  return c.isRoot ? `root cell "${c.label}"` : `cell "${c.label}"`;
}

export function bdfText(bdf: bigint): string {
  const b = Number(bdf);
  const bus = (b >> 8) & 0xff;
  const dev = (b >> 3) & 0x1f;
  const fn = b & 7;
  return `${bus.toString(16).padStart(2, '0')}:${dev.toString(16).padStart(2, '0')}.${fn}`;
}

export function cpuList(cpus: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < cpus.length; ) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j] + 1) j++;
    parts.push(j > i + 1 ? `${cpus[i]}-${cpus[j]}` : j === i + 1 ? `${cpus[i]}, ${cpus[j]}` : `${cpus[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${BigInt(n) === 1n ? '' : 's'}`;
}
