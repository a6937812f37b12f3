// The PCI quick fixes write what the hypervisor will read: the capability another cell lists for
// the device, at the device's end of pci_caps, with every later device's caps_start moved; DMA on
// the RAM; the end bus the device needs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, fixesFor } from '../../../server/src/rules';
import type { Diag, System } from '../../../server/src/rules';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

function applyFirst(name: string, pick: (d: Diag) => boolean): { systems: System[]; file: string } {
  const dir = path.join(FIXTURES, name);
  const systems = loadFixture(dir);
  const diag = diagsOf(systems).find(pick);
  assert.ok(diag, 'the finding is reported');
  const [fix] = fixesFor(diag, systems[0]);
  assert.ok(fix, 'a fix is offered');
  const texts = new Map<string, string>();
  for (const file of new Set(fix.edits.map((e) => e.loc.file))) texts.set(file, applyEdits(fs.readFileSync(file, 'utf8'), file, fix.edits));
  return { systems: loadFixture(dir, hostWith(texts)), file: fix.edits[0].loc.file };
}

const cellNamed = (systems: System[], base: string) => systems.flatMap((s) => s.cells).find((a) => path.basename(a.file) === base)!.model!;

describe('PCI quick fixes', () => {
  it('pci-msi-cap: the root\'s MSI capability is inserted after the NIC\'s own and the later devices follow', () => {
    const { systems } = applyFirst('pci-msi-cap', (d) => d.code === 'pci-msi-cap' && d.message.includes('00:1f.6'));
    const m = cellNamed(systems, 'orca-nic.c');
    assert.equal(m.pci_caps.length, 4);
    assert.equal(m.cell.num_pci_caps, 4n);
    const [nic, usb, me] = m.pci_devices;
    assert.deepEqual([nic.caps_start, nic.num_caps, usb.caps_start, me.caps_start], [0n, 2n, 2n, 3n]);
    assert.deepEqual([m.pci_caps[1].id, m.pci_caps[1].start, m.pci_caps[1].len, m.pci_caps[1].flags], [0x05n, 0xd0n, 14n, 1n]);
    assert.equal(m.pci_caps[2].id, 0x11n, 'the USB controller still finds its MSI-X capability');
    assert.equal(m.pci_caps[3].start, 0x8cn, 'the management engine still finds its MSI capability');
  });

  it('pci-msi-cap: a read-only capability gets JAILHOUSE_PCICAPS_WRITE', () => {
    const { systems } = applyFirst('pci-msi-cap', (d) => d.code === 'pci-msi-cap' && d.message.includes('00:14.0'));
    assert.equal(cellNamed(systems, 'orca-nic.c').pci_caps[1].flags, 1n);
  });

  it('pci-dma: the RAM becomes DMA', () => {
    const { systems } = applyFirst('pci-dma', (d) => d.code === 'pci-dma');
    assert.equal(cellNamed(systems, 'orca-sata.c').mem_regions[0].flags & 0x8n, 0x8n);
  });

  it('pci-end-bus: the end bus is raised to the device\'s bus, in the root', () => {
    const { systems } = applyFirst('pci-end-bus-x86', (d) => d.code === 'pci-end-bus');
    assert.equal(systems[0].root!.model!.system!.platform_info.pci_mmconfig_end_bus, 2n);
  });

  it('pci-end-bus: an ivshmem device moves to bus 00 with its peer, keeping its INTx pin', () => {
    const { systems } = applyFirst('pci-mmconfig-bus', (d) => d.code === 'pci-end-bus');
    const [sys] = systems;
    assert.equal(sys.root!.model!.pci_devices[0].bdf, 0x08n);
    assert.equal(cellNamed(systems, 'nimbus-rtos.c').pci_devices[0].bdf, 0x08n);
  });
});
