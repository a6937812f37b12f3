// The human-readable `jhcell dump` listing, written from the same JSON as `--json` (the image
// view), with names from comments when a source was dumped. Flag and enum names come from
// the schema's constant groups.
import { constantsOfGroup, CONSTANT_GROUPS, decodeConstant, struct } from '../schema';
import type { ModelJson } from './modelJson';
import { bdfText, bitIds, humanSize, rangeList } from '../util/format';

export { humanSize, rangeList };

/** Per-element information a source dump adds under `source.elements`. */
export interface ElementSource {
  name?: string;
  /** 1-based line of the element's initializer. */
  line?: number;
}
export type SectionKey = 'memory_regions' | 'cache_regions' | 'irqchips' | 'pio_regions' | 'pci_devices' | 'pci_caps' | 'stream_ids';

export interface SourceExtras {
  elements: Partial<Record<SectionKey, (ElementSource | null)[]>>;
}

const big = (h: string | number): bigint => BigInt(h);

function groupPrefix(group: string): string {
  const names = constantsOfGroup(group).map((c) => c.name);
  if (!names.length) return '';
  // A lone constant: keep what follows the `JAILHOUSE_<GROUP>_` part.
  if (names.length === 1) return names[0].split('_').slice(0, 2).join('_') + '_';
  let p = names[0];
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p.slice(0, p.lastIndexOf('_') + 1);
}

/** `READ|WRITE|IO` for a flags value of a constant group; unknown bits stay as hex. */
export function flagNames(group: string, v: bigint): string {
  const prefix = groupPrefix(group);
  const { names: full, rest } = decodeConstant(v, group);
  const names = full.map((n) => n.slice(prefix.length));
  if (rest) names.push('0x' + rest.toString(16));
  return names.length ? names.join('|') : '0';
}

/** The constant name (without its group prefix) for an enum value, else the number. */
export function enumName(group: string, v: bigint): string {
  const c = constantsOfGroup(group).find((k) => k.value === v);
  return c ? c.name.slice(groupPrefix(group).length) : `${v}`;
}

/** ivshmem protocols are ranges: `0xc002 (VIRTIO_BACK + BLOCK)`. */
export function protocolName(v: bigint): string {
  const group = groupOf('jailhouse_pci_device', 'shmem_protocol');
  const exact = constantsOfGroup(group).find((k) => k.value === v);
  if (exact) return enumName(group, v);
  // The range starts (custom, virtio front/back) are the multiples of 0x4000 (docs/format.md §3.6).
  const base = constantsOfGroup(group)
    .filter((k) => k.value <= v && k.value !== 0n && (k.value & 0x3fffn) === 0n)
    .sort((a, b) => (a.value < b.value ? 1 : -1))[0];
  const hexText = '0x' + v.toString(16);
  if (!base) return hexText;
  const off = v - base.value;
  const dev = base.name.includes('VIRTIO') ? constantsOfGroup('virtio-dev').find((k) => k.value === off) : undefined;
  return `${hexText} (${enumName(group, base.value)} + ${dev ? dev.name.slice('VIRTIO_DEV_'.length) : '0x' + off.toString(16)})`;
}

function groupOf(structName: string, field: string): string {
  const g = struct(structName).fields.find((f) => f.name === field)?.constants;
  if (!g || !CONSTANT_GROUPS.some((x) => x.id === g)) throw new Error(`listing: no constant group for ${structName}.${field}`);
  return g;
}

function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}

function consoleText(c: ModelJson['console']): string {
  const type = enumName(groupOf('jailhouse_console', 'type'), big(c.type));
  if (c.type === 0 && big(c.address) === 0n) return 'none';
  let s = `${type} @ ${c.address}`;
  if (big(c.size)) s += `, size ${c.size} (${humanSize(big(c.size))})`;
  s += `, flags ${flagNames(groupOf('jailhouse_console', 'flags'), big(c.flags))}`;
  if (c.divider) s += `, divider ${c.divider}`;
  if (big(c.clock_reg)) s += `, clock gate ${c.clock_reg} bit ${c.gate_nr}`;
  return s;
}

function pinsOf(pinBase: number, bitmap: string[]): number[] {
  return bitIds(bitmap.map(big), 32).map((k) => pinBase + k);
}

export function listing(json: ModelJson, extras?: SourceExtras): string {
  const out: string[] = [];
  const nameOf = (sec: SectionKey, i: number): string => extras?.elements[sec]?.[i]?.name ?? '';
  const lineOf = (sec: SectionKey, i: number): string => {
    const l = extras?.elements[sec]?.[i]?.line;
    return l ? `${l}` : '';
  };
  const withSource = !!extras;

  out.push(`${json.file}: ${json.kind} config "${json.name}", arch ${json.arch ?? 'unknown'}, revision ${json.system?.revision ?? json.revision}`);
  out.push(`  cell flags  ${flagNames(groupOf('jailhouse_cell_desc', 'flags'), big(json.flags))}`);
  out.push(`  CPUs        ${rangeList(json.cpus)} (cpu_set_size ${json.cpu_set_size})`);
  if (json.id) out.push(`  id          ${json.id}`);
  if (json.vpci_irq_base) out.push(`  vPCI IRQ base  ${json.vpci_irq_base} (INTID ${json.vpci_irq_base + 32})`);
  if (big(json.cpu_reset_address)) out.push(`  CPU reset address  ${json.cpu_reset_address}`);
  if (json.msg_reply_timeout !== '0') out.push(`  message reply timeout  ${json.msg_reply_timeout}`);
  out.push(`  console     ${consoleText(json.console)}`);

  if (json.system) {
    const sys = json.system;
    const p = sys.platform_info;
    out.push('', 'System:');
    out.push(`  flags              ${flagNames(groupOf('jailhouse_system', 'flags'), big(sys.flags))}`);
    const hv = sys.hypervisor_memory;
    out.push(`  hypervisor memory  ${hv.phys_start} size ${hv.size} (${humanSize(big(hv.size))})`);
    out.push(`  debug console      ${consoleText(sys.debug_console)}`);
    if (big(p.pci_mmconfig_base)) {
      out.push(
        `  PCI                mmconfig ${p.pci_mmconfig_base}, buses 0-${p.pci_mmconfig_end_bus}` +
          `${p.pci_is_virtual ? ', virtual host' : ''}, domain ${p.pci_domain === 0xffff ? 'any' : p.pci_domain}`,
      );
    } else {
      out.push('  PCI                no MMCONFIG');
    }
    if (p.arm) {
      const a = p.arm;
      const bases = (['gicd_base', 'gicc_base', 'gich_base', 'gicv_base', 'gicr_base'] as const)
        .filter((k) => big(a[k]))
        .map((k) => `${k.slice(0, 4)} ${a[k]}`);
      out.push(`  GIC                v${a.gic_version}, ${bases.join(', ') || 'no bases'}, maintenance IRQ ${a.maintenance_irq}`);
    }
    if (p.x86) {
      const x = p.x86;
      out.push(
        `  x86                PM timer ${x.pm_timer_address}, APIC mode ${enumName(groupOf('jailhouse_x86_platform', 'apic_mode'), big(x.apic_mode))}` +
          `, VT-d interrupt limit ${x.vtd_interrupt_limit}, TSC ${x.tsc_khz} kHz, APIC ${x.apic_khz} kHz`,
      );
    }
    for (const u of p.iommu_units) {
      let s = `  IOMMU ${u.index}            ${enumName(groupOf('jailhouse_iommu', 'type'), big(u.type))} @ ${u.base} size ${u.size}`;
      if (u.amd) s += `, bdf ${bdfText(u.amd.bdf)}, base_cap ${u.amd.base_cap}, msi_cap ${u.amd.msi_cap}, features ${u.amd.features}`;
      if (u.tipvu) s += `, TLB ${u.tipvu.tlb_base} size ${u.tipvu.tlb_size}`;
      out.push(s);
    }
  }

  const heading = (title: string, sec: SectionKey, n: number) => {
    const counted = json.counts[sec];
    out.push('', `${title} (${n}${n !== counted ? ` of ${counted} counted, image too short` : ''}):`);
  };
  const src = (sec: SectionKey, i: number) => (withSource ? [nameOf(sec, i), lineOf(sec, i)] : []);
  const srcHead = withSource ? ['name', 'line'] : [];

  if (json.memory_regions.length || json.counts.memory_regions) {
    heading('Memory regions', 'memory_regions', json.memory_regions.length);
    const g = groupOf('jailhouse_memory', 'flags');
    out.push(
      ...table([
        ['#', ...srcHead, 'phys', 'virt', 'size', '', 'flags'],
        ...json.memory_regions.map((r, i) => [
          `${i}`,
          ...src('memory_regions', i),
          r.phys_start,
          r.virt_start,
          r.size,
          humanSize(big(r.size)),
          flagNames(g, big(r.flags)),
        ]),
      ]),
    );
  }
  if (json.cache_regions.length || json.counts.cache_regions) {
    heading('Cache regions', 'cache_regions', json.cache_regions.length);
    out.push(
      ...table([
        ['#', ...srcHead, 'start', 'size', 'type', 'flags'],
        ...json.cache_regions.map((c, i) => [
          `${i}`,
          ...src('cache_regions', i),
          c.start,
          c.size,
          enumName(groupOf('jailhouse_cache', 'type'), big(c.type)),
          flagNames(groupOf('jailhouse_cache', 'flags'), big(c.flags)),
        ]),
      ]),
    );
  }
  if (json.irqchips.length || json.counts.irqchips) {
    heading('Irqchips', 'irqchips', json.irqchips.length);
    out.push(
      ...table([
        ['#', ...srcHead, 'address', 'id', 'pin_base', 'pins'],
        ...json.irqchips.map((c, i) => [
          `${i}`,
          ...src('irqchips', i),
          c.address,
          `${c.id}`,
          `${c.pin_base}`,
          rangeList(pinsOf(c.pin_base, c.pin_bitmap)),
        ]),
      ]),
    );
  }
  if (json.pio_regions.length || json.counts.pio_regions) {
    heading('Port I/O regions', 'pio_regions', json.pio_regions.length);
    out.push(
      ...table([
        ['#', ...srcHead, 'ports', 'length'],
        ...json.pio_regions.map((p, i) => {
          const base = big(p.base);
          const len = big(p.length);
          const ports = len ? `0x${base.toString(16)}-0x${(base + len - 1n).toString(16)}` : `0x${base.toString(16)} (empty)`;
          return [`${i}`, ...src('pio_regions', i), ports, p.length];
        }),
      ]),
    );
  }
  if (json.pci_devices.length || json.counts.pci_devices) {
    heading('PCI devices', 'pci_devices', json.pci_devices.length);
    const tg = groupOf('jailhouse_pci_device', 'type');
    out.push(
      ...table([
        ['#', ...srcHead, 'bdf', 'domain', 'type', 'details'],
        ...json.pci_devices.map((d, i) => {
          const details: string[] = [];
          if (d.type === 3) {
            details.push(
              `peer ${d.shmem_dev_id} of ${d.shmem_peers}, regions from ${d.shmem_regions_start}, protocol ${protocolName(big(d.shmem_protocol))}`,
            );
          }
          if (d.num_caps) details.push(`caps ${d.caps_start}..${d.caps_start + d.num_caps - 1}`);
          if (d.num_msi_vectors) details.push(`MSI ${d.num_msi_vectors}${d.msi_64bits ? ' 64-bit' : ''}${d.msi_maskable ? ' maskable' : ''}`);
          if (d.num_msix_vectors) details.push(`MSI-X ${d.num_msix_vectors} @ ${d.msix_address} size ${d.msix_region_size}`);
          if (d.iommu) details.push(`IOMMU ${d.iommu}`);
          const masks = d.bar_mask.filter((m) => big(m) !== 0n);
          if (masks.length) details.push(`BAR masks ${d.bar_mask.join(' ')}`);
          return [`${i}`, ...src('pci_devices', i), bdfText(d.bdf), `${d.domain}`, enumName(tg, big(d.type)), details.join('; ')];
        }),
      ]),
    );
  }
  if (json.pci_caps.length || json.counts.pci_caps) {
    heading('PCI capabilities', 'pci_caps', json.pci_caps.length);
    const ig = groupOf('jailhouse_pci_capability', 'id');
    const fg = groupOf('jailhouse_pci_capability', 'flags');
    out.push(
      ...table([
        ['#', ...srcHead, 'id', 'start', 'len', 'flags'],
        ...json.pci_caps.map((c, i) => [
          `${i}`,
          ...src('pci_caps', i),
          capName(ig, c.id),
          c.start,
          c.len,
          flagNames(fg, big(c.flags)),
        ]),
      ]),
    );
  }
  if (json.stream_ids.length || json.counts.stream_ids) {
    heading('Stream IDs', 'stream_ids', json.stream_ids.length);
    out.push(`  ${json.stream_ids.map((s) => `0x${s.toString(16)}`).join(', ')}`);
  }
  return out.join('\n') + '\n';
}

/** Capability ids: standard names, or EXT_CAP|name for extended ones. */
function capName(group: string, id: number): string {
  const ext = 0x8000;
  const named = (v: number, prefix: string) =>
    constantsOfGroup(group).find((c) => c.value === BigInt(v) && c.name.startsWith(prefix))?.name.slice(prefix.length);
  if (id & ext) {
    const n = named(id & ~ext, 'PCI_EXT_CAP_ID_');
    return `EXT ${n ?? '0x' + (id & ~ext).toString(16)}`;
  }
  return named(id, 'PCI_CAP_ID_') ?? `0x${id.toString(16)}`;
}
