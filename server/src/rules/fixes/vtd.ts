// Quick fixes for the VT-d interrupt-remapping findings: raise vtd_interrupt_limit, give a
// cell's IOAPIC entry the root's id.
import type { Diag, Fix, RuleContext } from '../types';
import type { IrqchipIdData, VtdLimitData } from '../x86Data';
import { setField } from './edit';

export function vtdLimitFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as Partial<VtdLimitData> | undefined;
  const root = ctx.root;
  const x86 = root?.model.system?.platform_info.x86;
  if (!d || typeof d.limit !== 'number' || !root || root.file !== d.file || !x86) return [];
  const e = setField(root, x86, 'vtd_interrupt_limit', String(d.limit), ['pm_timer_address']);
  return e ? [{ title: `Set vtd_interrupt_limit to ${d.limit} (120 pins per IOAPIC, the most the hypervisor accepts, plus every vector, rounded up to a power of two)`, edits: [e], preferred: true }] : [];
}

export function irqchipIdFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as Partial<IrqchipIdData> | undefined;
  const c = ctx.cells.find((x) => x.file === d?.file);
  const chip = c?.model.irqchips[d?.index ?? -1];
  if (!d || typeof d.id !== 'string' || !c || !chip) return [];
  const e = setField(c, chip, 'id', d.id);
  return e ? [{ title: `Use the root cell's id ${d.id}`, edits: [e], preferred: true }] : [];
}
