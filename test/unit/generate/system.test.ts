// The root generator's pieces: carve-out planning on odd RAM layouts, window merging, SPI
// bitmaps and the virtual PCI SPIs, the console from stdout-path, sizes; bad boards and options
// end in a GenerateError that says what is missing.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { bundledBoard } from '../../../server/src/boards/registry';
import type { Board, BoardDevice } from '../../../server/src/boards/types';
import { chooseConsole } from '../../../server/src/generate/console';
import { planIoRegions } from '../../../server/src/generate/ioRegions';
import { irqchipsFor, vpciIrqBase } from '../../../server/src/generate/irqs';
import { planCarveOut } from '../../../server/src/generate/layout';
import { memParameter, reservedMemoryNode } from '../../../server/src/generate/notes';
import { parseSize } from '../../../server/src/generate/sizes';
import { generateSystem } from '../../../server/src/generate/system';
import { boardAgreement, writeAndAnalyse } from './systemSupport';
import { bitIds } from '../../../server/src/util/format';

const M = 1n << 20n;
const G = 1n << 30n;
const dev = (name: string, base: bigint, size: bigint, spis: number[] = [], extra: Partial<BoardDevice> = {}): BoardDevice => ({
  name,
  compatible: [],
  reg: [{ base, size }],
  interrupts: spis.map((number) => ({ type: 'spi' as const, number })),
  ...extra,
});

function tiny(extra: Partial<Board> = {}): Board {
  return {
    id: 'tiny',
    name: 'Tiny board',
    arch: 'arm64',
    source: { description: 'test' },
    cpus: { count: 2 },
    ram: [{ base: 0x80000000n, size: 512n * M }],
    interruptController: { type: 'gic', version: 2, gicd: 0x2c001000n, gicc: 0x2c002000n, gich: 0x2c004000n, gicv: 0x2c006000n, maintenancePpi: 9 },
    devices: [
      dev('GIC', 0x2c001000n, 0x1000n),
      dev('UART0', 0x1c090000n, 0x1000n, [5], { compatible: ['arm,pl011'] }),
      dev('UART1', 0x1c091000n, 0x1000n, [6], { compatible: ['arm,pl011'] }),
      dev('GPIO', 0x1c092000n, 0x100n, [7]),
      dev('GPIO_B', 0x1c092800n, 0x100n, [7]),
    ],
    console: { device: 'UART1' },
    ...extra,
  };
}

const err = (re: RegExp) => (e: Error) => e.name === 'GenerateError' && re.test(e.message);

describe('carve-out planning', () => {
  it('one bank: hypervisor at the top, the cells below it from a 2 MiB boundary, links below them', () => {
    const c = planCarveOut([{ base: 0x40000000n, size: 2n * G }], { hypervisorSize: 4n * M, cellRamSize: 64n * M, links: 2 });
    assert.deepEqual(c.hypervisor, { start: 0xbfc00000n, end: 0xc0000000n });
    assert.deepEqual(c.cells, { start: 0xbbc00000n, end: 0xbfc00000n });
    assert.deepEqual(c.links, [{ start: 0xbba00000n, end: 0xbbb00000n }, { start: 0xbbb00000n, end: 0xbbc00000n }]);
    assert.deepEqual(c.linuxRam, [{ start: 0x40000000n, end: 0xbba00000n }]);
    assert.equal(memParameter(c), `mem=${(0xbba00000 - 0x40000000) / 0x100000}M`);
  });
  it('several banks: the highest RAM below 4 GiB, a bank across 4 GiB split; mem= impossible', () => {
    const c = planCarveOut([{ base: 0x800000000n, size: 2n * G }, { base: 0n, size: 2n * G }], { hypervisorSize: 4n * M, links: 1 });
    assert.equal(c.hypervisor.end, 0x80000000n);
    assert.equal(c.cells.end - c.cells.start, 256n * M);
    assert.equal(c.linuxRam.length, 2);
    assert.equal(memParameter(c), undefined);
    const across = planCarveOut([{ base: 0x40000000n, size: 6n * G }], { hypervisorSize: 4n * M, cellRamSize: 16n * M, links: 0 });
    assert.equal(across.hypervisor.end, 0x100000000n);
    assert.deepEqual(across.linuxRam, [{ start: 0x40000000n, end: 0xfec00000n }, { start: 0x100000000n, end: 0x1c0000000n }]);
  });
  it('only RAM above 4 GiB: the top of the highest bank; a bank too small is passed over', () => {
    const c = planCarveOut([{ base: 0x880000000n, size: 1n * G }, { base: 0x10000000n, size: 16n * M }], { hypervisorSize: 4n * M, cellRamSize: 32n * M, links: 1 });
    assert.equal(c.hypervisor.end, 0x8c0000000n);
  });
  it('an odd bank end: aligned down to 2 MiB, what is above stays Linux RAM', () => {
    const c = planCarveOut([{ base: 0x40000000n, size: 0x3ff0_0000n }], { hypervisorSize: 4n * M, cellRamSize: 16n * M, links: 1 });
    assert.equal(c.hypervisor.end, 0x7fe00000n);
    assert.deepEqual(c.linuxRam[c.linuxRam.length - 1], { start: 0x7fe00000n, end: 0x7ff00000n });
  });
  it('refuses RAM too small, no RAM, and sizes that cannot be', () => {
    assert.throws(() => planCarveOut([{ base: 0n, size: 64n * M }], { hypervisorSize: 4n * M, cellRamSize: 32n * M, links: 1 }), err(/has no bank that holds .*leaves Linux at least 64 MiB/));
    assert.throws(() => planCarveOut([], { hypervisorSize: 4n * M, links: 1 }), err(/lists no RAM/));
    assert.throws(() => planCarveOut([{ base: 0n, size: G }], { hypervisorSize: 0x1234n, links: 1 }), err(/not a positive multiple of the 4 KiB page/));
    assert.throws(() => planCarveOut([{ base: 0n, size: G }], { hypervisorSize: 4n * M, cellRamSize: 0n, links: 1 }), err(/must not be empty/));
  });
  it('the reserved-memory node has the real addresses, 2 cells on arm64 and 1 on arm', () => {
    const c = planCarveOut([{ base: 0x40000000n, size: 2n * G }], { hypervisorSize: 4n * M, cellRamSize: 64n * M, links: 1 });
    const n64 = reservedMemoryNode(c, 'arm64');
    assert.match(n64, /jailhouse@bfc00000 \{\n\t\treg = <0x0 0xbfc00000 0x0 0x400000>;\n\t\tno-map;/);
    assert.match(n64, /jailhouse-cells@bbc00000 \{\n\t\treg = <0x0 0xbbc00000 0x0 0x4000000>;/);
    assert.match(n64, /jailhouse-ivshmem@bbb00000/);
    assert.match(reservedMemoryNode(c, 'arm'), /#address-cells = <1>;[\s\S]*reg = <0xbfc00000 0x400000>;/);
  });
});

describe('device regions', () => {
  it('merges windows that share a page or touch, names every device, keeps out RAM and the PCI window; the GIC\'s own device is not mapped', () => {
    const b = tiny({ devices: [...tiny().devices, dev('INRAM', 0x80001000n, 0x1000n), dev('NEARPCI', 0x30000000n, 0x2000n)] });
    const p = planIoRegions(b, [{ what: 'RAM', span: { start: 0x80000000n, end: 0xa0000000n } }, { what: 'the virtual PCI window', span: { start: 0x30001000n, end: 0x30002000n } }]);
    const byName = (n: string) => p.regions.filter((r) => r.devices.includes(n));
    assert.deepEqual(byName('UART0')[0], { span: { start: 0x1c090000n, end: 0x1c093000n }, devices: ['UART0', 'UART1', 'GPIO', 'GPIO_B'] });
    assert.deepEqual(byName('NEARPCI'), [{ span: { start: 0x30000000n, end: 0x30001000n }, devices: ['NEARPCI'] }]);
    assert.ok(!p.regions.some((r) => r.devices.includes('GIC')));
    assert.deepEqual(p.skipped.map((s) => s.replace(/ \(.*?\)/, '')), ['NEARPCI is only partly mapped: it overlaps the virtual PCI window', 'INRAM is not mapped: it overlaps RAM']);
  });
});

describe('interrupts', () => {
  it('one irqchip per 128 INTIDs, bits at INTID - pin_base', () => {
    const chips = irqchipsFor([32, 33, 63, 64, 159, 160, 300]);
    assert.deepEqual(chips.map((c) => c.pinBase), [32, 160, 288]);
    assert.deepEqual(chips[0].bitmap, [0x80000003n, 0x1n, 0n, 0x80000000n]);
    assert.deepEqual(chips[1].bitmap, [1n, 0n, 0n, 0n]);
    assert.deepEqual(chips[2].bitmap, [1n << 12n, 0n, 0n, 0n]);
  });
  it('virtual PCI SPIs: the first four free, disabled devices counted; above the highest only without a gap', () => {
    const b = tiny({ devices: [dev('A', 0x1000n, 0x1000n, [0, 1, 2, 3, 5]), dev('B', 0x2000n, 0x1000n, [9, 10], { disabled: true }), dev('C', 0x3000n, 0x1000n, [20])] });
    assert.deepEqual(vpciIrqBase(b), { base: 11, cellBase: 15, cellCount: 0, beyondUsed: false });
    assert.deepEqual(vpciIrqBase(tiny({ devices: [dev('A', 0x1000n, 0x1000n, [0, 1, 2, 3, 4])] })), { base: 5, cellBase: 9, cellCount: 0, beyondUsed: true });
  });
  it('virtual PCI SPIs: 4 for the root and 4 per link for the cells, in one gap; above the highest when no gap holds them all', () => {
    const b = tiny({ devices: [dev('A', 0x1000n, 0x1000n, [0, 1, 2, 3, 5]), dev('B', 0x2000n, 0x1000n, [9, 10], { disabled: true }), dev('C', 0x3000n, 0x1000n, [30])] });
    // 6..8 is too short for 8; 11..29 holds 19 lines: 4 + 3 × 4, not 4 + 4 × 4.
    assert.deepEqual(vpciIrqBase(b, 1), { base: 11, cellBase: 15, cellCount: 4, beyondUsed: false });
    assert.deepEqual(vpciIrqBase(b, 3), { base: 11, cellBase: 15, cellCount: 12, beyondUsed: false });
    assert.deepEqual(vpciIrqBase(b, 4), { base: 31, cellBase: 35, cellCount: 16, beyondUsed: true });
  });
  it('the root owns every SPI the board names (disabled devices too), its virtual PCI INTx and the cells\' block after them', () => {
    const b = tiny({ devices: [...tiny().devices, dev('OFF', 0x1c100000n, 0x1000n, [40], { disabled: true })] });
    const used = new Set(b.devices.flatMap((d) => d.interrupts.map((q) => q.number)));
    const g = generateSystem(b, { ivshmemLinks: 2 });
    const { analysis } = writeAndAnalyse(g);
    const m = analysis.model!;
    const owned = m.irqchips.flatMap((c) => bitIds(c.pin_bitmap, 32).map((k) => Number(c.pin_base) + k - 32));
    const base = Number(m.cell.vpci_irq_base);
    // The root's INTx lines are base + (device & 3) for its two links; the cells' 8 follow its 4.
    const block = [base, base + 1, ...Array.from({ length: 8 }, (_, i) => base + 4 + i)];
    assert.deepEqual(owned, [...new Set([...used, ...block])].sort((x, y) => x - y));
    assert.ok([base + 2, base + 3, ...block].every((n) => !used.has(n)), `block ${block} crosses a device SPI`);
    assert.match(g.text, new RegExp(`SPIs ${base + 4}\\.\\.${base + 11} \\(INTIDs ${base + 36}\\.\\.${base + 43}\\) are kept for the cells' virtual PCI INTx, 4 per ivshmem link`));
    assert.ok(g.notes.some((n) => n.includes(`kept for the cells' virtual PCI INTx (4 per link: the cell on link k takes vpci_irq_base ${base + 4} + 4k`)), g.notes.join('\n'));
    assert.ok(g.notes.some((n) => /Disabled in the device tree.*their SPIs are the root's.*OFF/.test(n)));
  });
  it('a board whose SPIs span two irqchips gets both, with every device SPI', () => {
    const b = tiny({ devices: [...tiny().devices, dev('HIGH', 0x1d000000n, 0x1000n, [200])] });
    const g = generateSystem(b);
    const { analysis } = writeAndAnalyse(g);
    assert.deepEqual(analysis.model!.irqchips.map((c) => Number(c.pin_base)), [32, 160]);
    assert.deepEqual(boardAgreement(b, g, analysis), []);
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
  });
});

describe('console', () => {
  it('from stdout-path, --console by name, label or address; type and flags from the compatible', () => {
    const k3 = bundledBoard('k3-am625-sk')!;
    const c = chooseConsole(k3);
    assert.equal(c.device.name, 'MAIN_UART0');
    assert.equal(c.type, 'JAILHOUSE_CON_TYPE_8250');
    assert.deepEqual(c.flags, ['JAILHOUSE_CON_ACCESS_MMIO', 'JAILHOUSE_CON_REGDIST_4', 'JAILHOUSE_CON_MDR_QUIRK']);
    assert.equal(chooseConsole(bundledBoard('imx8mm-evk')!, 'uart1').device.name, 'UART1');
    assert.equal(chooseConsole(bundledBoard('imx8mm-evk')!, '0x30880000').device.name, 'UART3');
    assert.equal(chooseConsole(bundledBoard('zynqmp-zcu102')!).type, 'JAILHOUSE_CON_TYPE_XUARTPS');
    assert.equal(chooseConsole(bundledBoard('rpi4')!).device.name, 'UART1');
    assert.equal(chooseConsole(bundledBoard('imx8mm-evk')!).type, 'JAILHOUSE_CON_TYPE_IMX');
  });
  it('without stdout-path the first enabled UART with a driver; refusals name the device', () => {
    const { console: _c, ...rest } = tiny();
    assert.equal(chooseConsole(rest as Board).device.name, 'UART0');
    assert.throws(() => chooseConsole(tiny(), 'nope'), err(/--console nope: the board tiny has no device/));
    assert.throws(() => chooseConsole(tiny(), 'GPIO'), err(/GPIO .* is no UART the hypervisor has a driver for/));
  });
});

describe('sizes', () => {
  it('hex, decimal, K/M/G with or without iB', () => {
    assert.equal(parseSize('0x400000'), 4n * M);
    assert.equal(parseSize('4194304'), 4n * M);
    assert.equal(parseSize('4M'), 4n * M);
    assert.equal(parseSize('64MiB'), 64n * M);
    assert.equal(parseSize('1g'), G);
    assert.equal(parseSize('512K'), 512n * 1024n);
    for (const bad of ['', 'M', '4X', '-1', '0x', '1.5G', '99999999999999999999G']) assert.equal(parseSize(bad), undefined, bad);
  });
});

describe('bad boards', () => {
  it('no GIC, a GICv2 without its interfaces, no RAM, x86, a bad name: a message, never a crash', () => {
    const { interruptController: _ic, ...noGic } = tiny();
    assert.throws(() => generateSystem(noGic as Board), err(/has no interrupt controller: a arm64 root cell needs the GIC/));
    assert.throws(() => generateSystem(tiny({ interruptController: { type: 'gic', version: 2, gicd: 0x2c001000n, gicc: 0x2c002000n } })), err(/lacks gich, gicv/));
    assert.throws(() => generateSystem(tiny({ ram: [] })), err(/lists no RAM/));
    assert.throws(() => generateSystem(bundledBoard('qemu-x86-q35')!), err(/x86 root cells are not generated from a board/));
    assert.throws(() => generateSystem(tiny(), { name: 'x'.repeat(32) }), err(/1 to 31 characters/));
    assert.throws(() => generateSystem(tiny(), { ivshmemLinks: 40 }), err(/give 0 to 32/));
  });
  it('the hypervisor size follows the pool estimate: 16 CPUs need no more than the floor, --hypervisor-size is kept', () => {
    const g = generateSystem(bundledBoard('qemu-arm64-virt')!);
    assert.match(g.text, /\.size = 0x400000,/);
    assert.match(g.notes[1], /page-pool floor of this root is \d+ KiB \(\d+ pages\)/);
    const small = generateSystem(tiny(), { hypervisorSize: 0x10000n });
    assert.match(small.notes[1], /less than the floor: `jailhouse enable` will fail/);
  });
});
