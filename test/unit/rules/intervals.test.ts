// The sweep finds every interval that overlaps another (checked against brute force), and the
// gap search returns free, aligned, nearest ranges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intervalIndex, nearestGap, overlapping, overlapsAcross, overlapsWithin, type Interval } from '../../../server/src/rules/intervals';
import { humanSize, span } from '../../../server/src/rules/format';

function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function random(n: number, seed: number): Interval<{ id: number; g: number; shared: boolean }>[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, id) => {
    const start = BigInt(Math.floor(r() * 1000)) * 0x1000n;
    return { start, end: start + BigInt(Math.floor(r() * 20)) * 0x1000n, item: { id, g: Math.floor(r() * 4), shared: r() < 0.2 } };
  });
}

const hit = (a: Interval<unknown>, b: Interval<unknown>) => a.start < b.end && b.start < a.end && a.end > a.start && b.end > b.start;

describe('overlap sweep', () => {
  it('within: exactly the overlapping intervals are reported, each pair real', () => {
    for (let seed = 1; seed < 20; seed++) {
      const xs = random(300, seed);
      const pairs = overlapsWithin(xs);
      for (const [a, b] of pairs) assert.ok(hit(a, b));
      const reported = new Set(pairs.flatMap(([a, b]) => [a.item.id, b.item.id]));
      const brute = new Set<number>();
      for (const a of xs) for (const b of xs) if (a !== b && hit(a, b)) brute.add(a.item.id);
      // Every overlapping interval appears in some reported pair.
      assert.deepEqual([...reported].sort(), [...brute].sort());
    }
  });

  it('across: only pairs of different groups, never exempt ones, and every conflicting later interval found', () => {
    for (let seed = 1; seed < 20; seed++) {
      const xs = random(300, seed);
      const exempt = (a: { shared: boolean }, b: { shared: boolean }) => a.shared && b.shared;
      const pairs = overlapsAcross(xs, (t) => t.g, (t) => (t.shared ? 's' : 'o'), exempt);
      for (const [a, b] of pairs) {
        assert.ok(hit(a, b));
        assert.notEqual(a.item.g, b.item.g);
        assert.ok(!exempt(a.item, b.item));
      }
      const reported = new Set(pairs.flatMap(([a, b]) => [a.item.id, b.item.id]));
      for (const a of xs) {
        const conflicting = xs.some((b) => b.item.g !== a.item.g && hit(a, b) && !exempt(a.item, b.item));
        if (!conflicting) assert.ok(!reported.has(a.item.id));
      }
      assert.ok(pairs.length > 0);
    }
  });
});

describe('interval index', () => {
  it('overlapping: exactly the intervals a brute-force scan finds, in input order', () => {
    for (let seed = 1; seed < 20; seed++) {
      const xs = random(300, seed);
      const ix = intervalIndex(xs);
      const r = rng(seed + 100);
      for (let q = 0; q < 50; q++) {
        const start = BigInt(Math.floor(r() * 1000)) * 0x1000n;
        const probe = { start, end: start + BigInt(1 + Math.floor(r() * 30)) * 0x1000n, item: null };
        assert.deepEqual(
          overlapping(ix, probe.start, probe.end).map((i) => i.item.id),
          xs.filter((x) => hit(x, probe)).map((x) => x.item.id),
        );
      }
    }
  });
});

describe('nearestGap', () => {
  it('finds the closest aligned free range', () => {
    const busy = [{ start: 0x1000n, end: 0x5000n }, { start: 0x6000n, end: 0x9000n }];
    assert.equal(nearestGap(busy, 0x1000n, 0x4000n, 0x1000n), 0x5000n);
    assert.equal(nearestGap(busy, 0x1000n, 0x2000n, 0x1000n), 0x0n);
    assert.equal(nearestGap(busy, 0x2000n, 0x2000n, 0x1000n), 0x9000n);
    assert.equal(nearestGap(busy, 0x1000n, 0x1000n, 0x1000n), 0x0n);
    assert.equal(nearestGap(busy, 0x4000n, 0x7000n, 0x4000n), 0xc000n);
    assert.equal(nearestGap([{ start: 0n, end: 0x10000n }], 0x1000n, 0n, 0x1000n, 0x10000n), undefined);
  });
});

describe('format', () => {
  it('human sizes and spans', () => {
    assert.equal(humanSize(0x1000n), '4 KiB');
    assert.equal(humanSize(0x3f000000n), '1008 MiB');
    assert.equal(humanSize(0x40000000n), '1 GiB');
    assert.equal(humanSize(100n), '100 B');
    assert.equal(humanSize(0x1800n), '6 KiB');
    assert.equal(span(0x80000000n, 0x1000n), '0x80000000-0x80000fff');
  });
});
