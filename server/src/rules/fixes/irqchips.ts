// Quick fixes for irqchip findings: point an entry at the GIC distributor or at an IOAPIC of
// the root; add the irqchip section a cell lacks, with pin_base/pin_bitmap covering the
// interrupts it needs.
import type { IrqchipAddressData } from '../irqchipData';
import type { Diag, Fix, RuleContext } from '../types';
import { setField } from './edit';
import { addSection } from './sections';

export function irqchipAddressFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as Partial<IrqchipAddressData> | undefined;
  const c = ctx.all.find((x) => x.file === d?.file);
  const chip = c?.model.irqchips[d?.index ?? -1];
  if (!d || !c || !chip || !Array.isArray(d.addresses)) return [];
  const fixes: Fix[] = [];
  for (const address of d.addresses) {
    const e = setField(c, chip, 'address', address);
    if (e) fixes.push({ title: `Use the ${d.controller ?? 'controller'} address ${address}`, edits: [e], preferred: d.addresses.length === 1 });
  }
  return fixes;
}

/** Entries (pin_base + 4 bitmap words) covering `intids`, one per 128-interrupt window. */
export function irqchipEntries(intids: number[]): { pinBase: number; words: number[] }[] {
  const out: { pinBase: number; words: number[] }[] = [];
  for (const n of [...intids].sort((a, b) => a - b)) {
    let e = out.find((x) => n >= x.pinBase && n < x.pinBase + 128);
    if (!e) {
      // pin_base: multiple of 32, and pin_base + 128 ≤ 1024.
      const pinBase = Math.min(Math.floor(n / 32) * 32, 896);
      out.push((e = { pinBase, words: [0, 0, 0, 0] }));
    }
    const k = n - e.pinBase;
    e.words[k >> 5] = (e.words[k >> 5] | (1 << (k & 31))) >>> 0;
  }
  return out;
}

export function irqchipMissingFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; intids: number[]; gicd?: string } | undefined;
  const c = ctx.all.find((x) => x.file === d?.file);
  if (!d || !c || !d.gicd || !Array.isArray(d.intids) || !d.intids.length) return [];
  const elements = irqchipEntries(d.intids).map(
    (e) =>
      `\t\t/* GIC: ivshmem INTx */ {\n\t\t\t.address = ${d.gicd},\n\t\t\t.pin_base = ${e.pinBase},\n\t\t\t.pin_bitmap = {\n\t\t\t\t${e.words.map((w) => '0x' + w.toString(16)).join(', ')},\n\t\t\t},\n\t\t}`,
  );
  const edits = addSection(c, 'irqchips', 'struct jailhouse_irqchip', elements);
  return edits ? [{ title: `Add an irqchip entry for the GIC with interrupt${d.intids.length > 1 ? 's' : ''} ${d.intids.join(', ')}`, edits, preferred: true }] : [];
}
