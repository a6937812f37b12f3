// A system configuration as a board of its own: for its non-root cells the root cell already
// lists the devices (I/O regions named by their comments), the RAM it owns, its CPUs and the
// interrupt controller.
import type { ConfigModel, MemoryRegion } from '../core/model';
import { CONSTANTS_BY_NAME } from '../schema';
import type { Board, BoardCpu, BoardDevice, InterruptController, RegWindow } from './types';
import { hex } from './types';
import { bitIds } from '../util/format';

const flag = (name: string): bigint => CONSTANTS_BY_NAME.get(name)!.value;
export const MEM = {
  READ: flag('JAILHOUSE_MEM_READ'),
  WRITE: flag('JAILHOUSE_MEM_WRITE'),
  EXECUTE: flag('JAILHOUSE_MEM_EXECUTE'),
  IO: flag('JAILHOUSE_MEM_IO'),
  COMM_REGION: flag('JAILHOUSE_MEM_COMM_REGION'),
  LOADABLE: flag('JAILHOUSE_MEM_LOADABLE'),
  ROOTSHARED: flag('JAILHOUSE_MEM_ROOTSHARED'),
};

/** RAM as a cell sees it: readable and writable, not I/O, not the communication page, not shared memory. */
export function isRamRegion(r: MemoryRegion): boolean {
  return r.size > 0n && (r.flags & MEM.IO) === 0n && (r.flags & MEM.COMM_REGION) === 0n && (r.flags & MEM.ROOTSHARED) === 0n && (r.flags & (MEM.READ | MEM.WRITE)) === (MEM.READ | MEM.WRITE);
}

export { bitIds as cpuIds };

export function boardFromRootCell(model: ConfigModel): Board | undefined {
  if (model.kind !== 'system' || !model.system || !model.arch) return undefined;
  const name = model.cell.name || 'root cell';
  const devices: BoardDevice[] = [];
  const ram: RegWindow[] = [];
  for (const r of model.mem_regions) {
    if (r.size === 0n) continue;
    if (r.flags & MEM.IO) {
      devices.push({
        name: r.$name?.trim() || `region ${r.$index}`,
        compatible: [],
        reg: [{ base: r.phys_start, size: r.size }],
        interrupts: [],
        description: `I/O region ${r.$index} of the root cell (${hex(r.phys_start)}, ${hex(r.size)})`,
      });
    } else if (isRamRegion(r)) ram.push({ base: r.phys_start, size: r.size });
  }
  const cpus: BoardCpu[] = bitIds(model.cpus).map((id) => ({ id }));
  const board: Board = {
    id: `root-${name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`,
    name: `${name} (root cell)`,
    arch: model.arch,
    source: { description: `The root cell of ${model.file}`, paths: [model.file] },
    cpus: cpus.length ? { count: cpus.length, list: cpus } : { count: 1 },
    ram,
    devices,
  };
  const ic = controllerOf(model);
  if (ic) board.interruptController = ic;
  return board;
}

function controllerOf(model: ConfigModel): InterruptController | undefined {
  const pi = model.system!.platform_info;
  if (model.arch === 'x86') {
    const seen = new Map<bigint, number>();
    for (const c of model.irqchips) if (c.address !== 0n && !seen.has(c.address)) seen.set(c.address, Number(c.id));
    if (!seen.size) return undefined;
    return { type: 'ioapic', ioapics: [...seen].map(([base, id]) => ({ base, id, pins: 120 })) };
  }
  const a = pi.arm;
  if (a.gicd_base === 0n || (a.gic_version !== 2n && a.gic_version !== 3n)) return undefined;
  const g: InterruptController = { type: 'gic', version: a.gic_version === 3n ? 3 : 2, gicd: a.gicd_base };
  if (a.gicc_base) g.gicc = a.gicc_base;
  if (a.gich_base) g.gich = a.gich_base;
  if (a.gicv_base) g.gicv = a.gicv_base;
  if (a.gicr_base) g.gicr = a.gicr_base;
  if (a.maintenance_irq >= 16n && a.maintenance_irq < 32n) g.maintenancePpi = Number(a.maintenance_irq) - 16;
  return g;
}

/** Interrupts the root cell owns: GIC INTIDs (ARM) or IOAPIC pins keyed `address:pin` (x86). */
export function irqchipPins(model: ConfigModel): Set<string> {
  const out = new Set<string>();
  for (const c of model.irqchips) {
    for (const k of bitIds(c.pin_bitmap, 32)) out.add(model.arch === 'x86' ? `${hex(c.address)}:${k}` : String(Number(c.pin_base) + k));
  }
  return out;
}
