// Names from comments and element indices, as the typed model reports them: every placement
// the bundled configs use, comments that are not names, and indices after macros that
// produce several elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, describeDiags, textAt } from './helpers';
import { cellSource } from './template';

function regions(mem: string, memLength: number) {
  const a = analyzeText(cellSource({ mem, memLength }));
  assert.deepEqual(a.diagnostics, [], describeDiags(a));
  return { a, regions: a.model!.mem_regions };
}

const R = (n: number) => `{ .phys_start = 0x${n.toString(16)}000, .size = 0x1000, }`;

test('the four placements of a name comment', () => {
  const { regions: r } = regions(
    [
      `\t\t/* Same line */ ${R(1)},`,
      '\t\t/* Line above */',
      `\t\t${R(2)},`,
      `\t\t{ /* After brace */`,
      '\t\t\t.phys_start = 0x3000, .size = 0x1000,',
      '\t\t},',
      '\t\t/*',
      '\t\t * Multi-line block',
      '\t\t */',
      `\t\t${R(4)},`,
    ].join('\n'),
    4,
  );
  assert.deepEqual(r.map((x) => x.$name), ['Same line', 'Line above', 'After brace', 'Multi-line block']);
});

test('comments that are not names: commented-out fields and code, blank separation, trailing value comments', () => {
  const { regions: r } = regions(
    [
      `\t\t/* .flags = JAILHOUSE_MEM_IO, */ ${R(1)},`,
      '\t\t/* disabled:',
      '\t\t{ .phys_start = 0xdead0000, },',
      '\t\t*/',
      `\t\t${R(2)},`,
      `\t\t{`,
      `\t\t\t.phys_start = 0x3000 /* value comment */,`,
      `\t\t\t.size = 0x1000,`,
      `\t\t},`,
    ].join('\n'),
    3,
  );
  assert.deepEqual(r.map((x) => x.$name), [undefined, undefined, undefined]);
});

test('a comment on its own line above JAILHOUSE_SHMEM_NET_REGIONS names the link; indices shift by four', () => {
  const { a, regions: r } = regions(
    [
      '\t\t/* link A */',
      '\t\tJAILHOUSE_SHMEM_NET_REGIONS(0x10000000, 0),',
      `\t\t/* after A */ ${R(0x20)},`,
      '\t\t/* link B */',
      '\t\tJAILHOUSE_SHMEM_NET_REGIONS(0x20000000, 1),',
      `\t\t/* after B */ ${R(0x30)},`,
    ].join('\n'),
    10,
  );
  assert.deepEqual(r.map((x) => x.$index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(r[0].$name, 'link A');
  assert.equal(r[4].$name, 'after A');
  assert.equal(r[5].$name, 'link B');
  assert.equal(r[9].$name, 'after B');
  assert.equal(r[4].phys_start, 0x20000n);
  assert.equal(r[9].phys_start, 0x30000n);
  assert.deepEqual([r[5].phys_start, r[7].phys_start, r[8].phys_start], [0x20000000n, 0x20001000n, 0x20080000n]);
  assert.deepEqual([r[7].flags, r[8].flags], [0x81n, 0x83n], 'peer 1 writes its own (second) output section');
  assert.equal(textAt(a, r[6].$loc), 'JAILHOUSE_SHMEM_NET_REGIONS(0x20000000, 1)');
  assert.equal(textAt(a, r[5].$fieldLoc.phys_start), '0x20000000');
});

test('a trailing comment after an element names it and not the next one', () => {
  const a = analyzeText(cellSource({
    pioLength: 4,
    pio: '\t\tPIO_RANGE(0x40, 4), /* PIT */\n\t\tPIO_RANGE(0x60, 1), /* NMI */\n\t\tPIO_RANGE(0x70, 2),\n\t\tPIO_RANGE(0x80, 3) /* last */\n',
  }));
  assert.deepEqual(a.diagnostics, [], describeDiags(a));
  assert.deepEqual(a.model!.pio_regions.map((p) => p.$name), ['PIT', 'NMI', undefined, 'last']);
  assert.deepEqual(a.model!.pio_regions.map((p) => p.base), [0x40n, 0x60n, 0x70n, 0x80n]);
});

test('element indices count positional items, index designators and implicit zero elements', () => {
  const { regions: r } = regions([`${R(1)},`, `[3] = ${R(4)},`, `/* after index */ ${R(5)},`, `[1] = /* back */ ${R(2)},`].join('\n'), 6);
  assert.deepEqual(r.map((x) => x.$index), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(r.map((x) => x.phys_start), [0x1000n, 0x2000n, 0n, 0x4000n, 0x5000n, 0n]);
  assert.deepEqual(r.map((x) => x.$name), [undefined, 'back', undefined, undefined, 'after index', undefined]);
});

test('group comments and generated MemRegion comments keep their text', () => {
  const { regions: r } = regions([
    '\t\t/* IVSHMEM shared memory regions (demo) */',
    `\t\t${R(1)},`,
    `\t\t/* MemRegion: fea00000-fea3ffff : 0000:00:02.0 */`,
    `\t\t${R(2)},`,
  ].join('\n'), 2);
  assert.deepEqual(r.map((x) => x.$name), ['IVSHMEM shared memory regions (demo)', 'MemRegion: fea00000-fea3ffff : 0000:00:02.0']);
});
