// Where the hypervisor, the ivshmem links and the cells' RAM go: one contiguous carve-out at the
// top of the highest RAM below 4 GiB (32-bit inmates, 32-bit DMA masters and the 32-bit ARM
// hypervisor all reach it there), else at the top of the highest bank; Linux keeps the rest.
// From the top down: hypervisor, the cells' RAM (from a 2 MiB boundary), one 1 MiB slot per link.
import { GenerateError } from './errors';
import { GIB, MIB, PAGE, alignDown, alignUp, sizeOf, subtract, type Span } from './spans';
import type { RegWindow } from '../boards/types';
import { hex, humanSize } from '../util/format';

/** Each link's memory (JAILHOUSE_SHMEM_NET_REGIONS: 0xff000 bytes) in a 1 MiB slot of its own. */
export const LINK_SLOT = MIB;
/** The least RAM left to Linux before the generator refuses (a root Linux needs room to boot). */
export const LINUX_FLOOR = 64n * MIB;

export interface LayoutRequest {
  hypervisorSize: bigint;
  /** Undefined: the default for the RAM piece chosen (defaultCellRam). */
  cellRamSize?: bigint;
  links: number;
}

export interface CarveOut {
  /** The RAM piece the carve-out is cut from (a bank, or its part below 4 GiB). */
  piece: Span;
  hypervisor: Span;
  /** One 1 MiB slot per link, lowest first. */
  links: Span[];
  cells: Span;
  /** What the cells' RAM was asked to be (the area may be larger by the 2 MiB alignment). */
  cellRamAsked: bigint;
  /** From the lowest link (or the cells' RAM) to the hypervisor's end: what Linux must not touch. */
  reserved: Span;
  /** Every RAM bank less the carve-out, in address order. */
  linuxRam: Span[];
}

/** The RAM banks, page-aligned inward, in address order. */
export function ramSpans(ram: readonly RegWindow[]): Span[] {
  return ram
    .map((w) => ({ start: alignUp(w.base, PAGE), end: alignDown(w.base + w.size, PAGE) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => (a.start < b.start ? -1 : 1));
}

/** A quarter of the piece, as a power of two, at most 256 MiB and at least 16 MiB. */
export function defaultCellRam(piece: Span): bigint {
  let v = 256n * MIB;
  while (v > 16n * MIB && v * 4n > sizeOf(piece)) v /= 2n;
  return v;
}

/** The pieces of RAM a carve-out may be cut from, preferred first. */
function candidates(banks: Span[]): Span[] {
  const low = banks.filter((b) => b.start < 4n * GIB).map((b) => ({ start: b.start, end: b.end < 4n * GIB ? b.end : 4n * GIB }));
  const byTop = (list: Span[]) => [...list].sort((a, b) => (a.end > b.end ? -1 : 1));
  return [...byTop(low), ...byTop(banks.filter((b) => b.end > 4n * GIB))];
}

function place(piece: Span, req: LayoutRequest, cellRam: bigint): Omit<CarveOut, 'linuxRam' | 'piece' | 'cellRamAsked'> | undefined {
  const aligned = alignDown(piece.end, 2n * MIB);
  const top = aligned > piece.start ? aligned : piece.end;
  const hypervisor = { start: top - req.hypervisorSize, end: top };
  // The cells' area ends at the hypervisor and starts 2 MiB aligned (huge pages for the cells).
  const cells = { start: alignDown(hypervisor.start - cellRam, 2n * MIB), end: hypervisor.start };
  const linkBase = cells.start - BigInt(req.links) * LINK_SLOT;
  const links = Array.from({ length: req.links }, (_, i) => ({ start: linkBase + BigInt(i) * LINK_SLOT, end: linkBase + BigInt(i + 1) * LINK_SLOT }));
  if (linkBase < piece.start || linkBase < 0n) return undefined;
  return { hypervisor, links, cells, reserved: { start: linkBase, end: hypervisor.end } };
}

export function planCarveOut(ram: readonly RegWindow[], req: LayoutRequest): CarveOut {
  if (req.hypervisorSize <= 0n || req.hypervisorSize % PAGE !== 0n) throw new GenerateError(`the hypervisor size ${hex(req.hypervisorSize)} is not a positive multiple of the 4 KiB page`);
  if (req.cellRamSize !== undefined && req.cellRamSize <= 0n) throw new GenerateError('the RAM for cells must not be empty: the cell generator takes the non-root cells\' RAM from it');
  if (!Number.isInteger(req.links) || req.links < 0 || req.links > 32) throw new GenerateError(`${req.links} ivshmem links: give 0 to 32`);
  const banks = ramSpans(ram);
  if (!banks.length) throw new GenerateError('the board lists no RAM: there is nothing to carve the hypervisor and the cells\' RAM from');
  const total = banks.reduce((n, b) => n + sizeOf(b), 0n);
  for (const piece of candidates(banks)) {
    const cellRam = req.cellRamSize ?? defaultCellRam(piece);
    const p = place(piece, req, cellRam);
    if (!p) continue;
    const linuxRam = banks.flatMap((b) => subtract(b, [p.reserved]));
    const left = linuxRam.reduce((n, b) => n + sizeOf(b), 0n);
    if (left < LINUX_FLOOR) continue;
    return { piece, ...p, cellRamAsked: cellRam, linuxRam };
  }
  const want = req.hypervisorSize + BigInt(req.links) * LINK_SLOT + (req.cellRamSize ?? 16n * MIB);
  throw new GenerateError(
    `the board's RAM (${humanSize(total)} in ${banks.length} bank${banks.length > 1 ? 's' : ''}) has no bank that holds the hypervisor (${humanSize(req.hypervisorSize)}), ` +
      `${req.links} ivshmem link${req.links === 1 ? '' : 's'} (1 MiB each) and the cells' RAM (${req.cellRamSize !== undefined ? humanSize(req.cellRamSize) : 'at least 16 MiB'}), ${humanSize(want)} in all, ` +
      `and leaves Linux at least ${humanSize(LINUX_FLOOR)}; give a smaller --cell-ram, --hypervisor-size or --ivshmem-links`,
  );
}
