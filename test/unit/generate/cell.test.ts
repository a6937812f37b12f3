// `new cell`: cells generated from fixture systems are read by the engine without error, pass
// checkSystem with their root and the earlier cells, take other CPUs, RAM and links than the
// cells before them, and bad requests end in a CellProblem that says why.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bundledBoard, bundledBoards } from '../../../server/src/boards/registry';
import type { Analysis } from '../../../server/src/core/analysis';
import type { Board } from '../../../server/src/boards/types';
import { checkSystem } from '../../../server/src/rules';
import type { System } from '../../../server/src/workspace/system';
import { bitIds } from '../../../server/src/util/format';
import { boardForRoot, CellProblem, cellChoices, generateCell } from '../../../server/src/generate/cell';
import type { CellOptions } from '../../../server/src/generate/types';
import { boardCases, loadGenerateSystem } from './cellCases';
import { analyseCell, FIXTURES, rootAnalysis, systemErrors, systemOf, systemWarnings } from './cellSupport';

/** Errors and warnings of checkSystem, without and with the board's rules, as readable lines. */
function findings(system: System, board?: Board): string[] {
  const plain = systemWarnings(system).map((d) => `${d.loc.file}: ${d.message} [${d.code}]`);
  const withBoard = board ? [...checkSystem(system, { board }).values()].flat().filter((d) => d.severity === 'error' || d.severity === 'warning') : [];
  return [...systemErrors(system), ...plain, ...withBoard.map((d) => `${d.loc.file}: ${d.message} [${d.code}] (board rules)`)];
}

const KIWI = join(FIXTURES, 'kiwi/kiwi.c');
const FIG = join(FIXTURES, 'fig/fig.c');
const qemu = bundledBoard('qemu-arm64-virt')!;
const opi = bundledBoard('orangepi-zero')!;

/** Generates cells one after the other, each proved with the root and the cells before it. */
function chain(root: Analysis, list: CellOptions[], board = qemu): Analysis[] {
  const cells: Analysis[] = [];
  for (const o of list) {
    const g = generateCell(systemOf(root, cells), o, board);
    const a = analyseCell(root, g.fileName, g.text);
    cells.push(a);
    assert.deepEqual(systemErrors(systemOf(root, cells)), [], `${o.name}:\n${g.text}`);
  }
  return cells;
}

const ramOf = (a: Analysis) => a.model!.mem_regions.filter((r) => r.flags & 0x40n).map((r) => [r.phys_start, r.phys_start + r.size] as const);
const refusal = (f: () => unknown, re: RegExp, kind: 'input' | 'system' = 'input') =>
  assert.throws(f, (e: unknown) => e instanceof CellProblem && e.kind === kind && re.test(e.message));

describe('new cell: generated cells pass the engine and checkSystem', () => {
  it('kiwi with the qemu-arm64-virt board: cells with 1, 2 and 3 devices (the third a Linux cell)', () => {
    const root = rootAnalysis(KIWI);
    const cells = chain(root, [
      { name: 'one', devices: ['UART1'] },
      { name: 'two', devices: ['RTC', 'GPIO'] },
      { name: 'three', devices: ['UART0', 'FW_CFG', 'VIRTIO0'], linux: true, ramSize: 8n << 20n },
    ]);
    const three = cells[2].model!;
    // The root's debug UART (UART0) is the Linux cell's console; the others print nowhere.
    assert.equal(three.cell.console.address, 0x09000000n);
    assert.equal(cells[0].model!.cell.console.type, 0n);
    // Linux layout: a loader at guest 0 and RAM mapped 1:1 with DMA.
    const ram = three.mem_regions.filter((r) => r.flags & 0x40n);
    assert.deepEqual(ram.map((r) => r.virt_start === 0n), [true, false]);
    assert.equal(ram[1].virt_start, ram[1].phys_start);
    assert.ok(ram[1].flags & 0x8n, 'main RAM has JAILHOUSE_MEM_DMA');
  });

  it('fig (32-bit ARM, GICv2) with the orangepi-zero board: 1, 2 and 3 devices', () => {
    const root = rootAnalysis(FIG);
    const cells = chain(
      root,
      [
        { name: 'one', devices: ['UART1'], ramSize: 1n << 20n },
        { name: 'two', devices: ['UART2', 'I2C0'], ramSize: 1n << 20n },
        { name: 'three', devices: ['UART0', 'I2C1', 'SPI0'], ramSize: 4n << 20n },
      ],
      opi,
    );
    assert.equal(cells[2].model!.arch, 'arm');
    assert.equal(cells[2].model!.cell.console.address, 0x01c28000n);
  });

  it('without a board, devices are the root\'s named I/O regions (and carry no interrupts)', () => {
    const root = rootAnalysis(KIWI);
    const g = generateCell(systemOf(root), { name: 'plain', devices: ['uart1'] });
    const a = analyseCell(root, g.fileName, g.text);
    assert.deepEqual(systemErrors(systemOf(root, [a])), []);
    assert.ok(a.model!.mem_regions.some((r) => r.phys_start === 0x09010000n && r.flags & 0x10n));
    assert.ok(g.notes.some((n) => /carry no interrupts/.test(n)));
  });
});

describe('new cell: cells in a row', () => {
  it('the second takes another CPU, other RAM and the second link; the third gets no link and says so', () => {
    const root = rootAnalysis(KIWI);
    const [a, b] = chain(root, [{ name: 'a' }, { name: 'b' }]);
    const cpusA = bitIds(a.model!.cpus);
    const cpusB = bitIds(b.model!.cpus);
    assert.deepEqual(cpusA, [3]);
    assert.deepEqual(cpusB, [2]);
    const [ra] = ramOf(a);
    const [rb] = ramOf(b);
    assert.ok(ra[1] <= rb[0] || rb[1] <= ra[0], 'RAM of the two cells is disjoint');
    assert.deepEqual([a.model!.pci_devices[0].bdf, b.model!.pci_devices[0].bdf], [0n, 8n]);
    assert.equal(b.model!.pci_devices[0].shmem_dev_id, 1n);
    const third = generateCell(systemOf(root, [a, b]), { name: 'c' }, qemu);
    assert.ok(third.notes.some((n) => /no ivshmem link: every two-peer link of the root is taken/.test(n)), third.notes.join('\n'));
    assert.doesNotMatch(third.text, /pci_devices/);
  });

  it('the ivshmem-net link is written as JAILHOUSE_SHMEM_NET_REGIONS(start, 1); another layout region by region', () => {
    const root = rootAnalysis(KIWI);
    const g1 = generateCell(systemOf(root), { name: 'a' }, qemu);
    assert.match(g1.text, /JAILHOUSE_SHMEM_NET_REGIONS\(0x7f800000, 1\)/);
    const a = analyseCell(root, g1.fileName, g1.text);
    const g2 = generateCell(systemOf(root, [a]), { name: 'b' }, qemu);
    assert.doesNotMatch(g2.text, /SHMEM_NET_REGIONS/);
    assert.match(g2.text, /JAILHOUSE_SHMEM_PROTO_CUSTOM/);
  });
});

describe('new cell: choices', () => {
  it('lists free CPUs, the cell area, devices with SPIs and free links', () => {
    const root = rootAnalysis(KIWI);
    const c = cellChoices(systemOf(root), qemu);
    assert.equal(c.arch, 'arm64');
    assert.deepEqual(c.allCpus, [0, 1, 2, 3]);
    assert.deepEqual(c.freeCpus, [0, 1, 2, 3]);
    assert.equal(c.cellArea?.name, 'RAM for cells (kept from Linux)');
    assert.deepEqual(c.freeRam, [{ start: 0x7c000000n, size: 0x03000000n }]);
    assert.deepEqual(c.ivshmemLinks.map((l) => l.bdf), [0, 8]);
    const uart = c.devices.find((d) => d.name === 'UART1');
    assert.deepEqual(uart?.irqs, [8]);
    assert.ok(!c.devices.some((d) => d.name === 'GIC'), 'the interrupt controller is not a device a cell takes');
  });

  it('a root without a RAM region named for cells says why and takes --ram-start', () => {
    const rootFile = join(__dirname, '../../../examples/acme-zeta/acme-zeta.c');
    const root = rootAnalysis(rootFile);
    const cells = ['acme-zeta-rtos.c', 'acme-zeta-linux.c'].map((f) => rootAnalysis(join(rootFile, '..', f)));
    const c = cellChoices(systemOf(root, cells));
    assert.match(c.cellAreaProblem ?? '', /no root RAM region is named for cells.*--ram-start/);
    assert.deepEqual(c.freeRam, []);
    refusal(() => generateCell(systemOf(root, cells), { name: 'x' }), /--ram-start/);
    const sibling = ramOf(cells[0])[0][0];
    refusal(() => generateCell(systemOf(root, cells), { name: 'x', ramStart: sibling }), /is used already/);
    const g = generateCell(systemOf(root, cells), { name: 'x', ramStart: 0x70000000n, cpus: [1], ramSize: 1n << 20n });
    const a = analyseCell(root, g.fileName, g.text);
    assert.deepEqual(systemErrors(systemOf(root, [...cells, a])), []);
    assert.ok(g.notes.some((n) => /keep root Linux off it/.test(n)));
  });

  it('boardForRoot: kiwi is qemu-arm64-virt, fig is orangepi-zero', () => {
    assert.equal(boardForRoot(rootAnalysis(KIWI).model!, KIWI, bundledBoards()).board?.id, 'qemu-arm64-virt');
    assert.equal(boardForRoot(rootAnalysis(FIG).model!, FIG, bundledBoards()).board?.id, 'orangepi-zero');
  });
});

describe('new cell: bad requests are refused with a reason', () => {
  const root = rootAnalysis(KIWI);
  it('no free CPU', () => {
    const cells = chain(root, [{ name: 'a', ramSize: 1n << 20n }, { name: 'b', ramSize: 1n << 20n }, { name: 'c', ramSize: 1n << 20n }]);
    refusal(() => generateCell(systemOf(root, cells), { name: 'd' }, qemu), /no CPU is free.*root must keep one/);
    refusal(() => generateCell(systemOf(root), { name: 'd', cpus: [0, 1, 2, 3] }, qemu), /leave the root no CPU/);
    refusal(() => generateCell(systemOf(root, cells), { name: 'd', cpus: [3] }, qemu), /CPU 3 is taken/);
    refusal(() => generateCell(systemOf(root), { name: 'd', cpus: [7] }, qemu), /CPU 7 is not a CPU of the root/);
  });
  it('RAM larger than the free cell area', () => {
    refusal(() => generateCell(systemOf(root), { name: 'big', ramSize: 64n << 20n }, qemu), /64 MiB .* does not fit in the cell area .*largest free piece is 48 MiB/);
    refusal(() => generateCell(systemOf(rootAnalysis(FIG)), { name: 'big' }, opi), /16 MiB .* does not fit/);
    refusal(() => generateCell(systemOf(root), { name: 'odd', ramSize: 0x1234n }, qemu), /multiple of 4 KiB/);
  });
  it('an unknown device, listing the known ones', () => {
    refusal(() => generateCell(systemOf(root), { name: 'x', devices: ['UART9'] }, qemu), /unknown device "UART9" in board qemu-arm64-virt; known: .*UART0, .*UART1/);
    refusal(() => generateCell(systemOf(root), { name: 'x', devices: ['UART9'] }), /unknown device "UART9" .*known: UART0, UART1, GPIO/);
  });
  it('a device another cell owns', () => {
    const g = generateCell(systemOf(root), { name: 'own', devices: ['UART1'] }, qemu);
    const own = analyseCell(root, g.fileName, g.text.replace('JAILHOUSE_MEM_IO | JAILHOUSE_MEM_ROOTSHARED', 'JAILHOUSE_MEM_IO'));
    refusal(() => generateCell(systemOf(root, [own]), { name: 'x', devices: ['UART1'] }, qemu), /UART1 is taken by cell "own"/);
  });
  it('a root with errors, a cell given as the root, no root, an x86 root', () => {
    const broken = rootAnalysis(KIWI.replace('kiwi.c', 'broken.c'), readFileSync(KIWI, 'utf8').replace('.pci_is_virtual = 1,', '.pci_is_virtual = 1, .no_such_field = 2,'));
    refusal(() => generateCell(systemOf(broken), { name: 'x' }, qemu), /has 1 error.*no_such_field|has 1 error/, 'system');
    const cell = rootAnalysis(join(__dirname, '../../../examples/acme-zeta/acme-zeta-rtos.c'));
    refusal(() => cellChoices(systemOf(cell)), /is a cell configuration, not a system/);
    refusal(() => cellChoices({ cells: [cell] }), /no root cell configuration/);
    const x86 = rootAnalysis(join(__dirname, '../../fixtures/engine/x86-wombat.c'));
    refusal(() => generateCell(systemOf(x86), { name: 'x' }), /x86 systems are not supported/);
  });
  it('bad names', () => {
    refusal(() => generateCell(systemOf(root), { name: 'kiwi' }, qemu), /named "kiwi" exists/);
    refusal(() => generateCell(systemOf(root), { name: 'x'.repeat(32) }, qemu), /at most 31/);
    refusal(() => generateCell(systemOf(root), { name: 'a"b' }, qemu), /printable ASCII/);
  });
});

describe('new cell: on a root generated from every bundled board', () => {
  it('cells with 1, 2 and 3 devices (the third a Linux cell): no engine error, no checkSystem error', async (t) => {
    const cases = await boardCases();
    if (!cases) {
      t.skip('the root generator (server/src/generate/system.ts) is not in this tree');
      return;
    }
    assert.ok(cases.length >= 7, `only ${cases.length} boards`);
    for (const c of cases) {
      assert.deepEqual(systemErrors(systemOf(c.root)), [], `${c.label}: the generated root itself`);
      c.cells.forEach((cell, i) => {
        assert.equal(cell.options.devices?.length, i + 1, `${c.label}: the board offers too few devices`);
        const system = systemOf(c.root, c.cells.slice(0, i + 1).map((x) => x.analysis));
        assert.deepEqual(systemErrors(system), [], `${c.label} ${cell.options.name}:\n${cell.generated.text}`);
        // The root owns every SPI the board names (disabled devices' too) and the cells' virtual PCI block.
        assert.deepEqual(findings(system, c.board), [], `${c.label} ${cell.options.name} (${cell.options.devices?.join(', ')})`);
      });
      // The root's one ivshmem link goes to the first cell, with an INTx line it owns.
      const first = c.cells[0].analysis.model!;
      assert.deepEqual(first.pci_devices.map((d) => d.shmem_dev_id), [1n], `${c.label}: the first cell joins the root's link`);
      assert.deepEqual(c.cells.slice(1).map((x) => x.analysis.model!.pci_devices.length), [0, 0]);
      // Three cells, three CPUs, three disjoint RAM blocks.
      const cpus = c.cells.flatMap((x) => bitIds(x.analysis.model!.cpus));
      assert.equal(new Set(cpus).size, 3, `${c.label}: CPUs ${cpus}`);
    }
    t.diagnostic(`${cases.length} boards × 3 cells: no error, no warning`);
  });

  it('root (defaults, and 3 links) + cells with no device: no error and no warning; the cell on link k takes the root\'s block vpci_irq_base + 4 + 4k', async (t) => {
    const generateSystem = await loadGenerateSystem();
    if (!generateSystem) {
      t.skip('the root generator (server/src/generate/system.ts) is not in this tree');
      return;
    }
    const boards = bundledBoards().filter((b) => b.arch !== 'x86');
    assert.ok(boards.length >= 7);
    const work = mkdtempSync(join(tmpdir(), 'jhcell-newcell-bare-'));
    for (const board of boards) {
      for (const links of [1, 3]) {
        const g = generateSystem(board, { ivshmemLinks: links });
        const root = rootAnalysis(join(work, `${board.id}-${links}`, g.fileName), g.text);
        const rootVpci = Number(root.model!.cell.vpci_irq_base);
        const cells: Analysis[] = [];
        for (let k = 0; k < links; k++) {
          // 1 MiB, and once 32 MiB: more than 16 MiB of loadable RAM is what linux-ram reads as a kernel's.
          const cell = generateCell(systemOf(root, cells), { name: `bare${k}`, ramSize: k === 1 ? 32n << 20n : 1n << 20n }, board);
          cells.push(analyseCell(root, cell.fileName, cell.text));
          const m = cells[k].model!;
          assert.equal(Number(m.cell.vpci_irq_base), rootVpci + 4 + 4 * k, `${board.id}, ${links} links, cell ${k}`);
          assert.ok(cell.notes.some((n) => n.includes('the block the root keeps for this link')), cell.notes.join('\n'));
          assert.deepEqual(findings(systemOf(root, cells), board), [], `${board.id}, ${links} links, cell ${k}:\n${cell.text}`);
        }
      }
    }
  });

  it('a cell taking a device the device tree disables: a note, and still no warning (the root owns its SPI)', () => {
    const imx = bundledBoard('imx8mm-evk')!;
    const off = imx.devices.find((d) => d.disabled && d.name === 'UART4');
    assert.ok(off, 'imx8mm-evk lists UART4 as disabled');
    return loadGenerateSystem().then((generateSystem) => {
      if (!generateSystem) return;
      const g = generateSystem(imx, {});
      const root = rootAnalysis(join(mkdtempSync(join(tmpdir(), 'jhcell-newcell-off-')), g.fileName), g.text);
      const cell = generateCell(systemOf(root), { name: 'rtos', devices: ['UART4'] }, imx);
      assert.ok(cell.notes.some((n) => /UART4 is disabled in the board's device tree/.test(n)));
      assert.ok(!cell.notes.some((n) => /not in the root's irqchips|does not own/.test(n)), cell.notes.join('\n'));
      assert.deepEqual(findings(systemOf(root, [analyseCell(root, cell.fileName, cell.text)]), imx), []);
    });
  });
});
