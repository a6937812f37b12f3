// Quick fixes for reset-address: make the region executable, or start at the (loadable) RAM.
import { hex, regionLabel } from '../format';
import type { CellRef, Diag, Fix, RuleContext, TextEdit } from '../types';
import { addFlag, setField } from './edit';

/** Cell fields cpu_reset_address is written after when it is missing (upstream's order, nearest first). */
const BEFORE_RESET = ['vpci_irq_base', 'num_stream_ids', 'num_pci_caps', 'num_pci_devices', 'num_pio_regions', 'num_irqchips', 'num_cache_regions', 'num_memory_regions', 'cpu_set_size', 'flags', 'name'];

/** Sets the cell's cpu_reset_address (written next to the cell's other fields when missing). */
export function moveReset(c: CellRef, to: bigint): TextEdit | undefined {
  return setField(c, c.model.cell, 'cpu_reset_address', hex(to), BEFORE_RESET);
}

export function resetAddressFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; target?: number; region?: number; loadable?: boolean } | undefined;
  const c = ctx.cells.find((x) => x.file === d?.file);
  if (!d || !c) return [];
  const fixes: Fix[] = [];
  const r = d.region === undefined ? undefined : c.model.mem_regions[d.region];
  const exec = r ? addFlag(c, r, 'flags', 'JAILHOUSE_MEM_EXECUTE') : undefined;
  if (r && exec) fixes.push({ title: `Add JAILHOUSE_MEM_EXECUTE to ${regionLabel(r)}`, edits: [exec], preferred: true });
  const t = d.target === undefined ? undefined : c.model.mem_regions[d.target];
  const start = t ? moveReset(c, t.virt_start) : undefined;
  if (t && start) fixes.push({ title: `Start at the ${d.loadable ? 'loadable' : 'executable'} RAM: cpu_reset_address = ${hex(t.virt_start)}`, edits: [start], preferred: !exec });
  return fixes;
}
