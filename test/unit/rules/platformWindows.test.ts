// The GICv3 redistributor window is one frame per CPU of the system, up to the highest one
// (gicv3_init / gicv3_cell_init), and framesHit names the CPUs a range covers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { framesHit, platformWindows } from '../../../server/src/rules/platformWindows';
import { systemModel } from '../map/build';

const gicr = (cpus: bigint[]) => {
  const root = systemModel({ file: '/p/root.c', name: 'p', cpus, hypervisor: [0x7fc00000n, 0x400000n], gic: { version: 3n, gicd: 0x2f000000n, gicr: 0x2f100000n }, regions: [] });
  return platformWindows(root).find((w) => w.name.includes('(GICR)'))!;
};

describe('GICv3 redistributor window', () => {
  it('spans a 0x20000 frame for every CPU up to the highest one of the root', () => {
    assert.equal(gicr([0x1n]).size, 0x20000n);
    assert.equal(gicr([0xfn]).size, 0x80000n);
    assert.equal(gicr([0b1001n]).size, 0x80000n, 'a hole in the CPU set still has its frame in the sequence');
    assert.equal(gicr([0n, 0x1n]).size, 65n * 0x20000n, 'CPU 64, in the second word');
    assert.equal(gicr([]).size, 0x20000n, 'no CPUs: at least CPU 0\'s frame');
    assert.equal(gicr([0xfn]).frame, 0x20000n);
  });
  it('names the CPUs whose frames a range touches', () => {
    const w = gicr([0xfn]);
    assert.deepEqual(framesHit(w, 0x2f160000n, 0x2f180000n), [3, 3]);
    assert.deepEqual(framesHit(w, 0x2f11ffffn, 0x2f120001n), [0, 1]);
    assert.deepEqual(framesHit(w, 0x2f000000n, 0x2f200000n), [0, 3]);
    assert.equal(framesHit(w, 0x2f180000n, 0x2f190000n), undefined, 'after the last frame');
    assert.equal(framesHit(w, 0x2f0f0000n, 0x2f100000n), undefined, 'before the first');
  });
});
