// Quick fix for ivshmem-intx: grant the INTx interrupt in the irqchip entry whose 128-interrupt
// window covers it, by OR-ing its bit into the right pin_bitmap word.
import { struct } from '../../schema';
import type { AggValue, Irqchip } from '../../core/model';
import { gicd } from '../irqchipData';
import type { CellRef, Diag, Fix, RuleContext } from '../types';
import { isBraced, slice } from './edit';

const PIN_BITMAP = struct('jailhouse_irqchip').fields.findIndex((f) => f.name === 'pin_bitmap');

function bitmapWords(c: CellRef, chip: Irqchip): AggValue | undefined {
  const idx = c.model.members.findIndex((m) => m.role === 'irqchips');
  const arr = c.model.value.items[idx];
  const el = arr?.kind === 'agg' ? arr.items[chip.$index] : undefined;
  const bm = el?.kind === 'agg' ? el.items[PIN_BITMAP] : undefined;
  return bm?.kind === 'agg' ? bm : undefined;
}

export function intxFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; intid: number } | undefined;
  const c = ctx.all.find((x) => x.file === d?.file);
  if (!d || !c) return [];
  const g = gicd(ctx);
  for (const chip of c.model.irqchips) {
    const base = Number(chip.pin_base);
    if (!chip.$loc || (g !== undefined && chip.address !== g) || d.intid < base || d.intid >= base + 128 || !isBraced(c, chip)) continue;
    const w = (d.intid - base) >> 5;
    const word = bitmapWords(c, chip)?.items[w];
    const loc = word?.loc;
    if (!word || !loc || loc.file !== c.file || !chip.$loc || loc.start < chip.$loc.start || loc.end > chip.$loc.end) continue;
    const bit = `1 << (${d.intid} - ${base + 32 * w})`;
    const old = slice(c, loc).trim();
    const edit = /^0+[uUlL]*$|^0x0+[uUlL]*$/i.test(old) ? { loc, newText: bit } : { loc: { ...loc, start: loc.end }, newText: ` | ${bit}` };
    return [{ title: `Grant INTID ${d.intid} in ${chip.$name ? `irqchip "${chip.$name}"` : `irqchip #${chip.$index}`}`, edits: [edit], preferred: true }];
  }
  return [];
}
