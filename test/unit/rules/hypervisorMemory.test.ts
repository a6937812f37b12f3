// hypervisor-memory: the boundary is the estimate itself, the estimate follows the system
// (CPUs, cells, regions), and the page-table count assumes the largest blocks the hypervisor can use.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { MemoryRegion } from '../../../server/src/core/model';
import { MEM } from '../../../server/src/core/flags';
import { fixesFor } from '../../../server/src/rules';
import { buildContext } from '../../../server/src/rules/context';
import { poolEstimate, tablePages } from '../../../server/src/rules/hvPool';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

const DIR = path.join(FIXTURES, 'hypervisor-memory');
const ROOT = path.join(DIR, 'nimbus.c');
const TEXT = fs.readFileSync(ROOT, 'utf8');

const withRoot = (edit: (t: string) => string) => loadFixture(DIR, hostWith(new Map([[ROOT, edit(TEXT)]])));
const sized = (size: bigint) => (t: string) => t.replace(/\.size = 0x00020000,[^\n]*/, `.size = 0x${size.toString(16)},`);
const findings = (edit: (t: string) => string) => diagsOf(withRoot(edit)).filter((d) => d.code === 'hypervisor-memory');
const estimateOf = (edit: (t: string) => string) => poolEstimate(buildContext(withRoot(edit)[0]))!;

const region = (phys: bigint, virt: bigint, size: bigint, flags = MEM.READ | MEM.WRITE): MemoryRegion =>
  ({ phys_start: phys, virt_start: virt, size, flags, $index: 0, $fieldLoc: {} }) as unknown as MemoryRegion;

describe('hypervisor-memory', () => {
  it('reports one page below the estimate, not at it', () => {
    const est = estimateOf((t) => t);
    assert.deepEqual(findings(sized(est.bytes)), []);
    const below = findings(sized(est.bytes - 0x1000n));
    assert.equal(below.length, 1);
    assert.equal(below[0].severity, 'error');
    assert.match(below[0].message, new RegExp(`at least .* \\(${est.pages} pages\\)`));
  });

  it('lists parts that add up to the total', () => {
    const est = estimateOf((t) => t);
    assert.equal(est.parts.reduce((n, p) => n + p.pages, 0), est.pages);
    assert.equal(est.bytes, BigInt(est.pages) * 0x1000n);
  });

  it('grows with the highest root CPU: 4 pages per CPU on ARM', () => {
    const four = estimateOf((t) => t);
    const eight = estimateOf((t) => t.replace(/\.cpus = \{\s*0xf,/, '.cpus = {\n\t\t0xff,'));
    assert.equal(eight.pages - four.pages, 16);
  });

  it('counts the cells: without the RTOS cell the estimate is smaller', () => {
    const all = estimateOf((t) => t);
    const rootOnly = poolEstimate(buildContext({ ...withRoot((t) => t)[0], cells: [] }))!;
    assert.ok(rootOnly.pages < all.pages, `${rootOnly.pages} < ${all.pages}`);
    assert.ok(all.parts.some((p) => p.what.startsWith('cell "nimbus-rtos"')));
  });

  it('page tables: 1 GiB and 2 MiB blocks where phys and virt allow, 4 KiB tables otherwise', () => {
    const G = 1n << 30n;
    const M2 = 1n << 21n;
    assert.equal(tablePages([region(G, G, G)]), 0, 'one 1 GiB block');
    assert.equal(tablePages([region(G, G, 2n * M2)]), 1, 'two 2 MiB blocks: one table of 2 MiB entries');
    assert.equal(tablePages([region(G, G, 0x1000n)]), 2, 'one page: a 2 MiB-entry table and a page table');
    assert.equal(tablePages([region(G + 0x1000n, G, 2n * M2)]), 3, 'phys and virt disagree below 2 MiB: pages throughout');
    assert.equal(tablePages([region(G, G, 0x1000n), region(G + 0x1000n, G + 0x1000n, 0x1000n)]), 2, 'tables are shared');
    assert.equal(tablePages([region(0n, 0x80000000n, 0x1000n, MEM.READ | MEM.WRITE | MEM.COMM_REGION)]), 0, 'the comm page is not counted');
    assert.equal(tablePages([region(G, G, 0x100n, MEM.READ | MEM.IO)]), 0, 'a sub-page region is trapped, not mapped');
  });

  it('offers the larger size only where it overlaps no cell memory', () => {
    const fixes = (edit: (t: string) => string) => {
      const sys = withRoot(edit)[0];
      return diagsOf([sys]).filter((d) => d.code === 'hypervisor-memory').flatMap((d) => fixesFor(d, sys));
    };
    assert.equal(fixes((t) => t).length, 1);
    // The reservation just below the root's RAM (0x80000000): 1 MiB from there would cover its start.
    const crowded = (t: string) => t.replace('.phys_start = 0xbfc00000', '.phys_start = 0x7ff80000');
    assert.notEqual(crowded(TEXT), TEXT);
    assert.equal(findings(crowded).length, 1);
    assert.ok(!diagsOf(withRoot(crowded)).some((d) => d.code === 'memory-overlap-hypervisor'));
    assert.equal(fixes(crowded).length, 0);
  });
});
