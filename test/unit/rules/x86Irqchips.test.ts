// x86 irqchips: an entry at an address the root has no IOAPIC at is an irqchip-address error
// (not an irq-not-in-root warning), fixed by pointing it at a root IOAPIC; irqchip-missing sits on
// each PCI device that needs a pin, with the irqchips as related information.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ENGINE_CODES } from '../../../server/src/core/diagnostics';
import { applyEdits, fixesFor } from '../../../server/src/rules';
import type { Diag } from '../../../server/src/rules';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

const ADDR = path.join(FIXTURES, 'irqchip-address-x86');
const DEMO = path.join(ADDR, 'orca-demo.c');
const ROOT = path.join(ADDR, 'orca.c');
const errors = (ds: Diag[]) => ds.filter((d) => d.severity === 'error');
const slice = (d: { loc: { file: string; start: number; end: number } }, texts = new Map<string, string>()) =>
  (texts.get(d.loc.file) ?? fs.readFileSync(d.loc.file, 'utf8')).slice(d.loc.start, d.loc.end);

/** The fixture root with a second IOAPIC at 0xfec01000 (pins 0-23). */
function twoIoapicRoot(): string {
  const clean = fs.readFileSync(path.join(FIXTURES, 'clean-x86/orca.c'), 'utf8');
  const second = '\t\t{\n\t\t\t.address = 0xfec01000,\n\t\t\t.id = 0x1f0f0,\n\t\t\t.pin_bitmap = { 0xffffff },\n\t\t},\n\t},\n\n\t.pio_regions';
  const out = clean.replace('struct jailhouse_irqchip irqchips[1];', 'struct jailhouse_irqchip irqchips[2];').replace(/\t},\n\n\t\.pio_regions/, second);
  assert.notEqual(out, clean);
  return out;
}

describe('irqchip-address on x86', () => {
  it('the xAPIC page typed for the IOAPIC: an error on the address, naming both, and no irq-not-in-root', () => {
    const ds = diagsOf(loadFixture(ADDR));
    const d = ds.find((x) => x.code === 'irqchip-address')!;
    assert.equal(d.severity, 'error');
    assert.equal(slice(d), '0xfee00000');
    assert.match(d.message, /0xfee00000, which is not an IOAPIC of root cell "orca-x1" \(0xfec00000\) but the local APIC \(xAPIC\)/);
    assert.deepEqual(d.related?.map((r) => slice(r)), ['0xfec00000']);
    assert.equal(ds.filter((x) => x.code === 'irq-not-in-root').length, 0);
  });

  it('the quick fix points the entry at the root IOAPIC; re-checked, no error is left', () => {
    const systems = loadFixture(ADDR);
    const d = diagsOf(systems).find((x) => x.code === 'irqchip-address')!;
    const fixes = fixesFor(JSON.parse(JSON.stringify(d)), systems[0]);
    assert.deepEqual(fixes.map((f) => [f.title, f.preferred]), [['Use the IOAPIC address 0xfec00000', true]]);
    const text = applyEdits(fs.readFileSync(DEMO, 'utf8'), DEMO, fixes[0].edits);
    assert.match(text, /\.address = 0xfec00000, \/\/! irqchip-address:error/);
    const after = diagsOf(loadFixture(ADDR, hostWith(new Map([[DEMO, text]]))));
    assert.deepEqual(errors(after).map((x) => x.code), []);
    assert.ok(!after.some((x) => (ENGINE_CODES as readonly string[]).includes(x.code)));
  });

  it('a root with two IOAPICs: either may be meant, one fix each, none preferred', () => {
    const systems = loadFixture(ADDR, hostWith(new Map([[ROOT, twoIoapicRoot()]])));
    const d = diagsOf(systems).find((x) => x.code === 'irqchip-address')!;
    assert.match(d.message, /\(0xfec00000, 0xfec01000\)/);
    assert.deepEqual(fixesFor(d, systems[0]).map((f) => [f.title, !!f.preferred]), [
      ['Use the IOAPIC address 0xfec00000', false],
      ['Use the IOAPIC address 0xfec01000', false],
    ]);
  });

  it('an entry at a second root IOAPIC is fine', () => {
    const demo = fs.readFileSync(DEMO, 'utf8').replace('.address = 0xfee00000', '.address = 0xfec01000');
    const ds = diagsOf(loadFixture(ADDR, hostWith(new Map([[ROOT, twoIoapicRoot()], [DEMO, demo]]))));
    assert.deepEqual(ds.filter((x) => x.code === 'irqchip-address'), []);
  });

  it('a root without IOAPICs: nothing to compare with, irq-not-in-root reports the foreign controller', () => {
    const root = fs.readFileSync(path.join(FIXTURES, 'clean-x86/orca.c'), 'utf8').replace('.num_irqchips = ARRAY_SIZE(config.irqchips),', '.num_irqchips = 0,');
    const ds = diagsOf(loadFixture(ADDR, hostWith(new Map([[ROOT, root]]))));
    assert.deepEqual(ds.filter((x) => x.code === 'irqchip-address'), []);
    assert.match(ds.find((x) => x.code === 'irq-not-in-root' && x.loc.file === DEMO)!.message, /at 0xfee00000 is not a controller of root cell/);
  });
});

describe('irqchip-missing on x86', () => {
  const DIR = path.join(FIXTURES, 'irqchip-missing-x86');
  const NIC = path.join(DIR, 'orca-nic.c');

  it('one finding per INTx-only device, on its bdf, with the cell\'s irqchips as related information', () => {
    const ds = diagsOf(loadFixture(DIR)).filter((d) => d.code === 'irqchip-missing');
    assert.deepEqual(ds.map((d) => [path.basename(d.loc.file), slice(d)]), [['orca-nic.c', '0x00c8'], ['orca-nic.c', '0x00fb']]);
    assert.match(ds[0].message, /^PCI device 00:19\.0 has no MSI or MSI-X vectors, .* cell "orca-nic" has no irqchip entry for the IOAPIC at 0xfec00000/);
    assert.equal(ds[0].related?.[0].message, 'this cell declares no irqchips array');
  });

  it('with an irqchips array declared but empty of entries, the related location is that array', () => {
    const text = fs
      .readFileSync(NIC, 'utf8')
      .replace('struct jailhouse_pci_device pci_devices[3];', 'struct jailhouse_irqchip irqchips[1];\n\tstruct jailhouse_pci_device pci_devices[3];')
      .replace('\t.pci_devices = {', '\t.irqchips = {\n\t},\n\n\t.pci_devices = {');
    const ds = diagsOf(loadFixture(DIR, hostWith(new Map([[NIC, text]])))).filter((d) => d.code === 'irqchip-missing');
    assert.equal(ds.length, 2);
    const r = ds[0].related![0];
    assert.equal(r.message, 'the irqchips of this cell: no entry');
    assert.match(text.slice(r.loc.start, r.loc.end), /^\[?1\]?$/);
  });
});
