// VT-d interrupt remapping and shared ports on x86: what vtd-interrupt-limit counts (each IOAPIC
// source id once, physical devices' vectors, not ivshmem, only on Intel), when irqchip-id speaks
// (the low 16 bits are the source id; AMD-Vi ignores it), and that pio-shared leaves the PM timer alone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkSystem } from '../../../server/src/rules';
import type { Diag } from '../../../server/src/rules';
import { loadSystems } from '../../../server/src/workspace';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

const EXACT = path.join(FIXTURES, 'vtd-interrupt-limit-exact');
const LIMIT = path.join(FIXTURES, 'vtd-interrupt-limit');
const ID = path.join(FIXTURES, 'irqchip-id');

/** The fixture folder checked with `file`'s text changed by `edit` (which must change it). */
function checkEdited(dir: string, file: string, edit: (text: string) => string, code: string): Diag[] {
  const p = path.join(dir, file);
  const text = fs.readFileSync(p, 'utf8');
  const changed = edit(text);
  assert.notEqual(changed, text, 'the edit applies');
  return diagsOf(loadFixture(dir, hostWith(new Map([[p, changed]])))).filter((d) => d.code === code);
}

const secondIoapic = (id: string, bitmap = '0xff') => (t: string) =>
  t
    .replace('struct jailhouse_irqchip irqchips[1];', 'struct jailhouse_irqchip irqchips[2];')
    .replace('\t\t\t.pin_bitmap = { 0xffffff },\n\t\t},\n', `\t\t\t.pin_bitmap = { 0xffffff },\n\t\t},\n\t\t{\n\t\t\t.address = 0xfec01000,\n\t\t\t.id = ${id},\n\t\t\t.pin_bitmap = { ${bitmap} },\n\t\t},\n`);

describe('vtd-interrupt-limit', () => {
  it('a limit of exactly the need passes; one less fails', () => {
    assert.deepEqual(diagsOf(loadFixture(EXACT)).filter((d) => d.code === 'vtd-interrupt-limit'), []);
    const [d] = checkEdited(EXACT, 'orca.c', (t) => t.replace('.vtd_interrupt_limit = 32,', '.vtd_interrupt_limit = 31,'), 'vtd-interrupt-limit');
    assert.match(d.message, /vtd_interrupt_limit is 31, but root cell "orca-x1" reserves at least 32/);
  });

  it('a limit of 0 fails as soon as anything reserves', () => {
    const [d] = checkEdited(EXACT, 'orca.c', (t) => t.replace('.vtd_interrupt_limit = 32,', '.vtd_interrupt_limit = 0,'), 'vtd-interrupt-limit');
    assert.match(d.message, /vtd_interrupt_limit is 0/);
  });

  it('a second IOAPIC with its own source id counts its pins (highest listed + 1)', () => {
    const [d] = checkEdited(EXACT, 'orca.c', secondIoapic('0x1f0f0'), 'vtd-interrupt-limit');
    assert.match(d.message, /at least 40 interrupt-remapping entries at `jailhouse enable` \(24 pins of the IOAPIC at 0xfec00000, 8 pins of the IOAPIC at 0xfec01000, 8 vectors of 00:1f.0\)/);
    assert.equal(d.related?.length, 3);
  });

  it('two IOAPICs with one source id reserve once, with the first one\'s pins', () => {
    assert.deepEqual(checkEdited(EXACT, 'orca.c', secondIoapic('0xf0f8', '0xffffffff'), 'vtd-interrupt-limit'), []);
  });

  it('ivshmem devices are virtual and reserve nothing', () => {
    const ivshmem = (t: string) =>
      t.replace('pci_devices[1]', 'pci_devices[2]').replace(
        '\t},\n\n\t.pci_caps',
        '\t\t{\n\t\t\t.type = JAILHOUSE_PCI_TYPE_IVSHMEM,\n\t\t\t.bdf = 0x0e << 3,\n\t\t\t.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,\n\t\t\t.num_msix_vectors = 16,\n\t\t\t.shmem_peers = 2,\n\t\t},\n\t},\n\n\t.pci_caps',
      );
    assert.deepEqual(checkEdited(EXACT, 'orca.c', ivshmem, 'vtd-interrupt-limit'), []);
  });

  it('AMD-Vi does not use the limit: nothing to report', () => {
    assert.deepEqual(checkEdited(LIMIT, 'orca.c', (t) => t.replace('JAILHOUSE_IOMMU_INTEL', 'JAILHOUSE_IOMMU_AMD'), 'vtd-interrupt-limit'), []);
  });
});

describe('irqchip-id', () => {
  it('the unit index above bit 15 is not part of the source id', () => {
    assert.deepEqual(checkEdited(ID, 'orca-demo.c', (t) => t.replace('.id = 0xff01,', '.id = 0x2f0f8,'), 'irqchip-id'), []);
  });

  it('AMD-Vi ignores the id: nothing to report', () => {
    const root = path.join(FIXTURES, 'clean-x86/orca.c');
    const amd = fs.readFileSync(root, 'utf8').replace('JAILHOUSE_IOMMU_INTEL', 'JAILHOUSE_IOMMU_AMD');
    const ds = diagsOf(loadFixture(ID, hostWith(new Map([[root, amd]])))).filter((d) => d.code === 'irqchip-id');
    assert.deepEqual(ds, []);
  });

  it('one finding per cell and id, however many entries repeat it', () => {
    const twice = (t: string) =>
      t.replace('irqchips[1]', 'irqchips[2]').replace('\t\t\t.pin_bitmap = { 1 << 9 },\n\t\t},\n', '\t\t\t.pin_bitmap = { 1 << 9 },\n\t\t},\n\t\t{\n\t\t\t.address = 0xfec00000,\n\t\t\t.id = 0xff01,\n\t\t\t.pin_bitmap = { 1 << 11 },\n\t\t},\n');
    assert.equal(checkEdited(ID, 'orca-demo.c', twice, 'irqchip-id').length, 1);
  });
});

describe('pio-shared', () => {
  it('ports shared only inside the PM timer are not reported; outside it they are', () => {
    const demo = 'orca-demo.c';
    const onlyPm = (t: string) => t.replace('PIO_RANGE(0x2f8, 8)', 'PIO_RANGE(0x3e8, 8)');
    assert.deepEqual(checkEdited(path.join(FIXTURES, 'pio-shared'), demo, onlyPm, 'pio-shared'), []);
    // Both cells also open the port after the PM timer: that one is shared.
    const dir = path.join(FIXTURES, 'pio-shared');
    const guest = path.join(dir, 'orca-guest.c');
    const past = new Map([
      [path.join(dir, demo), onlyPm(fs.readFileSync(path.join(dir, demo), 'utf8')).replace('PIO_RANGE(0x408, 4)', 'PIO_RANGE(0x408, 5)')],
      [guest, fs.readFileSync(guest, 'utf8').replace('PIO_RANGE(0x408, 4)', 'PIO_RANGE(0x408, 5)')],
    ]);
    const ds = diagsOf(loadFixture(dir, hostWith(past))).filter((d) => d.code === 'pio-shared');
    assert.equal(ds.length, 2);
    assert.ok(ds.every((d) => /^ports 0x0408-0x040c of port range 0x0408-0x040c/.test(d.message)), ds.map((d) => d.message).join('\n'));
  });
});

describe('upstream x86 configs', { skip: !process.env.JAILHOUSE_SRC && 'set JAILHOUSE_SRC to run' }, () => {
  // qemu-x86.c's limit of 256 holds its IOAPIC and its devices' vectors; ioapic-demo.c gives the
  // IOAPIC 0xff01 where the root says 0xff00 (QEMU does not verify the IOAPIC's source id).
  it('vtd-interrupt-limit finds nothing; irqchip-id only ioapic-demo.c', () => {
    const { systems } = loadSystems([path.join(process.env.JAILHOUSE_SRC!, 'configs/x86')], { declaration: false });
    const hits = (code: string) => systems.flatMap((s) => [...checkSystem(s).values()].flat()).filter((d) => d.code === code).map((d) => path.basename(d.loc.file));
    assert.deepEqual(hits('vtd-interrupt-limit'), []);
    assert.deepEqual(hits('irqchip-id'), ['ioapic-demo.c']);
  });
});
