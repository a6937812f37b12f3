// What the PCI rules say when the system is incomplete: a cell checked without its root does not
// know which x86 IOMMU the hypervisor drives, so pci-dma names both.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkSystem } from '../../../server/src/rules';
import { FIXTURES, loadFixture } from './harness';

describe('PCI rules without a root', () => {
  it('pci-dma on a lone x86 cell names VT-d and AMD-Vi', () => {
    const [sys] = loadFixture(path.join(FIXTURES, 'pci-dma'));
    const lone = { ...sys, root: undefined, cells: sys.cells.filter((c) => c.file.endsWith('orca-sata.c')) };
    const found = [...checkSystem(lone).values()].flat().filter((d) => d.code === 'pci-dma');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /the IOMMU \(VT-d or AMD-Vi/);
  });
});
