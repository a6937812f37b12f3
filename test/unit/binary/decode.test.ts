import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeImage, imageKind, NOT_A_CONFIG } from '../../../server/src/binary/decode';
import { encodeConfig } from '../../../server/src/binary/encode';
import { randomConfig } from '../../support/randomConfig';
import { modelFromPlain } from '../../support/values';
import type { Plain, PlainMember } from '../../support/values';
import { listing } from '../../../server/src/binary/listing';
import { rng } from '../../support/randomConfig';
import { checkAgainstContract, contractKeys } from './contractDoc';

const u64 = { kind: 'int', int: 'u64' } as const;
const mem = { kind: 'struct', name: 'jailhouse_memory' } as const;
const irq = { kind: 'struct', name: 'jailhouse_irqchip' } as const;
const cellT = { kind: 'struct', name: 'jailhouse_cell_desc' } as const;
const sysT = { kind: 'struct', name: 'jailhouse_system' } as const;

function cellImage(cell: Record<string, Plain>, regions: Plain[], declared = regions.length, irqchips: Plain[] = []): Uint8Array {
  const members: PlainMember[] = [
    { name: 'cell', cType: '', type: cellT, init: { signature: 'JHCLL', revision: 14, architecture: 1, cpu_set_size: 8, ...cell } },
    { name: 'cpus', cType: '', type: u64, length: 1, init: [0x4f] },
    { name: 'mem_regions', cType: '', type: mem, length: declared, init: regions },
  ];
  if (irqchips.length) members.push({ name: 'irqchips', cType: '', type: irq, length: irqchips.length, init: irqchips });
  return encodeConfig(modelFromPlain('cell', members));
}

describe('decodeImage', () => {
  it('tells system from cell by the signature only', () => {
    assert.equal(imageKind(new TextEncoder().encode('JHSYS...')), 'system');
    assert.equal(imageKind(new TextEncoder().encode('JHCLL')), 'cell');
    assert.equal(imageKind(new TextEncoder().encode('JHCL')), undefined);
    assert.equal(imageKind(new TextEncoder().encode('#include')), undefined);
  });

  it('rejects files without a signature', () => {
    for (const text of ['', 'JH', 'struct { } config;', 'JHsys' + '\0'.repeat(600)]) {
      const r = decodeImage(new TextEncoder().encode(text), 'x.cell');
      assert.equal(r.json, undefined);
      assert.equal(r.errors.length, 1);
      assert.ok(r.errors[0].startsWith(NOT_A_CONFIG), r.errors[0]);
    }
  });

  it('reports a file shorter than its header', () => {
    const r = decodeImage(new TextEncoder().encode('JHSYS' + '\0'.repeat(100)), 'x.cell');
    assert.equal(r.json, undefined);
    assert.match(r.errors[0], /too short: 105 bytes, the system header alone needs 488/);
  });

  it('reads a cell image into the contract JSON', () => {
    const img = cellImage({ name: 'demo', flags: 0x80000001, num_memory_regions: 2, num_irqchips: 1, vpci_irq_base: 104, msg_reply_timeout: 0xfedcba9876543210n, cpu_reset_address: 0x100000 }, [
      { phys_start: 0x1000, virt_start: 0, size: 0x2000, flags: 0x43 },
      { phys_start: 0xffffffffffff0000n, size: 0x10, flags: 0x10013 },
    ], 2, [{ address: 0x8000000, pin_base: 32, pin_bitmap: [1, 0x80000000] }]);
    const { json, errors } = decodeImage(img, 'demo.cell');
    assert.deepEqual(errors, []);
    const j = json!;
    assert.equal(j.kind, 'cell');
    assert.equal(j.arch, 'arm');
    assert.equal(j.name, 'demo');
    assert.equal(j.flags, '0x80000001');
    assert.equal(j.revision, 14);
    assert.deepEqual(j.cpus, [0, 1, 2, 3, 6]);
    assert.equal(j.cpu_set_size, 8);
    assert.deepEqual(j.counts, { memory_regions: 2, cache_regions: 0, irqchips: 1, pio_regions: 0, pci_devices: 0, pci_caps: 0, stream_ids: 0 });
    assert.equal(j.msg_reply_timeout, '18364758544493064720');
    assert.equal(j.cpu_reset_address, '0x100000');
    assert.equal(j.vpci_irq_base, 104);
    assert.deepEqual(j.memory_regions, [
      { phys_start: '0x1000', virt_start: '0x0', size: '0x2000', flags: '0x43' },
      { phys_start: '0xffffffffffff0000', virt_start: '0x0', size: '0x10', flags: '0x10013' },
    ]);
    assert.deepEqual(j.irqchips, [{ address: '0x8000000', id: 0, pin_base: 32, pin_bitmap: ['0x1', '0x80000000', '0x0', '0x0'] }]);
    assert.equal(j.system, undefined);
    assert.deepEqual(Object.keys(j), [
      'file', 'kind', 'arch', 'name', 'flags', 'cpu_set_size', 'cpus', 'counts', 'vpci_irq_base', 'cpu_reset_address',
      'revision', 'id', 'msg_reply_timeout', 'console', 'memory_regions', 'cache_regions', 'irqchips', 'pio_regions',
      'pci_devices', 'pci_caps', 'stream_ids',
    ]);
  });

  it('ignores bytes after the counted sections, as consumers do', () => {
    const img = cellImage({ num_memory_regions: 1 }, [{ size: 0x1000 }, { size: 0x2000 }]);
    const r = decodeImage(img, 'x.cell');
    assert.deepEqual(r.errors, []);
    assert.equal(r.json!.memory_regions.length, 1);
    const longer = new Uint8Array(img.length + 100);
    longer.set(img);
    assert.deepEqual(decodeImage(longer, 'x.cell').json, r.json);
  });

  it('locates later sections by the counts, so a short count shifts them', () => {
    // Two regions declared but counted as one: the irqchip section starts at region 1.
    const img = cellImage({ num_memory_regions: 1, num_irqchips: 1 }, [{ size: 0x1000 }, { phys_start: 0xaaaa, virt_start: 0xbbbb00000002n }], 2, [
      { address: 0x1234 },
    ]);
    const j = decodeImage(img, 'x.cell').json!;
    assert.equal(j.irqchips[0].address, '0xaaaa');
    assert.equal(j.irqchips[0].id, 2);
    assert.equal(j.irqchips[0].pin_base, 0xbbbb);
  });

  it('reports counts that reach past the end of the file, keeping what fits', () => {
    const img = cellImage({ num_memory_regions: 3 }, [{ size: 0x1000 }, { size: 0x2000 }]);
    const r = decodeImage(img, 'x.cell');
    assert.match(r.errors[0], /too short: its counts describe 236 bytes, it holds 204/);
    assert.equal(r.json!.memory_regions.length, 2);
    const huge = cellImage({ num_memory_regions: 0xffffffff, cpu_set_size: 0xffffffff }, []);
    const h = decodeImage(huge, 'x.cell');
    assert.equal(h.errors.length, 1);
    assert.equal(h.json!.memory_regions.length, 0);
  });

  it('decodes a system image: root cell fields on top, platform by architecture, used IOMMU slots only', () => {
    const members: PlainMember[] = [
      {
        name: 'header',
        cType: '',
        type: sysT,
        init: {
          signature: 'JHSYS',
          revision: 14,
          architecture: 2,
          flags: 1,
          hypervisor_memory: { phys_start: 0x7fc00000, size: 0x400000 },
          debug_console: { address: 0x0c010000, size: 0x1000, type: 3, flags: 3 },
          platform_info: {
            pci_mmconfig_base: 0x7f000000,
            pci_is_virtual: 1,
            pci_domain: 0xffff,
            iommu_units: [
              { type: 3, base: 0x9000000, size: 0x20000 },
              {},
              { type: 4, base: 0x30f80000, size: 0x1000, tipvu: { tlb_base: 0x36000000, tlb_size: 0x40000 } },
              { type: 1, base: 0xfeb80000, size: 0x80000, amd: { bdf: 2, base_cap: 0x40, msi_cap: 0x54, features: 0x80048824 } },
            ],
            arm: { gic_version: 3, maintenance_irq: 25, gicd_base: 0x0a100000, gicr_base: 0x0a140000 },
          },
          root_cell: { name: 'Zeta', cpu_set_size: 8, num_stream_ids: 2, revision: 0 },
        },
      },
      { name: 'cpus', cType: '', type: u64, length: 1, init: [0xf] },
      { name: 'stream_ids', cType: '', type: { kind: 'struct', name: 'jailhouse_stream_id' }, length: 2, init: [{ id: 0x55 }, { mmu500: { id: 1, mask_out: 0x7f00 } }] },
    ];
    const { json, errors } = decodeImage(encodeConfig(modelFromPlain('system', members)), 'sys.cell');
    assert.deepEqual(errors, []);
    const j = json!;
    assert.equal(j.kind, 'system');
    assert.equal(j.arch, 'arm64');
    assert.equal(j.name, 'Zeta');
    assert.equal(j.revision, 0, 'the root cell descriptor revision, like every top-level field');
    assert.equal(j.system!.revision, 14, 'the file header revision');
    assert.deepEqual(j.cpus, [0, 1, 2, 3]);
    assert.deepEqual(j.stream_ids, [0x55, 0x7f000001]);
    const s = j.system!;
    assert.equal(s.flags, '0x1');
    assert.deepEqual(s.hypervisor_memory, { phys_start: '0x7fc00000', virt_start: '0x0', size: '0x400000', flags: '0x0' });
    assert.deepEqual(s.debug_console, { address: '0xc010000', size: '0x1000', type: 3, flags: '0x3', divider: 0, gate_nr: 0, clock_reg: '0x0' });
    const p = s.platform_info;
    assert.equal(p.pci_mmconfig_base, '0x7f000000');
    assert.equal(p.pci_domain, 65535);
    assert.deepEqual(p.iommu_units, [
      { index: 0, type: 3, base: '0x9000000', size: '0x20000' },
      { index: 2, type: 4, base: '0x30f80000', size: '0x1000', tipvu: { tlb_base: '0x36000000', tlb_size: '0x40000' } },
      { index: 3, type: 1, base: '0xfeb80000', size: '0x80000', amd: { bdf: 2, base_cap: '0x40', msi_cap: '0x54', features: '0x80048824' } },
    ]);
    assert.deepEqual(p.arm, { maintenance_irq: 25, gic_version: 3, gicd_base: '0xa100000', gicc_base: '0x0', gich_base: '0x0', gicv_base: '0x0', gicr_base: '0xa140000' });
    assert.equal(p.x86, undefined);
  });

  it('prints x86 platform data for x86 and none for an unknown architecture', () => {
    const sys = (arch: number) =>
      encodeConfig(
        modelFromPlain('system', [
          { name: 'header', cType: '', type: sysT, init: { signature: 'JHSYS', architecture: arch, platform_info: { x86: { pm_timer_address: 0x608, apic_mode: 2, vtd_interrupt_limit: 256, tsc_khz: 1, apic_khz: 2 } } } },
        ]),
      );
    const x = decodeImage(sys(0), 's').json!.system!.platform_info;
    assert.deepEqual(x.x86, { pm_timer_address: '0x608', apic_mode: 2, vtd_interrupt_limit: 256, tsc_khz: 1, apic_khz: 2 });
    assert.equal(x.arm, undefined);
    const u = decodeImage(sys(9), 's').json!;
    assert.equal(u.arch, null);
    assert.equal(u.system!.platform_info.x86, undefined);
    assert.equal(u.system!.platform_info.arm, undefined);
  });
});

describe('JSON contract (docs/model-json.md)', () => {
  it('prints every key of random images with the contract type', () => {
    const seen = new Set<string>();
    for (let seed = 100; seed < 160; seed++) {
      const kind = seed % 2 ? 'cell' : 'system';
      const members = randomConfig(seed, kind);
      const { json, errors } = decodeImage(encodeConfig(modelFromPlain(kind, members)), 'r.cell');
      assert.deepEqual(errors, []);
      for (const k of checkAgainstContract(json!)) seen.add(k);
      assert.equal(typeof json!.name, 'string');
      for (const k of Object.values(json!.counts)) assert.ok(Number.isSafeInteger(k));
    }
    const missing = contractKeys().map((k) => k.path).filter((k) => !seen.has(k));
    assert.deepEqual(missing, [], 'contract keys never printed');
  });
});

describe('decodeImage on damaged images', () => {
  it('never throws on truncations and flipped bytes; listing renders whatever it returns', async () => {
    const r = rng(42);
    for (const kind of ['system', 'cell'] as const) {
      const img = encodeConfig(modelFromPlain(kind, randomConfig(kind === 'system' ? 4 : 6, kind)));
      for (let len = 0; len <= img.length; len += 7) {
        const res = decodeImage(img.subarray(0, len), 'cut.cell');
        assert.ok(res.json || res.errors.length, `length ${len}: neither JSON nor error`);
        if (res.json) listing(res.json);
      }
      for (let n = 0; n < 200; n++) {
        const bad = img.slice();
        for (let k = 0; k < 4; k++) bad[5 + Math.floor(r() * (bad.length - 5))] = Math.floor(r() * 256);
        const res = decodeImage(bad, 'flipped.cell');
        if (res.json) listing(res.json);
      }
    }
  });
});
