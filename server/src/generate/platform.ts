// What the hypervisor owns on ARM and no root region may map (the memory-overlap-platform rule,
// docs/format.md §5.4.5): the GIC's distributor, redistributor frames of every CPU, CPU,
// hypervisor and virtual interfaces; and the window the virtual PCI host's config space lives in.
import type { Board, GicController } from '../boards/types';
import { GenerateError } from './errors';
import { GIB, MIB, highestFree, spanOf, type Span } from './spans';
import { hex } from '../util/format';

/** A GICv3 redistributor region per CPU: RD_base and SGI_base frames of 64 KiB each. */
const GICR_STRIDE = 0x20000n;

export function gicOf(board: Board): GicController {
  const ic = board.interruptController;
  if (!ic) throw new GenerateError(`the board ${board.id} has no interrupt controller: a ${board.arch} root cell needs the GIC's version and bases (add "interruptController" to the board, or import a device tree that has the GIC node)`);
  if (ic.type !== 'gic') throw new GenerateError(`the board ${board.id} has an IOAPIC, not a GIC, for arch ${board.arch}`);
  const missing = ic.version === 2 ? (['gicc', 'gich', 'gicv'] as const).filter((k) => ic[k] === undefined) : (['gicr'] as const).filter((k) => ic[k] === undefined);
  if (missing.length) throw new GenerateError(`the board's GICv${ic.version} lacks ${missing.join(', ')}: the hypervisor needs ${ic.version === 2 ? 'the CPU, hypervisor and virtual interface bases' : 'the redistributor base'}`);
  return ic;
}

export function gicWindows(gic: GicController, cpus: number): { what: string; span: Span }[] {
  const out: { what: string; span: Span }[] = [];
  if (gic.version === 3) {
    out.push({ what: 'GIC distributor', span: spanOf(gic.gicd, 0x10000n) });
    out.push({ what: 'GIC redistributors', span: spanOf(gic.gicr!, GICR_STRIDE * BigInt(cpus)) });
  } else out.push({ what: 'GIC distributor', span: spanOf(gic.gicd, 0x1000n) });
  for (const [k, what] of [['gicc', 'GIC CPU interface'], ['gich', 'GIC hypervisor interface'], ['gicv', 'GIC virtual CPU interface']] as const) {
    if (gic[k] !== undefined) out.push({ what, span: spanOf(gic[k]!, 0x2000n) });
  }
  return out;
}

/** The virtual PCI host's config window (1 MiB: bus 0 only): the highest free MiB below 4 GiB. */
export function choosePciWindow(busy: readonly Span[]): Span {
  const w = highestFree(MIB, MIB, 4n * GIB, busy);
  if (!w) throw new GenerateError('no free 1 MiB window below 4 GiB for the virtual PCI host (every MiB holds RAM or a device)');
  return w;
}

export const describeSpan = (s: Span) => `${hex(s.start)}-${hex(s.end - 1n)}`;
