import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeImage } from '../../../server/src/binary/decode';
import { encodeConfig } from '../../../server/src/binary/encode';
import { enumName, flagNames, humanSize, listing, protocolName, rangeList } from '../../../server/src/binary/listing';
import { modelFromPlain } from '../../support/values';
import type { PlainMember } from '../../support/values';

describe('listing helpers', () => {
  it('compresses id lists into ranges', () => {
    assert.equal(rangeList([0, 1, 2, 3, 6]), '0-3, 6');
    assert.equal(rangeList([5]), '5');
    assert.equal(rangeList([1, 3, 4, 10, 11, 12]), '1, 3-4, 10-12');
    assert.equal(rangeList([]), 'none');
  });

  it('prints sizes in binary units', () => {
    assert.equal(humanSize(0n), '0 B');
    assert.equal(humanSize(0x200n), '512 B');
    assert.equal(humanSize(0x1000n), '4 KiB');
    assert.equal(humanSize(0x7f000n), '508 KiB');
    assert.equal(humanSize(0x180000n), '1.5 MiB');
    assert.equal(humanSize(0x3f000000n), '1008 MiB');
    assert.equal(humanSize(0x40000000n), '1 GiB');
    assert.equal(humanSize(0xffffffffffffffffn), '~15.99 EiB');
  });

  it('decodes flags and enums from the schema constants', () => {
    assert.equal(flagNames('mem-flags', 0x93n), 'READ|WRITE|IO|ROOTSHARED');
    assert.equal(flagNames('mem-flags', 0x40013n), 'READ|WRITE|IO|IO_32');
    assert.equal(flagNames('mem-flags', 0x1000000001n), 'READ|0x1000000000');
    assert.equal(flagNames('mem-flags', 0n), '0');
    assert.equal(flagNames('con-flags', 3n), 'ACCESS_MMIO|REGDIST_4');
    assert.equal(flagNames('cell-flags', 0xc0000000n), 'VIRTUAL_CONSOLE_PERMITTED|VIRTUAL_CONSOLE_ACTIVE');
    assert.equal(enumName('con-type', 3n), 'PL011');
    assert.equal(enumName('pci-type', 3n), 'IVSHMEM');
    assert.equal(enumName('iommu-type', 4n), 'PVU');
    assert.equal(enumName('con-type', 77n), '77');
  });
});

describe('listing', () => {
  const members: PlainMember[] = [
    {
      name: 'header',
      cType: '',
      type: { kind: 'struct', name: 'jailhouse_system' },
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
          iommu_units: [{ type: 3, base: 0x9000000, size: 0x20000 }],
          arm: { gic_version: 3, maintenance_irq: 25, gicd_base: 0x0a100000, gicr_base: 0x0a140000 },
        },
        root_cell: { name: 'Zeta', cpu_set_size: 8, num_memory_regions: 2, num_irqchips: 1, num_pci_devices: 1, num_pci_caps: 1 },
      },
    },
    { name: 'cpus', cType: '', type: { kind: 'int', int: 'u64' }, length: 1, init: [0x4f] },
    {
      name: 'mem_regions',
      cType: '',
      type: { kind: 'struct', name: 'jailhouse_memory' },
      length: 2,
      init: [
        { phys_start: 0x0c020000, virt_start: 0x0c020000, size: 0x1000, flags: 0x93 },
        { phys_start: 0x40000000, virt_start: 0x40000000, size: 0x3f000000, flags: 0x7 },
      ],
    },
    {
      name: 'irqchips',
      cType: '',
      type: { kind: 'struct', name: 'jailhouse_irqchip' },
      length: 1,
      init: [{ address: 0x0a100000, pin_base: 32, pin_bitmap: [0, 1 << 13, 0, 0x3] }],
    },
    {
      name: 'pci_devices',
      cType: '',
      type: { kind: 'struct', name: 'jailhouse_pci_device' },
      length: 1,
      init: [{ type: 3, domain: 1, bdf: 0x0108 + 2, bar_mask: [0xfffff000], shmem_peers: 2, shmem_dev_id: 1, shmem_protocol: 1, num_caps: 1 }],
    },
    {
      name: 'pci_caps',
      cType: '',
      type: { kind: 'struct', name: 'jailhouse_pci_capability' },
      length: 1,
      init: [{ id: 0x8003, start: 0x100, len: 0xc, flags: 1 }],
    },
  ];
  const json = decodeImage(encodeConfig(modelFromPlain('system', members)), 'zeta.cell').json!;

  it('shows kind, name, CPUs, platform and each section decoded', () => {
    const text = listing(json);
    assert.match(text, /^zeta\.cell: system config "Zeta", arch arm64, revision 14$/m);
    assert.match(text, /CPUs\s+0-3, 6 \(cpu_set_size 8\)/);
    assert.match(text, /hypervisor memory\s+0x7fc00000 size 0x400000 \(4 MiB\)/);
    assert.match(text, /debug console\s+PL011 @ 0xc010000, size 0x1000 \(4 KiB\), flags ACCESS_MMIO\|REGDIST_4/);
    assert.match(text, /GIC\s+v3, gicd 0xa100000, gicr 0xa140000, maintenance IRQ 25/);
    assert.match(text, /IOMMU 0\s+SMMUV3 @ 0x9000000 size 0x20000/);
    assert.match(text, /PCI\s+mmconfig 0x7f000000, buses 0-0, virtual host, domain any/);
    assert.match(text, /^Memory regions \(2\):$/m);
    assert.match(text, /^\s+0\s+0xc020000\s+0xc020000\s+0x1000\s+4 KiB\s+READ\|WRITE\|IO\|ROOTSHARED$/m);
    assert.match(text, /^\s+1\s+0x40000000\s+0x40000000\s+0x3f000000\s+1008 MiB\s+READ\|WRITE\|EXECUTE$/m);
    assert.match(text, /^\s+0\s+0xa100000\s+0\s+32\s+77, 128-129$/m);
    assert.match(text, /^\s+0\s+01:01\.2\s+1\s+IVSHMEM\s+peer 1 of 2, regions from 0, protocol VETH; caps 0\.\.0; BAR masks 0xfffff000/m);
    assert.match(text, /^\s+0\s+EXT DSN\s+0x100\s+0xc\s+WRITE$/m);
  });

  it('adds element names and lines when given source extras', () => {
    const text = listing(json, { elements: { memory_regions: [{ name: 'UART1', line: 40 }, null] } });
    assert.match(text, /^\s+#\s+name\s+line\s+phys/m);
    assert.match(text, /^\s+0\s+UART1\s+40\s+0xc020000/m);
  });

  it('says when the file holds fewer elements than counted', () => {
    const short = { ...json, counts: { ...json.counts, memory_regions: 5 } };
    assert.match(listing(short), /^Memory regions \(2 of 5 counted, image too short\):$/m);
  });
});

describe('protocolName', () => {
  it('names exact protocols and offsets into the virtio ranges', () => {
    assert.equal(protocolName(1n), 'VETH');
    assert.equal(protocolName(0xc002n), '0xc002 (VIRTIO_BACK + BLOCK)');
    assert.equal(protocolName(0x8001n), '0x8001 (VIRTIO_FRONT + NET)');
    assert.equal(protocolName(0x4005n), '0x4005 (CUSTOM + 0x5)');
    assert.equal(protocolName(0x2n), '0x2');
  });
});
