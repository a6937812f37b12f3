// The map model on hand-made systems: owners, sharing, gaps, conflicts, grids, scale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diag } from '../../../server/src/core/diagnostics';
import { buildMemoryMap as buildWith } from '../../../server/src/map/model';
import { checkSystem, type System } from '../../../server/src/rules';
import { MAX_DRAWN_RANGES, renderSvg } from '../../../server/src/map/svg';
import { renderText } from '../../../server/src/map/text';
import { analysis, cellModel, checkedMap, COMM, IO, irqchip, ivshmemDevice, R, region, ROOTSHARED, systemModel, W, X } from './build';

/** With the checks' own diagnostics unless the test gives its own. */
function buildMemoryMap(system: System, options?: { diagnostics: Diag[] }) {
  return options ? buildWith(system, options) : checkedMap(system);
}

const GiB = 1n << 30n;
const MiB = 1n << 20n;

function board() {
  const root = systemModel({
    file: '/b/root.c',
    name: 'board',
    cpus: [0xfn],
    hypervisor: [0x7fc00000n, 4n * MiB],
    gic: { version: 3n, gicd: 0x2f000000n, gicr: 0x2f100000n },
    mmconfig: 0x7f000000n,
    regions: [
      region('/b/root.c', 0x7f800000n, 0x1000n, R | ROOTSHARED, 'shm state'),
      region('/b/root.c', 0n, 0n, 0n),
      region('/b/root.c', 0x7f801000n, 0x7f000n, R | W | ROOTSHARED, 'shm out'),
      region('/b/root.c', 0x40000000n, GiB - 16n * MiB, R | W | X, 'RAM'),
      region('/b/root.c', 0x1c000000n, 2n * MiB, R | W | IO, 'Peripherals'),
    ],
    irqchips: [irqchip('/b/root.c', 0x2f000000n, 32n, [0xffffffffn, 0xffffffffn, 0n, 0n])],
    pci: [ivshmemDevice(0, 1)],
  });
  const a = cellModel({
    file: '/b/a.c',
    name: 'alpha',
    cpus: [0b0100n],
    regions: [
      region('/b/a.c', 0x7f800000n, 0x1000n, R | ROOTSHARED, 'shm state'),
      region('/b/a.c', 0n, 0n, 0n),
      region('/b/a.c', 0x7f801000n, 0x7f000n, R | ROOTSHARED, 'shm out'),
      region('/b/a.c', 0x78000000n, 16n * MiB, R | W | X, 'alpha RAM', 0n),
      region('/b/a.c', 0n, 0x1000n, R | W | COMM, 'comm', 0x80000000n),
    ],
    irqchips: [irqchip('/b/a.c', 0x2f000000n, 32n, [0n, 1n << 13n, 0n, 0n])],
    pci: [ivshmemDevice(0, 1)],
  });
  const b = cellModel({
    file: '/b/b.c',
    name: 'beta',
    cpus: [0b1100n],
    regions: [
      region('/b/b.c', 0x70000000n, 0x8800000n, R | W | X, 'beta RAM'),
      region('/b/b.c', 0x7fe00000n, MiB, R | W, 'scratch'),
      region('/b/b.c', 0x2f000000n, 0x10000n, R | W | IO, 'GICD by mistake'),
      region('/b/b.c', 0x7f100000n, 0x1000n, R | W | IO, 'uart'),
      region('/b/b.c', 0x7f100800n, 0x1000n, R | W | IO, 'uart twin'),
    ],
    irqchips: [irqchip('/b/b.c', 0x2f000000n, 32n, [0n, (1n << 13n) | (1n << 14n), 0n, 0n])],
  });
  return { root, a, b, system: { root: analysis(root), cells: [analysis(a), analysis(b)] } };
}

describe('memory map model', () => {
  it('gives every owner a lane and every range its owner', () => {
    const map = buildMemoryMap(board().system);
    assert.deepEqual(map.lanes.map((l) => l.kind), ['hypervisor', 'platform', 'root', 'cell', 'cell']);
    const lane = (name: string) => map.ranges.find((r) => r.name === name)?.lane;
    assert.equal(lane('RAM'), 'root');
    assert.equal(lane('alpha RAM'), 'cell0');
    assert.equal(lane('beta RAM'), 'cell1');
    const hv = map.ranges.filter((r) => r.lane === 'hv');
    assert.deepEqual(hv.map((r) => [r.start, r.end]), [[0x7fc00000n, 0x80000000n]]);
    const windows = map.ranges.filter((r) => r.cls === 'window').map((r) => [r.name.match(/\((\w+)\)|MMCONFIG/)?.[0], r.end - r.start]);
    // GICR: one 0x20000 frame for each of the system's CPUs 0–3.
    assert.deepEqual(windows, [['(GICD)', 0x10000n], ['(GICR)', 4n * 0x20000n], ['MMCONFIG', MiB]]);
    // Sorted by start, ids are positions.
    map.ranges.forEach((r, i) => {
      assert.equal(r.id, i);
      if (i) assert.ok(map.ranges[i - 1].start <= r.start);
    });
  });

  it('keeps communication regions and empty regions off the physical axis', () => {
    const map = buildMemoryMap(board().system);
    assert.deepEqual(map.comm.map((c) => [c.lane, c.virt, c.size]), [['cell0', 0x80000000n, 0x1000n]]);
    assert.ok(!map.ranges.some((r) => r.name === 'comm' || r.start === r.end));
    assert.equal(map.ranges.find((r) => r.name === 'alpha RAM')?.virt, 0n);
  });

  it('finds shared memory: ivshmem sections mapped identically by several cells', () => {
    const map = buildMemoryMap(board().system);
    assert.deepEqual(
      map.shared.map((s) => [s.start, s.end, s.lanes, s.kind]),
      [
        [0x7f800000n, 0x7f801000n, ['root', 'cell0'], 'ivshmem'],
        [0x7f801000n, 0x7f880000n, ['root', 'cell0'], 'ivshmem'],
      ],
    );
    assert.deepEqual(map.ranges.find((r) => r.lane === 'cell0' && r.name === 'shm out')?.sharedWith, ['root']);
  });

  it('lists the holes between mapped ranges', () => {
    const map = buildMemoryMap(board().system);
    const first = map.gaps[0];
    assert.deepEqual([first.start, first.end], [0x1c200000n, 0x2f000000n]);
    for (const g of map.gaps) {
      assert.ok(g.start < g.end);
      assert.ok(!map.ranges.some((r) => r.start < g.end && g.start < r.end), 'a gap is never covered');
    }
  });

  it('finds the collisions and their exact extents, worded by the checks', () => {
    const map = buildMemoryMap(board().system);
    const got = map.conflicts.map((c) => [c.code, c.severity, c.start, c.end, c.ranges.map((id) => map.ranges[id].name).sort()]);
    assert.deepEqual(
      got.sort((x, y) => String(x[0]).localeCompare(String(y[0])) || Number((x[2] as bigint) - (y[2] as bigint))),
      [
        ['memory-overlap', 'warning', 0x7f100800n, 0x7f101000n, ['uart', 'uart twin']],
        ['memory-overlap-cells', 'warning', 0x78000000n, 0x78800000n, ['alpha RAM', 'beta RAM']],
        ['memory-overlap-hypervisor', 'error', 0x7fe00000n, 0x7ff00000n, ['hypervisor memory', 'scratch']],
        ['memory-overlap-platform', 'warning', 0x2f000000n, 0x2f010000n, ['GIC distributor (GICD)', 'GICD by mistake']],
      ],
    );
    for (const c of map.conflicts) for (const id of c.ranges) assert.ok(map.ranges[id].conflicts.includes(c.id));
    assert.ok(map.conflicts.every((c) => c.fromChecks && c.message.length > 10));
  });

  it('stacks overlapping ranges of one lane on separate rows', () => {
    const map = buildMemoryMap(board().system);
    const uart = map.ranges.find((r) => r.name === 'uart');
    const twin = map.ranges.find((r) => r.name === 'uart twin');
    assert.notEqual(uart?.row, twin?.row);
    assert.equal(map.lanes.find((l) => l.id === 'cell1')?.rows, 2);
    assert.equal(map.lanes.find((l) => l.id === 'cell0')?.rows, 1);
  });

  it('follows declared cell sets: together is an error, apart is no conflict', () => {
    const { system } = board();
    const together = buildMemoryMap({ ...system, sets: [['/b/a.c', '/b/b.c']] });
    assert.equal(together.conflicts.find((c) => c.code === 'memory-overlap-cells')?.severity, 'error');
    assert.equal(together.cpus.conflicts.find((c) => c.cpu === 2)?.conflict.severity, 'error');
    const apart = buildMemoryMap({ ...system, sets: [['/b/a.c'], ['/b/b.c']] });
    assert.equal(apart.conflicts.find((c) => c.code === 'memory-overlap-cells'), undefined);
    assert.equal(apart.cpus.conflicts.length, 0);
    assert.equal(apart.irqs.columns.filter((c) => c.conflict).length, 0);
  });

  it('takes wording and verdict from the checks layer when diagnostics are given', () => {
    const { system, a, b } = board();
    const alphaRam = a.mem_regions[3];
    const betaRam = b.mem_regions[0];
    const diags: Diag[] = [
      {
        code: 'memory-overlap-cells',
        severity: 'error',
        message: 'CHECKS: beta RAM overlaps alpha RAM',
        loc: { file: '/b/b.c', start: betaRam.$loc!.start + 1, end: betaRam.$loc!.start + 2 },
        related: [{ loc: alphaRam.$loc!, message: 'alpha RAM' }],
      },
      // The same pair reported from the other side adds nothing.
      { code: 'memory-overlap-cells', severity: 'error', message: 'CHECKS: alpha RAM overlaps beta RAM', loc: alphaRam.$loc!, related: [{ loc: betaRam.$loc!, message: '' }] },
      // A finding without a physical collision (a guest-address overlap) marks its region.
      { code: 'memory-overlap', severity: 'warning', message: 'CHECKS: virtual overlap', loc: a.mem_regions[3].$loc! },
      { code: 'cpu-shared', severity: 'error', message: 'CHECKS: CPU 2 also belongs to beta', loc: { file: '/b/a.c', start: 0, end: 1 }, data: { file: '/b/a.c', cpus: [2] } },
    ];
    const map = buildMemoryMap(system, { diagnostics: diags });
    assert.deepEqual(
      map.conflicts.map((c) => [c.code, c.message, c.fromChecks]),
      [
        ['memory-overlap-cells', 'CHECKS: beta RAM overlaps alpha RAM', true],
        ['memory-overlap', 'CHECKS: virtual overlap', true],
      ],
    );
    const cells = map.conflicts[0];
    assert.deepEqual([cells.start, cells.end, cells.severity], [0x78000000n, 0x78800000n, 'error']);
    assert.deepEqual(map.conflicts[1].ranges.map((id) => map.ranges[id].name), ['alpha RAM']);
    // Collisions the checks did not report (severity off, say) are not drawn.
    assert.ok(!map.conflicts.some((c) => c.code === 'memory-overlap-hypervisor'));
    assert.deepEqual(map.cpus.conflicts.map((c) => [c.cpu, c.conflict.message]), [[2, 'CHECKS: CPU 2 also belongs to beta']]);
    assert.equal(map.irqs.columns.filter((c) => c.conflict).length, 0);
  });

  it('pairs findings with the drawing through their data: reworded and reordered, each lands where it did', () => {
    const { system, b } = board();
    // One region over both GIC windows: two memory-overlap-platform findings on one region.
    b.mem_regions[2].size = 0x200000n;
    // A third cell sharing INTID 76 with alpha, which shares 77 with beta: two irq-shared
    // findings on alpha's one irqchip.
    system.cells[0].model!.irqchips[0].pin_bitmap = [0n, 3n << 12n, 0n, 0n];
    const gamma = cellModel({ file: '/b/c.c', name: 'gamma', cpus: [0b1000n], irqchips: [irqchip('/b/c.c', 0x2f000000n, 32n, [0n, 1n << 12n, 0n, 0n])] });
    const sys = { ...system, cells: [...system.cells, analysis(gamma)] };
    const diags = [...checkSystem(sys).values()].flat();
    const reworded = diags.map((d, i) => ({ ...d, message: `finding #${i}` })).reverse();
    const byMessage = new Map(reworded.map((d) => [d.message, d]));
    const map = buildMemoryMap(sys, { diagnostics: reworded });

    const platform = map.conflicts.filter((c) => c.code === 'memory-overlap-platform');
    assert.equal(platform.length, 2);
    for (const c of platform) {
      const window = map.ranges[c.ranges[1]];
      assert.equal(window.cls, 'window');
      const other = (byMessage.get(c.message)!.data as { other: { start: string; end: string } }).other;
      assert.deepEqual([BigInt(other.start), BigInt(other.end)], [window.start, window.end], `${c.message} is about ${window.name}`);
    }
    const irqs = map.irqs.columns.filter((c) => c.conflict?.code === 'irq-shared');
    assert.deepEqual(irqs.map((c) => c.first), [76, 77]);
    for (const c of irqs) assert.ok((byMessage.get(c.conflict!.message)!.data as { irqs: number[] }).irqs.includes(c.first), `INTID ${c.first}: ${c.conflict!.message}`);
    const cpus = map.cpus.conflicts.filter((c) => c.conflict.code === 'cpu-shared');
    assert.deepEqual(cpus.map((c) => c.cpu), [2, 3]);
    for (const c of cpus) assert.ok((byMessage.get(c.conflict.message)!.data as { cpus: number[] }).cpus.includes(c.cpu), `CPU ${c.cpu}: ${c.conflict.message}`);
  });

  it('builds the CPU grid from the bitmaps', () => {
    const map = buildMemoryMap(board().system);
    assert.deepEqual(map.cpus.cpus, [0, 1, 2, 3]);
    assert.deepEqual(map.cpus.rows.map((r) => [r.lane, r.cpus]), [['root', [0, 1, 2, 3]], ['cell0', [2]], ['cell1', [2, 3]]]);
    assert.deepEqual(map.cpus.conflicts.map((c) => [c.cpu, c.conflict.code, c.conflict.lanes]), [[2, 'cpu-shared', ['cell0', 'cell1']]]);
  });

  it('flags CPUs and interrupts a cell holds that the root does not', () => {
    const { system, b } = board();
    b.cpus = [0b110000n];
    const map = buildMemoryMap(system);
    assert.deepEqual(map.cpus.conflicts.map((c) => [c.cpu, c.conflict.code]), [[4, 'cpu-not-in-root'], [5, 'cpu-not-in-root']]);
    b.irqchips[0].pin_bitmap = [0n, 0n, 0n, 1n];
    const irq = buildMemoryMap(system).irqs.columns.find((c) => c.first === 128);
    assert.equal(irq?.conflict?.code, 'irq-not-in-root');
  });

  it('puts on each interrupt the finding whose list holds it, not another pair\'s', () => {
    const { system, a, b } = board();
    a.irqchips[0].pin_bitmap = [0n, 0xfn << 12n, 0n, 0n];
    b.irqchips[0].pin_bitmap = [0n, 0xfn << 12n, 0n, 0n];
    const diags: Diag[] = [
      // Another pair's finding about one of the pins comes first.
      { code: 'irq-shared', severity: 'warning', message: 'interrupt 76 also belongs to cell "gamma"', loc: a.irqchips[0].$loc!, data: { file: '/b/a.c', chip: '0x2f000000', irqs: [76] } },
      { code: 'irq-shared', severity: 'warning', message: 'interrupts 76-79 also belong to cell "beta"', loc: a.irqchips[0].$loc!, related: [{ loc: b.irqchips[0].$loc!, message: '' }], data: { file: '/b/a.c', chip: '0x2f000000', irqs: [76, 77, 78, 79] } },
    ];
    const cols = buildMemoryMap(system, { diagnostics: diags }).irqs.columns.filter((c) => c.conflict);
    assert.deepEqual(
      cols.map((c) => [c.first, c.conflict?.message]),
      [
        [76, 'interrupt 76 also belongs to cell "gamma"'],
        [77, 'interrupts 76-79 also belong to cell "beta"'],
        [78, 'interrupts 76-79 also belong to cell "beta"'],
        [79, 'interrupts 76-79 also belong to cell "beta"'],
      ],
    );
  });

  it('groups interrupt pins into runs held by the same cells', () => {
    const map = buildMemoryMap(board().system);
    assert.equal(map.irqs.unit, 'INTID');
    assert.deepEqual(map.irqs.chips.map((c) => [c.address, c.ignored]), [[0x2f000000n, false]]);
    assert.deepEqual(
      map.irqs.columns.map((c) => [c.first, c.last, c.lanes, c.conflict?.code]),
      [
        [32, 76, ['root'], undefined],
        [77, 77, ['root', 'cell0', 'cell1'], 'irq-shared'],
        [78, 78, ['root', 'cell1'], undefined],
        [79, 95, ['root'], undefined],
      ],
    );
  });

  it('marks irqchips that are not the GIC distributor as ignored', () => {
    const { system, b } = board();
    b.irqchips.push(irqchip('/b/b.c', 0x12340000n, 32n, [1n, 0n, 0n, 0n]));
    const map = buildMemoryMap(system);
    assert.deepEqual(map.irqs.chips.map((c) => [c.address, c.ignored]), [[0x12340000n, true], [0x2f000000n, false]]);
    assert.ok(!map.irqs.columns.some((c) => c.chip === 0x12340000n && c.conflict));
  });

  it('draws x86 interrupt controllers and the local APIC as platform windows', () => {
    const root = systemModel({
      file: '/x/root.c',
      name: 'pc',
      arch: 'x86',
      cpus: [0xfn],
      regions: [region('/x/root.c', 0n, 0xa0000n, R | W | X, 'low RAM')],
      irqchips: [irqchip('/x/root.c', 0xfec00000n, 0n, [0xffffffn, 0n, 0n, 0n])],
    });
    const map = buildMemoryMap({ root: analysis(root), cells: [] });
    const windows = map.ranges.filter((r) => r.cls === 'window').map((r) => [r.start, r.end - r.start]);
    assert.deepEqual(windows, [[0xfec00000n, 0x1000n], [0xfee00000n, 0x1000n]]);
    assert.equal(map.irqs.unit, 'pin');
    assert.deepEqual(map.irqs.columns.map((c) => [c.first, c.last]), [[0, 23]]);
  });

  it('survives files without a model and systems without a root', () => {
    const cell = cellModel({ file: '/c/only.c', name: 'lonely', cpus: [1n], regions: [region('/c/only.c', 0x1000n, 0x1000n)] });
    const broken = { ...analysis(cell), file: '/c/broken.c', model: undefined };
    const map = buildMemoryMap({ cells: [analysis(cell), broken] });
    assert.deepEqual(map.lanes.map((l) => l.id), ['cell0']);
    assert.match(map.notes.join('\n'), /broken\.c/);
    assert.equal(map.title, 'Memory map of lonely');
    const empty = buildMemoryMap({ cells: [] });
    assert.equal(empty.ranges.length, 0);
    assert.equal(empty.lanes.length, 0);
  });

  it('saturates ranges that run past 2^64 instead of wrapping', () => {
    const cell = cellModel({ file: '/c/big.c', name: 'big', regions: [region('/c/big.c', 0xfffffffffffff000n, 0x2000n)] });
    const map = buildMemoryMap({ cells: [analysis(cell)] });
    assert.equal(map.ranges[0].end, 1n << 64n);
  });

  it('scales: 20k regions in 8 cells, bounded conflicts', () => {
    const cells = Array.from({ length: 8 }, (_, c) => {
      const file = `/s/c${c}.c`;
      const regions = Array.from({ length: 2500 }, (_, i) => region(file, BigInt(c * 2500 + i) * 0x10000n, 0x1000n, R | W));
      // Every cell's last region runs into the next cell's first one.
      regions.push(region(file, BigInt(c * 2500 + 2500) * 0x10000n - 0x800n, 0x1000n, R | W, 'spill'));
      return analysis(cellModel({ file, name: `c${c}`, cpus: [1n << BigInt(c + 1)], regions }));
    });
    const map = buildMemoryMap({ cells });
    assert.equal(map.ranges.length, 8 * 2501);
    assert.equal(map.conflicts.filter((c) => c.code === 'memory-overlap-cells').length, 7);
    assert.ok(map.gaps.length > 15000);
    // Renderers stay bounded: the SVG draws the lowest MAX_DRAWN_RANGES and says so; the text
    // table lists everything.
    const svg = renderSvg(map);
    assert.equal((svg.match(/class="region-g"/g) ?? []).length, MAX_DRAWN_RANGES);
    assert.match(svg, /Only the 20000 lowest of 20008 ranges are drawn/);
    assert.equal(renderText(map).split('\n').filter((l) => l.startsWith('0x')).length, map.ranges.length + map.gaps.length);
  });
});
