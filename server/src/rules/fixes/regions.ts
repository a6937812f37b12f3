// Quick fixes for single-region findings.
import { PAGE } from '../../core/flags';
import { hex } from '../format';
import type { Diag, Fix, RuleContext, TextEdit } from '../types';
import type { MemoryRegion } from '../../core/model';
import type { CellRef } from '../types';
import { addFlag, hexLit, removeFlag, setField } from './edit';

function target(diag: Diag, ctx: RuleContext): { c: CellRef; r: MemoryRegion } | undefined {
  const d = diag.data as { file: string; index: number } | undefined;
  const c = ctx.all.find((x) => x.file === d?.file);
  const r = c?.model.mem_regions[d?.index ?? -1];
  return c && r ? { c, r } : undefined;
}

const one = (title: string, e: TextEdit | undefined, preferred = true): Fix[] => (e ? [{ title, edits: [e], preferred }] : []);

export function alignmentFix(diag: Diag, ctx: RuleContext): Fix[] {
  const t = target(diag, ctx);
  if (!t) return [];
  const { c, r } = t;
  const down = (v: bigint) => v - (v % PAGE);
  const up = (v: bigint) => down(v + PAGE - 1n);
  if (r.virt_start % PAGE === 0n && r.size % PAGE === 0n) {
    const p = down(r.phys_start);
    return one(`Round phys_start down to the page ${hex(p)}`, setField(c, r, 'phys_start', hexLit(p)));
  }
  // Sub-page RAM: widen it to whole pages, keeping the phys/virt offset.
  const v = down(r.virt_start);
  const delta = r.virt_start - v;
  const size = up(r.size + delta);
  const edits = [setField(c, r, 'virt_start', hexLit(v)), setField(c, r, 'phys_start', hexLit(r.phys_start - delta)), setField(c, r, 'size', hexLit(size))];
  const needed = edits.filter((_, i) => (i === 0 || i === 1 ? delta !== 0n : size !== r.size));
  if (needed.some((e) => !e)) return [];
  return [{ title: `Round the region to whole pages (${hex(v)}, size ${hexLit(size)})`, edits: needed as TextEdit[], preferred: true }];
}

export function subpageWidthFix(diag: Diag, ctx: RuleContext): Fix[] {
  const t = target(diag, ctx);
  if (!t) return [];
  return [
    ...one('Allow 32-bit accesses (JAILHOUSE_MEM_IO_32)', addFlag(t.c, t.r, 'flags', 'JAILHOUSE_MEM_IO_32')),
    ...one(
      'Allow 8-, 16-, 32- and 64-bit accesses',
      addFlag(t.c, t.r, 'flags', 'JAILHOUSE_MEM_IO_8 | JAILHOUSE_MEM_IO_16 | JAILHOUSE_MEM_IO_32 | JAILHOUSE_MEM_IO_64'),
      false,
    ),
  ];
}

export function commSizeFix(diag: Diag, ctx: RuleContext): Fix[] {
  const t = target(diag, ctx);
  return t ? one('Set the size to 0x00001000', setField(t.c, t.r, 'size', '0x00001000')) : [];
}

export function loadableFix(diag: Diag, ctx: RuleContext): Fix[] {
  const t = target(diag, ctx);
  return t ? one('Add JAILHOUSE_MEM_WRITE', addFlag(t.c, t.r, 'flags', 'JAILHOUSE_MEM_WRITE')) : [];
}

export function rootVirtFix(diag: Diag, ctx: RuleContext): Fix[] {
  const t = target(diag, ctx);
  return t ? one(`Set virt_start to phys_start (${hex(t.r.phys_start)})`, setField(t.c, t.r, 'virt_start', hexLit(t.r.phys_start))) : [];
}

/** memory-dma-width on VT-d: a region no device DMAs into need not be in the IOMMU at all. */
export function dmaWidthFix(diag: Diag, ctx: RuleContext): Fix[] {
  const t = target(diag, ctx);
  if (!t || !(diag.data as { dma?: boolean }).dma) return [];
  return one('Remove JAILHOUSE_MEM_DMA (devices then cannot DMA into this region)', removeFlag(t.c, t.r, 'flags', 'JAILHOUSE_MEM_DMA'), false);
}
