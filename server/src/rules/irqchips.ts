// Interrupt-controller rules (docs/format.md §5.5): irqchip-address, irqchip-pin-base, irqchip-count,
// irqchip-missing, ivshmem-intx, irq-not-in-root, irq-shared.
import type { Irqchip } from '../core/model';
import { irqchipAddressFix, irqchipMissingFix } from './fixes/irqchips';
import { intxFix } from './fixes/intx';
import { gicd, isArm, type IrqchipAddressData, type IrqData } from './irqchipData';
import { cellPairs, pairNote } from './context';
import { PCI_TYPE } from '../core/flags';
import { bdfText, cellLabel, hex, nodeLabel, plural } from './format';
import { cellFieldLoc, memberLoc, nodeLoc } from './locate';
import { platformWindows } from './platformWindows';
import type { CellRef, Diag, Rule, RuleContext } from './types';
import { bitIds } from '../util/format';


/** Explicitly written entries (implicit zero elements of an over-long array are not entries). */
export const entries = (c: CellRef): Irqchip[] => c.model.irqchips.filter((x) => x.$loc);


/** Interrupt numbers of one entry: GIC INTIDs on ARM, IOAPIC pins on x86. */
export function irqsOf(chip: Irqchip): number[] {
  return bitIds(chip.pin_bitmap, 32).map((k) => Number(chip.pin_base) + k);
}

/** Interrupts a cell owns per controller address (ARM: SPIs only; only GICD entries count). */
export function ownedIrqs(c: CellRef, ctx: RuleContext): Map<bigint, Map<number, Irqchip>> {
  const out = new Map<bigint, Map<number, Irqchip>>();
  const d = gicd(ctx);
  for (const chip of entries(c)) {
    if (isArm(c) && d !== undefined && chip.address !== d) continue;
    let m = out.get(chip.address);
    if (!m) out.set(chip.address, (m = new Map()));
    for (const n of irqsOf(chip)) if (!(isArm(c) && n < 32) && !m.has(n)) m.set(n, chip);
  }
  return out;
}

/** INTIDs the cell's ivshmem devices raise through legacy INTx (ARM, no MSI-X). */
export function intxNeeds(c: CellRef): { intid: number; dev: (typeof c.model.pci_devices)[number] }[] {
  if (!isArm(c)) return [];
  return c.model.pci_devices
    .filter((d) => d.$loc && d.type === PCI_TYPE.IVSHMEM && d.num_msix_vectors === 0n)
    .map((dev) => ({ intid: 32 + Number(c.model.cell.vpci_irq_base) + (Number(dev.bdf >> 3n) & 3), dev }));
}

const ranges = (ns: number[]): string => {
  const s = [...ns].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
};

/** x86: the IOAPIC addresses the root cell lists (undefined when there is no x86 root with any). */
export function rootIoapics(ctx: RuleContext): bigint[] | undefined {
  const root = ctx.root;
  if (!root || root.model.arch !== 'x86') return undefined;
  const addrs = [...new Set(entries(root).map((x) => x.address))];
  return addrs.length ? addrs : undefined;
}


export const irqchipAddress: Rule = {
  id: 'irqchip-address',
  defaultSeverity: 'warning',
  docs: '#irqchip-address',
  description: 'An irqchip entry whose address is not an interrupt controller of the system: on ARM not the GIC distributor (ignored, warning); on x86 not an IOAPIC of the root cell (error).',
  check(ctx) {
    const out: Diag[] = [];
    const d = gicd(ctx);
    for (const c of d === undefined ? [] : ctx.all) {
      if (!isArm(c)) continue;
      for (const chip of entries(c)) {
        if (chip.address === d) continue;
        out.push({
          code: 'irqchip-address',
          severity: 'warning',
          message: `${nodeLabel('irqchip', chip)} has address ${hex(chip.address)}, not the GIC distributor ${hex(d!)} of the system; the hypervisor ignores this entry and its interrupts`,
          loc: nodeLoc(c, chip, 'address', 'irqchips'),
          related: [{ loc: nodeLoc(ctx.root!, ctx.root!.model.system!.platform_info.arm, 'gicd_base'), message: 'gicd_base of the system configuration' }],
          data: { file: c.file, index: chip.$index, addresses: [hex(d!, 1)], controller: 'GIC distributor' } satisfies IrqchipAddressData,
        });
      }
    }
    out.push(...x86Addresses(ctx));
    return out;
  },
  fixes: irqchipAddressFix,
};

/**
 * x86 (docs/format.md §5.5): the hypervisor does not ignore an entry at a foreign address, it maps that
 * page as an IOAPIC and reads its version register: with nothing IOAPIC-like there cell create
 * fails (-EIO, more than 120 pins), otherwise the cell gets a controller that is not the one its
 * devices are wired to, and the pins of the root's IOAPIC it meant are never handed over.
 */
function x86Addresses(ctx: RuleContext): Diag[] {
  const ioapics = rootIoapics(ctx);
  const root = ctx.root;
  if (!ioapics || !root) return [];
  const windows = platformWindows(root.model);
  const out: Diag[] = [];
  for (const c of ctx.cells) {
    if (c.model.arch !== 'x86') continue;
    for (const chip of entries(c)) {
      if (ioapics.includes(chip.address)) continue;
      const there = windows.find((w) => chip.address >= w.start && chip.address < w.start + w.size && !ioapics.includes(w.start));
      out.push({
        code: 'irqchip-address',
        severity: 'error',
        message: `${nodeLabel('irqchip', chip)} has address ${hex(chip.address)}, which is not an IOAPIC of ${cellLabel(root)} (${ioapics.map((a) => hex(a)).join(', ')})${there ? ` but the ${there.name}` : ''}; the hypervisor treats that page as an IOAPIC anyway: cell create fails, or the cell gets a controller its devices are not wired to and never receives their interrupts`,
        loc: nodeLoc(c, chip, 'address', 'irqchips'),
        related: entries(root).map((x) => ({ loc: nodeLoc(root, x, 'address', 'irqchips'), message: `IOAPIC of ${cellLabel(root)}` })),
        data: { file: c.file, index: chip.$index, addresses: ioapics.map((a) => hex(a, 1)), controller: 'IOAPIC' } satisfies IrqchipAddressData,
      });
    }
  }
  return out;
}

export const irqchipPinBase: Rule = {
  id: 'irqchip-pin-base',
  defaultSeverity: 'error',
  docs: '#irqchip-pin-base',
  description: 'pin_base must be a multiple of 32 and at most 896 on ARM, and 0 on x86.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const chip of entries(c)) {
        const pb = chip.pin_base;
        let why: string | undefined;
        if (isArm(c) && (pb % 32n !== 0n || pb + 128n > 1024n)) why = `pin_base ${pb} must be a multiple of 32 and at most 896 (the 128 interrupts it describes must end at 1024)`;
        else if (c.model.arch === 'x86' && pb !== 0n) why = `pin_base ${pb} must be 0 on x86 (bit n of pin_bitmap is IOAPIC pin n)`;
        if (why) out.push({ code: 'irqchip-pin-base', severity: 'error', message: `${nodeLabel('irqchip', chip)}: ${why}; the hypervisor refuses the cell`, loc: nodeLoc(c, chip, 'pin_base', 'irqchips') });
      }
    }
    return out;
  },
};

/** IOAPIC_MAX_CHIPS of the x86 hypervisor: a cell with more entries is refused (-ERANGE). */
export const IOAPIC_MAX_CHIPS = 85;

export const irqchipCount: Rule = {
  id: 'irqchip-count',
  defaultSeverity: 'error',
  docs: '#irqchip-count',
  description: 'x86 cells may have at most 85 irqchip (IOAPIC) entries.',
  check(ctx) {
    return ctx.all
      .filter((c) => c.model.arch === 'x86' && entries(c).length > IOAPIC_MAX_CHIPS)
      .map((c) => ({ code: 'irqchip-count', severity: 'error' as const, message: `${cellLabel(c)} has ${entries(c).length} irqchip entries; the hypervisor supports at most 85 IOAPICs`, loc: cellFieldLoc(c, 'num_irqchips') }));
  },
};

export const irqchipMissing: Rule = {
  id: 'irqchip-missing',
  defaultSeverity: 'warning',
  docs: '#irqchip-missing',
  description: 'A cell whose devices need interrupts from the interrupt controller has no irqchip: ivshmem devices on ARM (GIC), physical PCI devices without MSI/MSI-X on x86 (IOAPIC).',
  check(ctx) {
    const out: Diag[] = [];
    const d = gicd(ctx);
    for (const c of ctx.cells) {
      if (c.model.arch === 'x86') {
        out.push(...x86IntxOnly(c, ctx));
        continue;
      }
      if (!isArm(c)) continue;
      const ivshmem = c.model.pci_devices.filter((x) => x.$loc && x.type === PCI_TYPE.IVSHMEM);
      if (!ivshmem.length) continue;
      if (entries(c).some((chip) => d === undefined || chip.address === d)) continue;
      const needs = intxNeeds(c).map((n) => n.intid);
      const what = needs.length ? `INTx interrupt${needs.length > 1 ? 's' : ''} ${ranges([...new Set(needs)])}` : 'MSI-X interrupts';
      out.push({
        code: 'irqchip-missing',
        severity: 'warning',
        message: `${cellLabel(c)} has ${plural(ivshmem.length, 'ivshmem device')} (${ivshmem.map((x) => bdfText(x.bdf)).join(', ')}) that ${ivshmem.length === 1 ? 'signals' : 'signal'} ${what}, but no irqchip entry for the GIC${d !== undefined ? ` at ${hex(d)}` : ''}: the guest cannot receive them`,
        loc: cellFieldLoc(c, 'num_irqchips'),
        related: ivshmem.map((x) => ({ loc: nodeLoc(c, x, 'bdf', 'pci_devices'), message: `ivshmem device ${bdfText(x.bdf)}` })),
        data: { file: c.file, intids: [...new Set(needs)].sort((a, b) => a - b), gicd: d !== undefined ? hex(d, 1) : undefined },
      });
    }
    return out;
  },
  fixes: irqchipMissingFix,
};

/**
 * x86: what the config alone tells is which physical PCI devices can interrupt only through
 * legacy INTx — those without MSI and MSI-X vectors — and INTx reaches the CPU through IOAPIC
 * pins. Which pin is routing (ACPI) the config does not hold, so no entry can be computed.
 * ivshmem devices use MSI-X on x86 (ivshmem reports the INTx case), and a port or MMIO range
 * of a legacy device does not prove the cell uses its interrupt (inmates often poll), so
 * neither counts here.
 */
function x86IntxOnly(c: CellRef, ctx: RuleContext): Diag[] {
  if (entries(c).length) return [];
  const intx = c.model.pci_devices.filter((x) => x.$loc && x.type === PCI_TYPE.DEVICE && x.num_msi_vectors === 0n && x.num_msix_vectors === 0n);
  const ioapic = ctx.root ? entries(ctx.root)[0] : undefined;
  const declared = c.model.members.some((m) => m.role === 'irqchips');
  // The device is what needs the pin; the irqchips array (or its count) is where it goes.
  const related = { loc: declared ? memberLoc(c, 'irqchips') : cellFieldLoc(c, 'num_irqchips'), message: declared ? 'the irqchips of this cell: no entry' : 'this cell declares no irqchips array' };
  return intx.map((x) => ({
    code: 'irqchip-missing',
    severity: 'warning',
    message: `PCI device ${bdfText(x.bdf)} has no MSI or MSI-X vectors, so it can only interrupt through legacy INTx, but ${cellLabel(c)} has no irqchip entry for ${ioapic ? `the IOAPIC at ${hex(ioapic.address)}` : 'an IOAPIC'}: the guest cannot receive its interrupts (add the pin the root cell's Linux routes the device to, or list MSI vectors if the device has them)`,
    loc: nodeLoc(c, x, 'bdf', 'pci_devices'),
    related: [related],
    data: { file: c.file, index: x.$index, intids: [] },
  }));
}

export const ivshmemIntx: Rule = {
  id: 'ivshmem-intx',
  defaultSeverity: 'warning',
  docs: '#ivshmem-intx',
  description: 'The INTx interrupt of an ivshmem device (32 + vpci_irq_base + device number & 3) is not in the cell\'s irqchip bitmap.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      if (!isArm(c) || !entries(c).length) continue;
      const owned = new Set<number>();
      for (const m of ownedIrqs(c, ctx).values()) for (const n of m.keys()) owned.add(n);
      for (const { intid, dev } of intxNeeds(c)) {
        if (owned.has(intid)) continue;
        out.push({
          code: 'ivshmem-intx',
          severity: 'warning',
          message: `ivshmem device ${bdfText(dev.bdf)} signals INTx on INTID ${intid} (32 + vpci_irq_base ${c.model.cell.vpci_irq_base} + ${Number(dev.bdf >> 3n) & 3}), which ${cellLabel(c)} does not own in its irqchips: the guest never gets this interrupt`,
          loc: nodeLoc(c, dev, 'bdf', 'pci_devices'),
          related: [{ loc: cellFieldLoc(c, 'vpci_irq_base'), message: 'vpci_irq_base' }],
          data: { file: c.file, intid },
        });
      }
    }
    return out;
  },
  fixes: intxFix,
};

export const irqNotInRoot: Rule = {
  id: 'irq-not-in-root',
  defaultSeverity: 'warning',
  docs: '#irq-not-in-root',
  description: 'A non-root cell owns an interrupt the root cell does not; it is never given back to the root.',
  check(ctx) {
    const root = ctx.root;
    if (!root) return [];
    const rootOwned = ownedIrqs(root, ctx);
    // An x86 entry at an address the root has no IOAPIC at is an irqchip-address error already.
    const ioapics = rootIoapics(ctx);
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      for (const [addr, irqs] of ownedIrqs(c, ctx)) {
        if (c.model.arch === 'x86' && ioapics && !ioapics.includes(addr)) continue;
        const r = rootOwned.get(addr);
        const missing = new Map<Irqchip, number[]>();
        for (const [n, chip] of irqs) if (!r?.has(n)) missing.set(chip, [...(missing.get(chip) ?? []), n]);
        for (const [chip, ns] of missing) {
          const kind = isArm(c) ? 'interrupt' : 'IOAPIC pin';
          out.push({
            code: 'irq-not-in-root',
            severity: 'warning',
            message: r
              ? `${kind}${ns.length > 1 ? 's' : ''} ${ranges(ns)} of ${nodeLabel('irqchip', chip)} ${ns.length > 1 ? 'are' : 'is'} not owned by ${cellLabel(root)}; after cell destroy ${ns.length > 1 ? 'they are' : 'it is'} not returned to the root`
              : `${nodeLabel('irqchip', chip)} at ${hex(addr)} is not a controller of ${cellLabel(root)}; its ${kind}s ${ranges(ns)} are not taken from or returned to the root`,
            loc: nodeLoc(c, chip, 'pin_bitmap', 'irqchips'),
            related: [{ loc: nodeLoc(root, entries(root).find((x) => x.address === addr) ?? root.model.cell, 'pin_bitmap', 'irqchips'), message: `irqchips of ${cellLabel(root)}` }],
            data: { file: c.file, chip: hex(addr, 1), irqs: ns } satisfies IrqData,
          });
        }
      }
    }
    return out;
  },
};

export const irqShared: Rule = {
  id: 'irq-shared',
  defaultSeverity: 'error',
  docs: '#irq-shared',
  description: 'Two non-root cells own the same interrupt.',
  check(ctx) {
    const owned = ctx.cells.map((c) => ({ c, irqs: ownedIrqs(c, ctx) }));
    const out: Diag[] = [];
    for (const [{ c: a, irqs: oa }, { c: b, irqs: ob }, sev] of cellPairs(ctx, owned, (x) => x.c, 'error')) {
      for (const [addr, ia] of oa) {
        const ib = ob.get(addr);
        if (!ib) continue;
        const both = [...ia.keys()].filter((n) => ib.has(n));
        if (!both.length) continue;
        const kind = isArm(a) ? 'interrupt' : 'IOAPIC pin';
        for (const [x, y, mx, my] of [[a, b, ia, ib], [b, a, ib, ia]] as const) {
          out.push({
            code: 'irq-shared',
            severity: sev,
            message: `${kind}${both.length > 1 ? 's' : ''} ${ranges(both)} also ${both.length > 1 ? 'belong' : 'belongs'} to ${cellLabel(y)}; an interrupt can be owned by one cell only${pairNote(ctx, x, y)}`,
            loc: nodeLoc(x, mx.get(both[0])!, 'pin_bitmap', 'irqchips'),
            related: [{ loc: nodeLoc(y, my.get(both[0])!, 'pin_bitmap', 'irqchips'), message: `irqchip of ${cellLabel(y)}` }],
            data: { file: x.file, chip: hex(addr, 1), irqs: both } satisfies IrqData,
          });
        }
      }
    }
    return out;
  },
};
