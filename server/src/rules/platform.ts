// System-wide and header rules: architecture, header, gic-version, iommu, stream-id,
// pio-range, cache-region, debug-console (docs/format.md §5.2, §5.8-§5.12).
import { CONSTANTS_BY_NAME, decodeConstant } from '../schema';
import type { IommuUnit } from '../core/model';
import { CACHE_L3, CON_ACCESS_MMIO, CON_TYPE, has, IOMMU_TYPE, PCI_TYPE } from '../core/flags';
import { bdfText, cellLabel, hex } from './format';
import { nodeLoc } from './locate';
import type { CellRef, Diag, Rule } from './types';

const REVISION = CONSTANTS_BY_NAME.get('JAILHOUSE_CONFIG_REVISION')!.value;
/** `JAILHOUSE_ARM64` for 2: the constant a config writes for an architecture value. */
const archConstant = (v: bigint): string => decodeConstant(v, 'arch').names[0] ?? String(v);

export const architecture: Rule = {
  id: 'architecture',
  defaultSeverity: 'error',
  docs: '#architecture',
  description: 'A cell\'s architecture differs from its system\'s: the driver logs an error, yet `jailhouse cell create` reports success and creates nothing.',
  check(ctx) {
    const root = ctx.root;
    if (!root) return [];
    const ra = root.model.header.architecture;
    return ctx.cells
      .filter((c) => c.model.header.architecture !== ra)
      .map((c) => ({
        code: 'architecture',
        severity: 'error' as const,
        message: `${cellLabel(c)} is built for ${archConstant(c.model.header.architecture)} but the system is ${archConstant(ra)}: the driver only logs an error, and \`jailhouse cell create\` reports success without creating the cell`,
        loc: nodeLoc(c, c.model.header, 'architecture'),
        related: [{ loc: nodeLoc(root, root.model.header, 'architecture'), message: 'architecture of the system' }],
      }));
  },
};

export const header: Rule = {
  id: 'header',
  defaultSeverity: 'error',
  docs: '#header',
  description: 'Signature, revision and architecture must be the Jailhouse constants the driver checks.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const h = c.model.header;
      const want = c.model.kind === 'system' ? 'JHSYS' : 'JHCLL';
      const sigMacro = c.model.kind === 'system' ? 'JAILHOUSE_SYSTEM_SIGNATURE' : 'JAILHOUSE_CELL_DESC_SIGNATURE';
      if (h.signature.slice(0, 5) !== want)
        out.push({ code: 'header', severity: 'error', message: `signature is "${h.signature}", expected ${sigMacro} ("${want}"); the driver refuses the file`, loc: nodeLoc(c, h, 'signature') });
      if (h.revision !== REVISION)
        out.push({ code: 'header', severity: 'error', message: `revision is ${h.revision}, expected JAILHOUSE_CONFIG_REVISION (${REVISION})`, loc: nodeLoc(c, h, 'revision') });
      if (!c.model.arch)
        out.push({ code: 'header', severity: 'error', message: `architecture ${h.architecture} is not JAILHOUSE_X86, JAILHOUSE_ARM or JAILHOUSE_ARM64`, loc: nodeLoc(c, h, 'architecture') });
    }
    return out;
  },
};

export const gicVersion: Rule = {
  id: 'gic-version',
  defaultSeverity: 'error',
  docs: '#gic-version',
  description: 'ARM systems need gic_version 2 or 3 and the base addresses of that GIC.',
  check(ctx) {
    const root = ctx.root;
    const sys = root?.model.system;
    if (!root || !sys || (root.model.arch !== 'arm' && root.model.arch !== 'arm64')) return [];
    const a = sys.platform_info.arm;
    const out: Diag[] = [];
    if (a.gic_version !== 2n && a.gic_version !== 3n) {
      return [{ code: 'gic-version', severity: 'error', message: `gic_version is ${a.gic_version}; Jailhouse supports 2 and 3`, loc: nodeLoc(root, a, 'gic_version') }];
    }
    const need = a.gic_version === 2n ? (['gicd_base', 'gicc_base', 'gich_base', 'gicv_base'] as const) : (['gicd_base', 'gicr_base'] as const);
    for (const f of need) if (a[f] === 0n) out.push({ code: 'gic-version', severity: 'error', message: `GICv${a.gic_version} needs ${f}, which is 0`, loc: nodeLoc(root, a, f) });
    if (a.maintenance_irq >= 32n) out.push({ code: 'gic-version', severity: 'error', message: `maintenance_irq ${a.maintenance_irq} must be a PPI (< 32)`, loc: nodeLoc(root, a, 'maintenance_irq') });
    return out;
  },
};

export const iommu: Rule = {
  id: 'iommu',
  defaultSeverity: 'error',
  docs: '#iommu',
  description: 'IOMMU units of one system must be of one kind; vtd_interrupt_limit at most 32768; on x86 a PCI device\'s iommu index must name a configured unit.',
  check(ctx) {
    const root = ctx.root;
    const p = root?.model.system?.platform_info;
    if (!root || !p) return [];
    const out: Diag[] = [];
    const used = p.iommu_units.filter((u) => u.type !== 0n);
    const x86Types = used.filter((u) => u.type === IOMMU_TYPE.INTEL || u.type === IOMMU_TYPE.AMD);
    if (root.model.arch === 'x86' && new Set(x86Types.map((u) => u.type)).size > 1) {
      out.push({ code: 'iommu', severity: 'error', message: 'Intel VT-d and AMD-Vi units are mixed; every unit must match the CPU vendor', loc: nodeLoc(root, p, 'iommu_units') });
    }
    for (const u of used) {
      if (root.model.arch === 'x86' && u.type !== IOMMU_TYPE.INTEL && u.type !== IOMMU_TYPE.AMD)
        out.push({ code: 'iommu', severity: 'error', message: `IOMMU unit ${u.$index} has type ${u.type}, which x86 does not support`, loc: nodeLoc(root, u, 'type') });
      if (u.type === IOMMU_TYPE.AMD && u.size !== 0n && (u.size & (u.size - 1n)) !== 0n)
        out.push({ code: 'iommu', severity: 'error', message: `AMD IOMMU unit ${u.$index} size ${hex(u.size, 1)} is not a power of two`, loc: nodeLoc(root, u, 'size') });
      if (u.type === IOMMU_TYPE.PVU && (u.tipvu.tlb_base === 0n || u.tipvu.tlb_size === 0n))
        out.push({ code: 'iommu', severity: 'error', message: `PVU unit ${u.$index} needs tipvu.tlb_base and tlb_size`, loc: nodeLoc(root, u, 'type') });
    }
    if (root.model.arch === 'x86' && p.x86.vtd_interrupt_limit > 32768n)
      out.push({ code: 'iommu', severity: 'error', message: `vtd_interrupt_limit ${p.x86.vtd_interrupt_limit} exceeds 32768`, loc: nodeLoc(root, p.x86, 'vtd_interrupt_limit') });
    if (root.model.arch === 'x86') out.push(...deviceUnits(ctx.all, p.iommu_units));
    return out;
  },
};

/**
 * x86 (docs/format.md §5.6): a PCI device's `iommu` is the index of a unit, counted up to the first unit
 * with base 0. AMD-Vi puts each physical device into that unit's device table and refuses an
 * index of 8 or more (-ERANGE); VT-d uses it only for the root's ivshmem devices, whose MSI-X
 * messages that unit's interrupt remapping translates. Systems without units are not checked
 * (AMD skips devices then, as under QEMU).
 */
function deviceUnits(cells: CellRef[], units: IommuUnit[]): Diag[] {
  let n = 0;
  while (n < units.length && units[n].base !== 0n) n++;
  const used = units.slice(0, n).map((u) => u.type);
  const intel = used.includes(IOMMU_TYPE.INTEL);
  if (!intel && !used.includes(IOMMU_TYPE.AMD)) return [];
  const out: Diag[] = [];
  for (const c of cells) {
    if (c.model.arch !== 'x86') continue;
    for (const d of c.model.pci_devices) {
      const ivshmem = d.type === PCI_TYPE.IVSHMEM;
      if (!d.$loc || d.iommu < BigInt(n) || (intel ? !(ivshmem && c.isRoot) : ivshmem)) continue;
      const what = `${ivshmem ? 'ivshmem' : 'PCI'} device ${bdfText(d.bdf)} of ${cellLabel(c)} names IOMMU unit ${d.iommu}`;
      const units = n === 1 ? 'only unit 0' : `only units 0-${n - 1}`;
      const effect = intel ? 'its MSI-X messages are not remapped and never arrive' : 'the device is put into the device table of a unit that does not exist';
      out.push(
        d.iommu >= 8n
          ? { code: 'iommu', severity: 'error', message: `${what}; at most 8 units exist${intel ? '' : ' (AMD-Vi refuses it with -ERANGE)'}`, loc: nodeLoc(c, d, 'iommu', 'pci_devices') }
          : { code: 'iommu', severity: 'warning', message: `${what}, but the system configures ${units}: ${effect}`, loc: nodeLoc(c, d, 'iommu', 'pci_devices') },
      );
    }
  }
  return out;
}

export const streamId: Rule = {
  id: 'stream-id',
  defaultSeverity: 'warning',
  docs: '#stream-id',
  description: 'Stream IDs outside what the system\'s IOMMU can use.',
  check(ctx) {
    const p = ctx.root?.model.system?.platform_info;
    if (!p) return [];
    const types = new Set(p.iommu_units.filter((u) => u.type !== 0n).map((u) => u.type));
    const onlyPvu = types.size === 1 && types.has(IOMMU_TYPE.PVU);
    const mmu500 = types.has(IOMMU_TYPE.MMU500);
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const s of c.model.stream_ids) {
        if (!s.$loc) continue;
        if (onlyPvu && s.id > 7n) out.push({ code: 'stream-id', severity: 'warning', message: `stream ID ${s.id} is above 7; the PVU ignores it`, loc: nodeLoc(c, s, 'id', 'stream_ids') });
        if (mmu500 && (s.mmu500.id > 0x7fffn || s.mmu500.mask_out > 0x7fffn))
          out.push({ code: 'stream-id', severity: 'warning', message: `MMU-500 stream ID ${hex(s.mmu500.id, 4)} / mask ${hex(s.mmu500.mask_out, 4)} exceeds 15 bits`, loc: nodeLoc(c, s, 'id', 'stream_ids') });
      }
    }
    return out;
  },
};

export const pioRange: Rule = {
  id: 'pio-range',
  defaultSeverity: 'error',
  docs: '#pio-range',
  description: 'x86 port ranges must end by 0x10000 and should not open the PCI config ports 0xcf8-0xcff.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      if (c.model.arch !== 'x86') continue;
      for (const p of c.model.pio_regions) {
        if (!p.$loc) continue;
        const end = p.base + p.length;
        if (end > 0x10000n) out.push({ code: 'pio-range', severity: 'error', message: `port range ${hex(p.base, 4)}+${hex(p.length, 1)} ends beyond 0xffff`, loc: nodeLoc(c, p, 'length', 'pio_regions') });
        if (p.length > 0n && p.base < 0xd00n && end > 0xcf8n)
          out.push({ code: 'pio-range', severity: 'warning', message: `port range ${hex(p.base, 4)}-${hex(end - 1n, 4)} opens the PCI config ports 0xcf8-0xcff; the hypervisor can no longer moderate config space access`, loc: nodeLoc(c, p, 'base', 'pio_regions') });
      }
    }
    return out;
  },
};

export const cacheRegion: Rule = {
  id: 'cache-region',
  defaultSeverity: 'error',
  docs: '#cache-region',
  description: 'At most one cache region, of type JAILHOUSE_CACHE_L3, with a non-zero size.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const regs = c.model.cache_regions.filter((r) => r.$loc);
      regs.slice(1).forEach((r) => out.push({ code: 'cache-region', severity: 'error', message: `${cellLabel(c)} has ${regs.length} cache regions; the hypervisor accepts one`, loc: nodeLoc(c, r, undefined, 'cache_regions') }));
      for (const r of regs) {
        if (r.type !== CACHE_L3) out.push({ code: 'cache-region', severity: 'error', message: `cache region type ${r.type} is not JAILHOUSE_CACHE_L3`, loc: nodeLoc(c, r, 'type', 'cache_regions') });
        if (r.size === 0n) out.push({ code: 'cache-region', severity: 'error', message: 'cache region size is 0', loc: nodeLoc(c, r, 'size', 'cache_regions') });
      }
    }
    return out;
  },
};


function consoleTypeName(t: bigint): string {
  return decodeConstant(t, 'con-type').names[0] ?? String(t);
}

export const debugConsole: Rule = {
  id: 'debug-console',
  defaultSeverity: 'warning',
  docs: '#debug-console',
  description: "The system's debug console is one the hypervisor cannot drive on this architecture: it prints nothing, silently.",
  check(ctx) {
    const root = ctx.root;
    const sys = root?.model.system;
    if (!root || !sys) return [];
    const d = sys.debug_console;
    if (d.type === CON_TYPE.NONE) return [];
    const arm = root.model.arch === 'arm' || root.model.arch === 'arm64';
    const name = consoleTypeName(d.type);
    const warn = (message: string, field: string): Diag[] => [{ code: 'debug-console', severity: 'warning', message, loc: nodeLoc(root, d, field) }];
    if (arm) {
      if (d.type < CON_TYPE.UART_8250 || d.type > CON_TYPE.ARM_LAST) return warn(`debug console type ${name} has no driver in the ARM hypervisor: it prints nothing`, 'type');
      if (!has(d.flags, CON_ACCESS_MMIO)) return warn('the debug console uses port I/O (no JAILHOUSE_CON_ACCESS_MMIO), which ARM does not have: the hypervisor prints nothing', 'flags');
      return [];
    }
    if (d.type !== CON_TYPE.UART_8250 && d.type !== CON_TYPE.EFIFB) return warn(`debug console type ${name} has no driver in the x86 hypervisor (8250 or EFIFB): it prints nothing`, 'type');
    if (d.type === CON_TYPE.EFIFB && !has(d.flags, CON_ACCESS_MMIO)) return warn('an EFIFB debug console is a framebuffer: it needs JAILHOUSE_CON_ACCESS_MMIO', 'flags');
    return [];
  },
};
