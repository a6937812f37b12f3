// The piecewise address axis: gaps compressed to a fixed width, covered stretches sized by
// the logarithm of their size, positions monotonic across a 2^40 space.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAxis } from '../../../server/src/map/axis';
import { assignRows, overlapsBetween, overlapsWithin } from '../../../server/src/map/sweep';
import { union } from '../../../server/src/util/spans';

const iv = (start: bigint, end: bigint) => ({ start, end });

describe('address axis', () => {
  const ranges = [iv(0x1000n, 0x2000n), iv(0x40000000n, 0x80000000n), iv(0xff_0000_0000n, 0xff_0000_1000n)];
  const axis = buildAxis(ranges, { minWidth: 20, perDoubling: 5, maxWidth: 200, gapWidth: 16 });

  it('gives every uncovered stretch the same small width, whatever its size', () => {
    const gaps = axis.segments.filter((s) => s.gap);
    assert.deepEqual(gaps.map((g) => [g.start, g.end]), [[0x2000n, 0x40000000n], [0x80000000n, 0xff_0000_0000n]]);
    assert.ok(gaps.every((g) => g.w === 16));
  });

  it('sizes covered stretches by log2 of their size, clamped', () => {
    const covered = axis.segments.filter((s) => !s.gap);
    assert.deepEqual(covered.map((s) => s.w), [20, 20 + 5 * (30 - 12), 20]);
  });

  it('keeps a 0…2^40 picture narrow', () => {
    assert.equal(axis.width, 20 + 16 + 110 + 16 + 20);
  });

  it('maps addresses monotonically, clamped at the ends', () => {
    const probes = [0n, 0x1000n, 0x1800n, 0x2000n, 0x3000000n, 0x40000000n, 0x60000000n, 0x80000000n, 0xff_0000_0800n, 1n << 60n];
    const xs = probes.map((p) => axis.x(p));
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i] >= xs[i - 1], `x(${probes[i]}) ≥ x(${probes[i - 1]})`);
    assert.equal(axis.x(0n), 0);
    assert.equal(axis.x(0x1800n), 10);
    assert.equal(axis.x(1n << 60n), axis.width);
  });

  it('is empty for no ranges', () => {
    const empty = buildAxis([]);
    assert.equal(empty.width, 0);
    assert.equal(empty.x(0x1234n), 0);
  });
});

describe('sweep helpers', () => {
  it('reports each overlapping pair once, touching intervals excluded', () => {
    const items = [iv(0n, 10n), iv(10n, 20n), iv(5n, 15n), iv(30n, 40n), iv(35n, 35n)];
    const pairs: string[] = [];
    overlapsWithin(items, (a, b) => void pairs.push(`${a.start}-${b.start}`));
    assert.deepEqual(pairs.sort(), ['0-5', '5-10']);
  });

  it('pairs only across the two lists', () => {
    const pairs: string[] = [];
    overlapsBetween([iv(0n, 100n), iv(50n, 60n)], [iv(55n, 56n), iv(200n, 300n)], (a, b) => void pairs.push(`${a.start}/${b.start}`));
    assert.deepEqual(pairs.sort(), ['0/55', '50/55']);
  });

  it('stops when told to', () => {
    let n = 0;
    overlapsWithin([iv(0n, 10n), iv(1n, 10n), iv(2n, 10n)], () => ++n < 2);
    assert.equal(n, 2);
  });

  it('merges a union', () => {
    assert.deepEqual(union([iv(5n, 8n), iv(0n, 3n), iv(3n, 4n), iv(7n, 9n)]), [iv(0n, 4n), iv(5n, 9n)]);
  });

  it('colours intervals with as few rows as the deepest overlap', () => {
    const items = [iv(0n, 10n), iv(2n, 4n), iv(3n, 12n), iv(4n, 6n), iv(11n, 13n)].map((x) => ({ ...x, row: -1 }));
    assert.equal(assignRows(items), 3);
    overlapsWithin(items, (a, b) => assert.notEqual(a.row, b.row));
  });
});
