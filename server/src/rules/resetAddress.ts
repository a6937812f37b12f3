// reset-address: the first instruction a non-root cell fetches (docs/format.md §5.3, "Cell start").
// ARM starts the cell's first CPU at cpu_reset_address (arch/arm-common/control.c); x86 starts
// the boot CPU in real mode with CS base = address & ~0xffff and IP = address & 0xffff
// (arch/x86/vmx.c, svm.c), which is the same guest-physical address. Both map a region without
// JAILHOUSE_MEM_EXECUTE non-executable (arm-common/mmu_cell.c, vmx.c, svm.c).
import { has, isComm, isSubpage, MEM } from '../core/flags';
import type { MemoryRegion } from '../core/model';
import { cellLabel, hex, regionLabel, span } from './format';
import { resetAddressFix } from './fixes/resetAddress';
import { cellFieldLoc, nodeLoc } from './locate';
import type { CellRef, Diag, Rule } from './types';

const contains = (r: MemoryRegion, a: bigint) => r.size > 0n && r.virt_start <= a && a < r.virt_start + r.size;

/** Where the fix points the start: RAM `cell load` writes an image into, else any executable RAM. */
function startRegion(c: CellRef): MemoryRegion | undefined {
  const code = c.model.mem_regions.filter((r) => r.size > 0n && has(r.flags, MEM.EXECUTE) && !has(r.flags, MEM.IO) && !isComm(r) && !isSubpage(r));
  return code.find((r) => has(r.flags, MEM.LOADABLE)) ?? code[0];
}

function fault(c: CellRef): string {
  return c.model.arch === 'x86'
    ? 'the boot CPU faults on its first instruction fetch (EPT/NPT violation) and the cell fails as soon as `jailhouse cell start` runs'
    : 'the first CPU faults on its first instruction fetch ("FATAL: instruction abort") and the cell fails as soon as `jailhouse cell start` runs';
}

export const resetAddress: Rule = {
  id: 'reset-address',
  defaultSeverity: 'error',
  docs: '#reset-address',
  description: "A non-root cell's cpu_reset_address must lie in one of its regions with JAILHOUSE_MEM_EXECUTE, or its first instruction fetch faults.",
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      const a = c.model.cell.cpu_reset_address;
      const where = c.model.arch === 'x86' ? 'the hypervisor starts the boot CPU in real mode at CS base + IP = cpu_reset_address (arch/x86/vmx.c, svm.c)' : 'the hypervisor starts the first CPU there (arch/arm-common/control.c)';
      const loc = cellFieldLoc(c, 'cpu_reset_address');
      const load = startRegion(c);
      const data = { file: c.file, target: load?.$index, loadable: !!load && has(load.flags, MEM.LOADABLE) };
      const inside = c.model.mem_regions.filter((r) => contains(r, a));
      if (!inside.length) {
        out.push({
          code: 'reset-address',
          severity: 'error',
          message: `cpu_reset_address ${hex(a)} of ${cellLabel(c)} lies in no memory region of the cell; ${where}, so ${fault(c)}`,
          loc,
          related: load ? [{ loc: nodeLoc(c, load, 'virt_start', 'mem_regions'), message: `${has(load.flags, MEM.LOADABLE) ? 'loadable, ' : ''}executable ${regionLabel(load)} ${span(load.virt_start, load.size)} (guest addresses)` }] : undefined,
          data,
        });
        continue;
      }
      if (inside.some((r) => has(r.flags, MEM.EXECUTE))) continue;
      const r = inside[0];
      out.push({
        code: 'reset-address',
        severity: 'error',
        message: `cpu_reset_address ${hex(a)} of ${cellLabel(c)} lies in ${regionLabel(r)}, which lacks JAILHOUSE_MEM_EXECUTE, so the hypervisor maps it non-executable; ${where}, so ${fault(c)}`,
        loc,
        related: [{ loc: nodeLoc(c, r, 'flags', 'mem_regions'), message: `${regionLabel(r)} ${span(r.virt_start, r.size)} (guest addresses), without EXECUTE` }],
        data: { ...data, region: r.$index },
      });
    }
    return out;
  },
  fixes: resetAddressFix,
};
