// Our invented boards, evaluated end to end: every value the compiler would put into the
// image (hand-written `.expected.json` next to each fixture, checked field by field), the
// variants selected with -D, and the source-side view (names, indices, declared members).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sourceJson } from '../../../server/src/binary/sourceJson';
import type { Analysis } from '../../../server/src/core/analysis';
import { analyzeFile, describeDiags, fixturePath, partialDiff, textAt } from './helpers';

function dump(a: Analysis): unknown {
  assert.ok(a.model, `no model; diagnostics:\n${describeDiags(a)}`);
  const r = sourceJson(a.model, a.files);
  assert.ok(r.json, `no JSON: ${r.errors.join('; ')}`);
  return r.json;
}

function expected(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Record<string, unknown>;
}

function check(file: string, exp: unknown, defines?: Record<string, string>): Analysis {
  const a = analyzeFile(fixturePath(file), defines ? { defines } : {});
  assert.equal(a.diagnostics.length, 0, `unexpected diagnostics:\n${describeDiags(a)}`);
  const diff = partialDiff(dump(a), exp);
  assert.deepEqual(diff, [], diff.join('\n'));
  return a;
}

const ZERO_REGION = { phys_start: '0x0', virt_start: '0x0', size: '0x0', flags: '0x0' };

test('arm-quokka.c (arm system, GICv2)', () => {
  const a = check('arm-quokka.c', expected('arm-quokka.expected.json'));
  const m = a.model!;
  assert.deepEqual(m.mem_regions.map((r) => r.$name), ['MMIO (permissive)', 'RAM', 'placeholder', 'IVSHMEM state table', 'UART, sub-page', undefined]);
  assert.deepEqual(m.mem_regions.map((r) => r.$index), [0, 1, 2, 3, 4, 5]);
  assert.equal(m.irqchips[0].$name, 'GIC');
  assert.equal(m.pci_devices[0].$name, '00:01.0 ivshmem');
  // The array size written as a config macro.
  assert.deepEqual(m.members.map((x) => [x.name, x.role, x.length]), [
    ['header', 'header', undefined],
    ['cpus', 'cpus', 1],
    ['mem_regions', 'mem_regions', 6],
    ['irqchips', 'irqchips', 1],
    ['pci_devices', 'pci_devices', 1],
  ]);
  assert.deepEqual(m.members.slice(1).map((x) => x.initialized), [1, 5, 1, 1]);
  assert.equal(textAt(a, m.members.find((x) => x.name === 'irqchips')!.lengthLoc), 'QK_NUM_GICS');
  // Values from a config-defined function-like macro map to its arguments.
  assert.equal(textAt(a, m.mem_regions[1].$fieldLoc.size), 'QK_RAM_SIZE');
  assert.equal(textAt(a, m.mem_regions[1].$fieldLoc.flags), 'QK_RAM_REGION(0x40000000, QK_RAM_SIZE)');
  assert.equal(m.mem_regions[5].$loc, undefined, 'an element left out has no source');
  // Macros defined in the file and their uses, for hover and go-to-definition.
  const def = a.macros.get('QK_RAM_REGION')!;
  assert.deepEqual(def.params, ['base', 'len']);
  assert.equal(def.builtin, false);
  assert.equal(textAt(a, def.loc), 'QK_RAM_REGION');
  assert.equal(a.macros.get('QK_NUM_GICS')!.body, '1', 'the definition after #undef');
  assert.equal(a.macros.get('QK_RAM_SIZE')!.body, '0x0f000000', 'the #else branch');
  const use = a.macroUses.find((u) => u.name === 'QK_RAM_REGION')!;
  assert.equal(textAt(a, use.loc), 'QK_RAM_REGION(0x40000000, QK_RAM_SIZE)');
  assert.match(use.expansion.replace(/\s+/g, ''), /^\{\.phys_start=\(0x40000000\),\.virt_start=\(0x40000000\),\.size=\(0x0f000000\),/);
  assert.equal(a.macros.get('PIO_RANGE')?.builtin, true);
  assert.equal(m.mem_regions[5].$fieldLoc.size, undefined);
});

test('arm-quokka.c with -D CONFIG_QK_BIG_RAM=2 and with a bare -D CONFIG_QK_BIG_RAM', () => {
  const region = (size: string) => ({ phys_start: '0x40000000', virt_start: '0x40000000', size, flags: '0x7' });
  check('arm-quokka.c', { memory_regions: [{}, region('0x2f000000'), {}, {}, {}, {}] }, { CONFIG_QK_BIG_RAM: '2' });
  check('arm-quokka.c', { memory_regions: [{}, region('0x1f000000'), {}, {}, {}, {}] }, { CONFIG_QK_BIG_RAM: '1' });
});

test('arm64-numbat.c (arm64 system, chains, IOMMU slots, stream ids)', () => {
  const a = check('arm64-numbat.c', expected('arm64-numbat.expected.json'));
  const m = a.model!;
  assert.equal(m.mem_regions[0].$name, 'IVSHMEM shared memory region for 00:00.0');
  assert.deepEqual(m.mem_regions.slice(4).map((r) => [r.$index, r.$name]), [[4, 'MAIN_DOMAIN peripherals'], [5, 'RAM'], [6, undefined]]);
  assert.deepEqual(m.pci_devices.map((p) => p.$name), ['00:00.0 (veth)', '00:01.0 (virtio back-end)']);
  // The four slots of the macro all come from its invocation.
  const inv = 'JAILHOUSE_SHMEM_NET_REGIONS(0x89fe00000, 0)';
  for (let i = 0; i < 4; i++) assert.equal(textAt(a, m.mem_regions[i].$loc), inv, `slot ${i}`);
  assert.equal(textAt(a, m.mem_regions[0].$fieldLoc.phys_start), '0x89fe00000');
  assert.equal(textAt(a, m.mem_regions[0].$fieldLoc.size), inv);
  assert.equal(textAt(a, m.stream_ids[2].mmu500.$fieldLoc.mask_out), '0x7f80');
  assert.equal(m.stream_ids[2].mmu500.mask_out, 0x7f80n);
  assert.equal(m.system!.platform_info.iommu_units[0].tipvu.tlb_size, 0x40000n);
  assert.equal(m.system!.platform_info.iommu_units[1].type, 0n);
});

test('arm64-numbat.c with GICv3 and the PCIe pass-through switch (conditionals in the declaration and the list)', () => {
  const a = check('arm64-numbat.c', {
    counts: { memory_regions: 8 },
    memory_regions: [{}, {}, {}, {},
      { phys_start: '0x100000' },
      { phys_start: '0x4000000000', virt_start: '0x4000000000', size: '0x100000000', flags: '0x13' },
      { phys_start: '0x880000000', size: '0x1fa00000' },
      ZERO_REGION],
    system: { platform_info: { arm: { gic_version: 3, gicd_base: '0x1800000', gicr_base: '0x1880000', gicc_base: '0x0', gich_base: '0x0', gicv_base: '0x0', maintenance_irq: 25 } } },
  }, { CONFIG_NUMBAT_GIC_V3: '1', CONFIG_NUMBAT_PCIE_PASSTHROUGH: '1' });
  assert.equal(a.model!.mem_regions[5].$name, 'PCIe window');
  assert.equal(a.model!.members.find((x) => x.name === 'mem_regions')!.length, 8);
});

test('arm64-numbat-rtos.c (arm64 cell, SHMEM_NET_REGIONS argument pitfall, 32-char name)', () => {
  const a = check('arm64-numbat-rtos.c', expected('arm64-numbat-rtos.expected.json'));
  const m = a.model!;
  assert.equal(m.cell.name, 'numbat-rtos-with-a-32-char-name!');
  assert.equal(m.cell.msg_reply_timeout, 0xffffffff80000000n);
  // Slots 1-3 of the macro may or may not repeat its name; the others are fixed.
  assert.equal(m.mem_regions[0].$name, 'IVSHMEM link to the root cell: peer id written unparenthesised');
  assert.deepEqual(m.mem_regions.slice(4).map((r) => r.$name), ['UART', 'RAM', 'communication region']);
  assert.equal(m.mem_regions[4].$index, 4);
  assert.equal(textAt(a, m.mem_regions[5].$fieldLoc.virt_start), 'CONFIG_INMATE_BASE');
});

test('arm64-numbat-rtos.c with -D CONFIG_INMATE_BASE and the #ifdef inside a | expression', () => {
  check('arm64-numbat-rtos.c', {
    cpu_reset_address: '0x40000000',
    memory_regions: [{}, {}, {}, {}, {}, { phys_start: '0x8a0000000', virt_start: '0x40000000' }, {}],
    irqchips: [{ pin_bitmap: ['0x20000010', '0x0', '0x0', '0x0'] }],
  }, { CONFIG_INMATE_BASE: '0x40000000', CONFIG_NUMBAT_RTOS_UART_IRQ: '1' });
});

test('arm64-numbat-rtos-aarch32.c: a #define, then a local #include of another config', () => {
  const exp = { ...expected('arm64-numbat-rtos.expected.json'), arch: 'arm', name: 'numbat-rtos-aarch32', flags: '0x5' };
  const a = check('arm64-numbat-rtos-aarch32.c', exp);
  assert.equal(a.model!.file, fixturePath('arm64-numbat-rtos-aarch32.c'));
  assert.deepEqual(a.includes.filter((i) => !i.spec.startsWith('jailhouse/')).map((i) => i.target), [fixturePath('arm64-numbat-rtos.c')]);
  // Values come from the included file, and say so.
  assert.equal(a.model!.mem_regions[4].$fieldLoc.size?.file, fixturePath('arm64-numbat-rtos.c'));
  assert.ok(a.files.has(fixturePath('arm64-numbat-rtos.c')));
});

test('x86-wombat.c (x86 system, AMD IOMMU chains, PIO names, index designators)', () => {
  const a = check('x86-wombat.c', expected('x86-wombat.expected.json'));
  const m = a.model!;
  assert.deepEqual(m.mem_regions.map((r) => r.$name), ['RAM (low)', 'MemRegion: fed00000-fed003ff : HPET 0', 'RAM (high)', undefined]);
  assert.deepEqual(m.pio_regions.map((r) => r.$name), ['PIT', 'HACK: NMI status/control', undefined, 'PCI config space']);
  assert.deepEqual(m.pci_caps.map((r) => r.$name), ['PCIDevice: 00:00.0', undefined, 'PCIDevice: 01:00.0']);
  assert.equal(m.irqchips[0].$name, 'IOAPIC');
  assert.equal(textAt(a, m.pio_regions[2].$fieldLoc.base), '0x3b0');
  assert.equal(textAt(a, m.pio_regions[2].$loc), 'PIO_RANGE(0x3b0, 0x30)');
  assert.equal(m.system!.platform_info.iommu_units[0].amd.features, 0x80048824n);
  assert.equal(m.system!.platform_info.x86.pm_timer_address, 0x808n);
  assert.equal(m.pci_devices[0].msi_64bits, 1n);
  assert.equal(m.pci_devices[0].msi_maskable, 1n);
});

test('x86-wombat-inmate.c (x86 cell, zero-length array, two cpu words, implicit zero tail)', () => {
  const a = check('x86-wombat-inmate.c', expected('x86-wombat-inmate.expected.json'));
  const m = a.model!;
  assert.deepEqual(m.cpus, [0n, 3n]);
  assert.equal(m.members.find((x) => x.name === 'pci_caps')!.length, 0);
  assert.equal(m.pci_caps.length, 0);
  assert.deepEqual(m.mem_regions.map((r) => r.$name), ['RAM', 'communication region', undefined, undefined, undefined]);
  assert.deepEqual(m.pio_regions.map((r) => r.$name), ['serial 2', 'OXPCIe952 serial1']);
  assert.equal(m.pci_devices[0].$name, 'IVSHMEM 00:0e.0');
  assert.equal(m.cell.console.divider, 0n, 'a commented-out field stays zero');
});
