// What the root cell cannot do itself, said to the user: keep Linux off the carve-out (a
// reserved-memory node with the real addresses, or mem= when the carve-out is the top of RAM).
import type { BoardArch } from '../boards/types';
import { hex, humanSize } from '../util/format';
import type { CarveOut } from './layout';
import { sizeOf, type Span } from './spans';

function cells(v: bigint, n: number): string {
  if (n === 1) return hex(v);
  return `${hex(v >> 32n)} ${hex(v & 0xffffffffn)}`;
}

function node(label: string, name: string, s: Span, n: number): string[] {
  return [`\t${label}: ${name}@${s.start.toString(16)} {`, `\t\treg = <${cells(s.start, n)} ${cells(sizeOf(s), n)}>;`, '\t\tno-map;', '\t};'];
}

/** The /reserved-memory node (address and size cells: 2 on arm64, 1 on 32-bit ARM). */
export function reservedMemoryNode(layout: CarveOut, arch: BoardArch): string {
  const n = arch === 'arm64' ? 2 : 1;
  const lines = ['reserved-memory {', `\t#address-cells = <${n}>;`, `\t#size-cells = <${n}>;`, '\tranges;', ''];
  if (layout.links.length) lines.push(...node('jailhouse_ivshmem', 'jailhouse-ivshmem', { start: layout.links[0].start, end: layout.links[layout.links.length - 1].end }, n));
  lines.push(...node('jailhouse_cells', 'jailhouse-cells', layout.cells, n));
  lines.push(...node('jailhouse_hypervisor', 'jailhouse', layout.hypervisor, n));
  lines.push('};');
  return lines.join('\n');
}

/** `mem=` works only when everything above the Linux RAM is the carve-out. */
export function memParameter(layout: CarveOut): string | undefined {
  if (layout.linuxRam.some((r) => r.end > layout.reserved.start)) return undefined;
  const total = layout.linuxRam.reduce((n, r) => n + sizeOf(r), 0n);
  const m = total % 0x100000n === 0n ? `${total / 0x100000n}M` : `${total / 0x400n}K`;
  return `mem=${m}`;
}

export function keepLinuxOffNote(layout: CarveOut, arch: BoardArch): string {
  const r = layout.reserved;
  const mem = memParameter(layout);
  const head =
    `Linux must not use ${hex(r.start)}-${hex(r.end - 1n)} (${humanSize(sizeOf(r))}: the cells' RAM, the ivshmem memory and the hypervisor). ` +
    `Add these nodes to the root's device tree${arch === 'arm64' ? '' : ' (cells as the tree\'s root #address-cells/#size-cells say)'} — into its /reserved-memory node when it has one:`;
  const tail = mem
    ? `Or boot the root Linux with \`${mem}\` on its command line (everything above the Linux RAM is the carve-out).`
    : 'The kernel parameter mem= cannot do it: RAM above the carve-out would be cut off too.';
  return `${head}\n${reservedMemoryNode(layout, arch)}\n${tail}`;
}
