// irqchip-id (docs/format.md §5.5): on VT-d an x86 irqchip entry's `id` is the IOAPIC's
// interrupt source id. The hypervisor reserves remapping entries per id and writes it into every
// entry as the id to verify, so a cell must name an IOAPIC with the id the root gives it; a
// foreign address is irqchip-address's finding, not this one.
import { irqchipIdFix } from './fixes/vtd';
import { cellLabel, hex, nodeLabel } from './format';
import { entries, IOAPIC_MAX_CHIPS } from './irqchips';
import { nodeLoc } from './locate';
import type { Diag, Rule } from './types';
import { sourceId, vtdRoot } from './vtdInterrupts';
import type { IrqchipIdData } from './x86Data';

export const irqchipId: Rule = {
  id: 'irqchip-id',
  defaultSeverity: 'warning',
  docs: '#irqchip-id',
  description: "x86 VT-d: a cell's IOAPIC entry has another id (interrupt source id) than the root cell's entry for the same address: its pins are remapped for a source that never sends, and their interrupts are lost.",
  check(ctx) {
    const root = vtdRoot(ctx);
    if (!root) return [];
    const rootChips = entries(root);
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      // More entries than the hypervisor takes: the cell is refused anyway (irqchip-count).
      if (c.model.arch !== 'x86' || entries(c).length > IOAPIC_MAX_CHIPS) continue;
      const told = new Set<string>();
      for (const chip of entries(c)) {
        const r = rootChips.find((x) => x.address === chip.address);
        const key = `${chip.address}:${sourceId(chip)}`;
        if (!r || sourceId(r) === sourceId(chip) || told.has(key)) continue;
        told.add(key);
        out.push({
          code: 'irqchip-id',
          severity: 'warning',
          message: `${nodeLabel('irqchip', chip)} of ${cellLabel(c)} gives the IOAPIC at ${hex(chip.address)} the id ${hex(chip.id, 1)}, but ${cellLabel(root)} gives it ${hex(r.id, 1)}: at cell create the hypervisor reserves another block of interrupt-remapping entries for source ${hex(sourceId(chip), 4)} (vtd_cell_init; -E2BIG when vtd_interrupt_limit has no room) and remaps the cell's pins there with that source id to verify, so VT-d blocks the interrupts the IOAPIC really sends: the cell never receives them`,
          loc: nodeLoc(c, chip, 'id', 'irqchips'),
          related: [{ loc: nodeLoc(root, r, 'id', 'irqchips'), message: `the IOAPIC's id in ${cellLabel(root)}` }],
          data: { file: c.file, index: chip.$index, id: hex(r.id, 1) } satisfies IrqchipIdData,
        });
      }
    }
    return out;
  },
  fixes: irqchipIdFix,
};
