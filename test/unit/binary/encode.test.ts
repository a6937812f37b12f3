import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encodeConfig } from '../../../server/src/binary/encode';
import { compileConfig, haveGcc } from '../../support/gcc';
import { gccHeaderText, writeGccHeaders } from '../../support/gccHeaders';
import { randomConfig } from '../../support/randomConfig';
import { cSource, modelFromPlain } from '../../support/values';
import type { PlainMember } from '../../support/values';

const u64 = { kind: 'int', int: 'u64' } as const;
const mem = { kind: 'struct', name: 'jailhouse_memory' } as const;
const pci = { kind: 'struct', name: 'jailhouse_pci_device' } as const;
const sid = { kind: 'struct', name: 'jailhouse_stream_id' } as const;
const cellT = { kind: 'struct', name: 'jailhouse_cell_desc' } as const;
const sysT = { kind: 'struct', name: 'jailhouse_system' } as const;

const le = (b: Uint8Array, off: number, size: number): bigint => {
  let x = 0n;
  for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[off + i]);
  return x;
};

describe('encodeConfig: layout per docs/format.md §4', () => {
  it('writes a cell header, its arrays at declared lengths, little-endian, zero elsewhere', () => {
    const members: PlainMember[] = [
      {
        name: 'cell',
        cType: 'struct jailhouse_cell_desc',
        type: cellT,
        init: {
          signature: 'JHCLL',
          architecture: 2,
          revision: 14,
          name: 'rtos',
          flags: 0x40000001,
          cpu_set_size: 8,
          num_memory_regions: 3,
          num_pci_devices: 1,
          msg_reply_timeout: 0xffffffffffffffffn,
          console: { address: 0x0c020000, type: 3, flags: 3 },
        },
      },
      { name: 'cpus', cType: '__u64', type: u64, length: 1, init: [0b1100] },
      {
        name: 'mem_regions',
        cType: 'struct jailhouse_memory',
        type: mem,
        length: 3,
        init: [{ phys_start: 0x78000000, size: 0x1000000, flags: 0xffffffff80000000n }],
      },
      {
        name: 'pci_devices',
        cType: 'struct jailhouse_pci_device',
        type: pci,
        length: 1,
        init: [{ type: 3, bdf: 8, bar_mask: [0xfffff000], msi_64bits: 1, msi_maskable: 1, num_msi_vectors: 2, shmem_protocol: 0xc002 }],
      },
    ];
    const b = encodeConfig(modelFromPlain('cell', members));
    assert.equal(b.length, 132 + 8 + 3 * 32 + 56);
    assert.equal(String.fromCharCode(...b.subarray(0, 5)), 'JHCLL');
    assert.equal(b[5], 2);
    assert.equal(le(b, 6, 2), 14n);
    assert.equal(String.fromCharCode(...b.subarray(8, 12)), 'rtos');
    assert.equal(b[12], 0);
    assert.equal(le(b, 44, 4), 0x40000001n);
    assert.equal(le(b, 48, 4), 8n);
    assert.equal(le(b, 52, 4), 3n);
    assert.equal(le(b, 68, 4), 1n);
    assert.equal(le(b, 92, 8), 0xffffffffffffffffn);
    assert.equal(le(b, 100, 8), 0x0c020000n);
    assert.equal(le(b, 112, 2), 3n);
    assert.equal(le(b, 132, 8), 0b1100n);
    // Region 0 at 140; regions 1 and 2 implicitly zero.
    assert.equal(le(b, 140, 8), 0x78000000n);
    assert.equal(le(b, 140 + 16, 8), 0x1000000n);
    assert.equal(le(b, 140 + 24, 8), 0xffffffff80000000n);
    assert.ok(b.subarray(172, 236).every((x) => x === 0));
    // PCI device at 236: bit-field byte at +35 holds msi_64bits in bit 0, msi_maskable in bit 1.
    const d = 236;
    assert.equal(b[d], 3);
    assert.equal(le(b, d + 4, 2), 8n);
    assert.equal(le(b, d + 6, 4), 0xfffff000n);
    assert.equal(b[d + 34], 2);
    assert.equal(b[d + 35], 0b11);
    assert.equal(le(b, d + 54, 2), 0xc002n);
  });

  it('places system fields, the root cell and unions at their offsets', () => {
    const members: PlainMember[] = [
      {
        name: 'header',
        cType: 'struct jailhouse_system',
        type: sysT,
        init: {
          signature: 'JHSYS',
          architecture: 0,
          flags: 1,
          hypervisor_memory: { phys_start: 0x3a000000, size: 0x600000 },
          platform_info: {
            pci_domain: 0xffff,
            iommu_units: [{}, { type: 1, base: 0xfeb80000, size: 0x80000, amd: { bdf: 0x2, base_cap: 0x40, features: 0x80048824 } }],
            x86: { pm_timer_address: 0x808, tsc_khz: 2000000 },
          },
          root_cell: { name: 'root', cpu_set_size: 8, num_stream_ids: 2 },
        },
      },
      { name: 'cpus', cType: '__u64', type: u64, length: 1, init: [0xf] },
      { name: 'stream_ids', cType: 'union jailhouse_stream_id', type: sid, length: 2, init: [{ id: 0x12345678 }, { mmu500: { id: 0x7, mask_out: 0x7f00 } }] },
    ];
    const b = encodeConfig(modelFromPlain('system', members));
    assert.equal(b.length, 488 + 8 + 8);
    assert.equal(le(b, 8, 4), 1n);
    assert.equal(le(b, 12, 8), 0x3a000000n);
    assert.equal(le(b, 28, 8), 0x600000n);
    assert.equal(le(b, 86, 2), 0xffffn);
    // IOMMU unit 1 at 88 + 28.
    assert.ok(b.subarray(88, 116).every((x) => x === 0));
    assert.equal(le(b, 116, 4), 1n);
    assert.equal(le(b, 120, 8), 0xfeb80000n);
    assert.equal(le(b, 128, 4), 0x80000n);
    assert.equal(le(b, 132, 2), 2n);
    assert.equal(b[134], 0x40);
    assert.equal(le(b, 136, 4), 0x80048824n);
    assert.equal(le(b, 312, 2), 0x808n);
    assert.equal(le(b, 320, 4), 2000000n);
    assert.equal(String.fromCharCode(...b.subarray(364, 368)), 'root');
    assert.equal(le(b, 404, 4), 8n);
    assert.equal(le(b, 432, 4), 2n);
    assert.equal(le(b, 488, 8), 0xfn);
    assert.equal(le(b, 496, 4), 0x12345678n);
    assert.equal(le(b, 500, 2), 7n);
    assert.equal(le(b, 502, 2), 0x7f00n);
  });

  it('keeps only the last initialized member of a union', () => {
    const members: PlainMember[] = [
      { name: 'cell', cType: 'struct jailhouse_cell_desc', type: cellT, init: { signature: 'JHCLL', num_stream_ids: 1 } },
      { name: 'stream_ids', cType: 'union jailhouse_stream_id', type: sid, length: 1, init: [{ mmu500: { id: 1, mask_out: 0xffff } }] },
    ];
    const model = modelFromPlain('cell', members);
    // Add a second initialization of the other member, as `{ .mmu500 = …, .id = 5 }` would.
    const elem = (model.value.items[1] as { items: { kind: string; items: unknown[]; unionMember?: number }[] }).items[0];
    elem.items[0] = { kind: 'int', value: 5n };
    elem.unionMember = 0;
    const b = encodeConfig(model);
    assert.equal(le(b, 132, 4), 5n);
  });

  it('gives a zero-length member no bytes', () => {
    const members: PlainMember[] = [
      { name: 'cell', cType: 'struct jailhouse_cell_desc', type: cellT, init: { signature: 'JHCLL' } },
      { name: 'cpus', cType: '__u64', type: u64, length: 1, init: [1] },
      { name: 'pci_caps', cType: 'struct jailhouse_pci_capability', type: { kind: 'struct', name: 'jailhouse_pci_capability' }, length: 0 },
    ];
    assert.equal(encodeConfig(modelFromPlain('cell', members)).length, 140);
  });
});

describe('encodeConfig equals gcc + objcopy', { skip: haveGcc() ? false : 'gcc/objcopy not installed' }, () => {
  const work = mkdtempSync(join(tmpdir(), 'jhcell-enc-'));
  const inc = writeGccHeaders(join(work, 'include'));
  const cacheDir = join(process.cwd(), '.conformance-cache', 'encode');
  for (let seed = 1; seed <= 12; seed++) {
    const kind = seed % 3 === 0 ? 'cell' : 'system';
    it(`random ${kind} config, seed ${seed}`, () => {
      const members = randomConfig(seed, kind);
      const file = join(work, `random-${seed}.c`);
      writeFileSync(file, cSource(members));
      const res = compileConfig(file, { includeDirs: [inc], flags: ['-Werror', '-Wall', '-Wextra'], cacheDir, keyExtra: gccHeaderText() });
      assert.equal(res.error, undefined, res.error);
      const ours = encodeConfig(modelFromPlain(kind, members));
      assert.equal(ours.length, res.bytes!.length, 'image size');
      const diff = ours.findIndex((x, i) => x !== res.bytes![i]);
      assert.equal(diff, -1, `first differing byte at offset ${diff}`);
    });
  }
});
