// Quick fix for hypervisor-memory: the estimate's floor, rounded up to whole MiB — offered only
// where the larger reservation overlaps no cell's memory (else memory-overlap-hypervisor follows).
import { isComm } from '../../core/flags';
import { hex } from '../format';
import type { Diag, Fix, RuleContext } from '../types';
import { hexLit, setField } from './edit';

const MIB = 1n << 20n;

export function hypervisorMemoryFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file: string; bytes: string } | undefined;
  const root = ctx.root;
  const hv = root?.model.system?.hypervisor_memory;
  if (!d || !root || !hv || root.file !== d.file) return [];
  const size = ((BigInt(d.bytes) + MIB - 1n) / MIB) * MIB;
  const end = hv.phys_start + size;
  const hit = ctx.all.some((c) => c.model.mem_regions.some((r) => !isComm(r) && r.size > 0n && r.phys_start < end && hv.phys_start < r.phys_start + r.size));
  if (hit) return [];
  const e = setField(root, hv, 'size', hexLit(size));
  return e ? [{ title: `Set hypervisor_memory.size to ${hex(size)} (the estimate rounded up to whole MiB)`, edits: [e], preferred: true }] : [];
}
