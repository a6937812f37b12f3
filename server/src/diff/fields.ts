// Single-instance parts of a config: the kind and architecture, the cell descriptor's own
// fields (name, flags, reset address, console, …), and a system's header and platform
// description (hypervisor memory, debug console, PCI MMCONFIG, GIC or x86 fields, IOMMU units).
import type { ConsoleJson, IommuUnitJson, PlatformInfoJson } from '../binary/modelJson';
import { bdfText } from '../util/format';
import type { ChangeList } from './changes';
import { big, enumText, field, flagsField, sizeField } from './format';
import { regionFields } from './memory';
import type { FieldChange } from './types';

const CON = 'jailhouse_console';

function consoleFields(x: ConsoleJson, y: ConsoleJson): FieldChange[] {
  const fields: FieldChange[] = [];
  field('type', enumText(CON, 'type', BigInt(x.type)), enumText(CON, 'type', BigInt(y.type)), fields);
  field('address', x.address, y.address, fields);
  sizeField('size', big(x.size), big(y.size), fields);
  flagsField('flags', CON, big(x.flags), big(y.flags), fields);
  field('divider', `${x.divider}`, `${y.divider}`, fields);
  field('gate_nr', `${x.gate_nr}`, `${y.gate_nr}`, fields);
  field('clock_reg', x.clock_reg, y.clock_reg, fields);
  return fields;
}

export function diffKind(list: ChangeList, notes: string[]): void {
  const { a, b } = list;
  for (const [key, x, y] of [['kind', a.json.kind, b.json.kind], ['arch', a.json.arch ?? 'unknown', b.json.arch ?? 'unknown']]) {
    const fields: FieldChange[] = [];
    field(key, x, y, fields);
    list.changed('kind', key, fields);
  }
  if (a.json.kind !== b.json.kind) {
    notes.push(
      `${a.label} is a ${a.json.kind} config and ${b.label} a ${b.json.kind} config: ` +
        'the cell descriptors (for a system its root cell) and their resources are compared; the system header and platform are not',
    );
  }
}

export function diffHeader(list: ChangeList): void {
  const { a, b } = list;
  const x = a.json;
  const y = b.json;
  const one = (key: string, from: string, to: string) => {
    const fields: FieldChange[] = [];
    field(key, from, to, fields);
    list.changed('header', key, fields, a.fieldLoc?.(key), b.fieldLoc?.(key));
  };
  one('name', JSON.stringify(x.name), JSON.stringify(y.name));
  const flags: FieldChange[] = [];
  flagsField('flags', 'jailhouse_cell_desc', big(x.flags), big(y.flags), flags);
  list.changed('header', 'flags', flags, a.fieldLoc?.('flags'), b.fieldLoc?.('flags'));
  one('cpu_reset_address', x.cpu_reset_address, y.cpu_reset_address);
  one('vpci_irq_base', `${x.vpci_irq_base}`, `${y.vpci_irq_base}`);
  one('id', `${x.id}`, `${y.id}`);
  one('revision', `${x.revision}`, `${y.revision}`);
  one('cpu_set_size', `${x.cpu_set_size}`, `${y.cpu_set_size}`);
  one('msg_reply_timeout', x.msg_reply_timeout, y.msg_reply_timeout);
  list.changed('header', 'console', consoleFields(x.console, y.console), a.fieldLoc?.('console'), b.fieldLoc?.('console'));
  const sx = x.system;
  const sy = y.system;
  if (!sx || !sy) return;
  const sys: FieldChange[] = [];
  field('revision', `${sx.revision}`, `${sy.revision}`, sys);
  flagsField('flags', 'jailhouse_system', big(sx.flags), big(sy.flags), sys);
  list.changed('header', 'system', sys, a.fieldLoc?.('system'), b.fieldLoc?.('system'));
}

function iommuFields(x: IommuUnitJson, y: IommuUnitJson): FieldChange[] {
  const fields: FieldChange[] = [];
  field('type', enumText('jailhouse_iommu', 'type', BigInt(x.type)), enumText('jailhouse_iommu', 'type', BigInt(y.type)), fields);
  field('base', x.base, y.base, fields);
  sizeField('size', big(x.size), big(y.size), fields);
  field('amd.bdf', x.amd ? bdfText(x.amd.bdf) : '-', y.amd ? bdfText(y.amd.bdf) : '-', fields);
  for (const k of ['base_cap', 'msi_cap', 'features'] as const) field(`amd.${k}`, x.amd?.[k] ?? '-', y.amd?.[k] ?? '-', fields);
  for (const k of ['tlb_base', 'tlb_size'] as const) field(`tipvu.${k}`, x.tipvu?.[k] ?? '-', y.tipvu?.[k] ?? '-', fields);
  return fields;
}

function iommuDetail(u: IommuUnitJson): string {
  return `${enumText('jailhouse_iommu', 'type', BigInt(u.type))} @ ${u.base} size ${u.size}`;
}

function pciFields(x: PlatformInfoJson, y: PlatformInfoJson): FieldChange[] {
  const fields: FieldChange[] = [];
  field('pci_mmconfig_base', x.pci_mmconfig_base, y.pci_mmconfig_base, fields);
  field('pci_mmconfig_end_bus', `${x.pci_mmconfig_end_bus}`, `${y.pci_mmconfig_end_bus}`, fields);
  field('pci_is_virtual', `${x.pci_is_virtual}`, `${y.pci_is_virtual}`, fields);
  field('pci_domain', `${x.pci_domain}`, `${y.pci_domain}`, fields);
  return fields;
}

export function diffPlatform(list: ChangeList): void {
  const { a, b } = list;
  const sx = a.json.system;
  const sy = b.json.system;
  if (!sx || !sy) return;
  const loc = (path: string) => [a.fieldLoc?.(path), b.fieldLoc?.(path)] as const;
  list.changed('platform', 'hypervisor memory', regionFields(sx.hypervisor_memory, sy.hypervisor_memory), ...loc('system.hypervisor_memory'));
  list.changed('platform', 'debug console', consoleFields(sx.debug_console, sy.debug_console), ...loc('system.debug_console'));
  const px = sx.platform_info;
  const py = sy.platform_info;
  list.changed('platform', 'PCI', pciFields(px, py), ...loc('system.platform_info.pci_mmconfig_base'));
  if (px.arm || py.arm) {
    const fields: FieldChange[] = [];
    for (const k of ['gic_version', 'gicd_base', 'gicc_base', 'gich_base', 'gicv_base', 'gicr_base', 'maintenance_irq'] as const) {
      field(k, `${px.arm?.[k] ?? '-'}`, `${py.arm?.[k] ?? '-'}`, fields);
    }
    list.changed('platform', 'GIC', fields, ...loc('system.platform_info.arm'));
  }
  if (px.x86 || py.x86) {
    const fields: FieldChange[] = [];
    for (const k of ['pm_timer_address', 'vtd_interrupt_limit', 'tsc_khz', 'apic_khz'] as const) field(k, `${px.x86?.[k] ?? '-'}`, `${py.x86?.[k] ?? '-'}`, fields);
    const mode = (v?: number) => (v === undefined ? '-' : enumText('jailhouse_x86_platform', 'apic_mode', BigInt(v)));
    field('apic_mode', mode(px.x86?.apic_mode), mode(py.x86?.apic_mode), fields);
    list.changed('platform', 'x86', fields, ...loc('system.platform_info.x86'));
  }
  // IOMMU units by slot: PCI devices name their unit by index.
  const slots = [...new Set([...px.iommu_units, ...py.iommu_units].map((u) => u.index))].sort((p, q) => p - q);
  for (const index of slots) {
    const x = px.iommu_units.find((u) => u.index === index);
    const y = py.iommu_units.find((u) => u.index === index);
    const path = `system.platform_info.iommu_units[${index}]`;
    if (x && y) list.changed('platform', `IOMMU ${index}`, iommuFields(x, y), ...loc(path));
    else if (y) list.added('platform', `IOMMU ${index}`, iommuDetail(y), b.fieldLoc?.(path));
    else if (x) list.removed('platform', `IOMMU ${index}`, iommuDetail(x), a.fieldLoc?.(path));
  }
}
