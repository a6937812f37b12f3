// Board-aware completion, hover and diagnostics on an invented system (mini-root.c + mini-demo.c)
// with the bundled imx8mm-evk board, and with the root cell serving as the board.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { boardCompletions } from '../../../server/src/features/boards/complete';
import { boardDiagnostics } from '../../../server/src/rules/boards/diagnostics';
import { boardFixes } from '../../../server/src/rules/boards/fixes';
import { boardHover } from '../../../server/src/features/boards/hover';
import { bundledBoard } from '../../../server/src/boards/registry';
import { boardFromRootCell } from '../../../server/src/boards/rootBoard';
import { analyze } from '../../../server/src/engine/analyze';
import type { Analysis } from '../../../server/src/core/analysis';
import { Doc } from '../../../server/src/features/context';
import { FIXTURES } from './helpers';

const CELLS = join(FIXTURES, 'cells');
const rootPath = join(CELLS, 'mini-root.c');
const demoPath = join(CELLS, 'mini-demo.c');
const rootText = readFileSync(rootPath, 'utf8');
const demoText = readFileSync(demoPath, 'utf8');
const board = bundledBoard('imx8mm-evk')!;

function setup(text = demoText) {
  const root = analyze(rootPath, rootText);
  const cell = analyze(demoPath, text);
  const system = { root, cells: [cell] };
  return { root, cell, system, doc: new Doc(cell, text) };
}

const at = (text: string, marker: string, delta = 0) => {
  const i = text.indexOf(marker);
  assert.ok(i >= 0, marker);
  return i + delta;
};

test('region completion offers devices with the right flags and comment name', () => {
  const { doc, system } = setup();
  const items = boardCompletions(doc, at(demoText, '/* communication region */'), { board, system });
  const uart2 = items.find((i) => i.label.startsWith('UART2 '));
  assert.ok(uart2, items.map((i) => i.label).join('\n'));
  assert.equal(uart2.label, 'UART2 · 0x30890000 · 64 KiB · SPI 27');
  assert.match(uart2.insertText, /^\/\* UART2 \*\/ \{/);
  assert.match(uart2.insertText, /\.phys_start = 0x30890000,/);
  assert.match(uart2.insertText, /\.size = 0x10000,/);
  assert.match(uart2.insertText, /JAILHOUSE_MEM_IO \| JAILHOUSE_MEM_ROOTSHARED/, 'the root maps UART2');
  const uart1 = items.find((i) => i.label.startsWith('UART1 '))!;
  assert.ok(!uart1.insertText.includes('ROOTSHARED'), 'the root does not map UART1');
  assert.ok(!items.some((i) => i.label.startsWith('GIC')), 'the GIC is emulated, never mapped');
  // Enabled devices sort before devices disabled in the board DT.
  const uart4 = items.find((i) => i.label.startsWith('UART4 '))!;
  assert.ok(uart2.sortText! < uart4.sortText!);
  assert.match(uart4.detail ?? '', /disabled/);
});

test('region completion offers the root RAM no cell uses, largest first', () => {
  const { doc, system } = setup();
  const ram = boardCompletions(doc, at(demoText, '/* communication region */'), { board, system }).filter((i) => i.label.startsWith('RAM '));
  assert.deepEqual(ram.map((i) => i.label), ['RAM · 0x40000000 · 1.75 GiB free', 'RAM · 0xb1000000 · 108 MiB free']);
  assert.match(ram[0].insertText, /JAILHOUSE_MEM_LOADABLE/);
});

test('CPU completion offers the root CPUs other cells do not use', () => {
  const { doc, system } = setup();
  const items = boardCompletions(doc, at(demoText, '0x8,\n\t},'), { board, system });
  assert.deepEqual(items.map((i) => i.label), ['0b1110', '1 << 0', '1 << 1', '1 << 2', '1 << 3']);
});

test('irqchip completion grants the interrupts of the devices the cell maps', () => {
  const text = demoText.replace('(1 << (29 + 32 - 32)) | (1 << (28 + 32 - 32))', '0');
  const { doc, system } = setup(text);
  const items = boardCompletions(doc, at(text, '/* GIC: UART4'), { board, system });
  assert.equal(items.length, 1);
  assert.match(items[0].insertText, /\.address = 0x38800000,/);
  assert.match(items[0].insertText, /\.pin_base = 32,/);
  assert.match(items[0].insertText, /0x20000000, \/\* UART4: SPI 29 \*\//);
  // Already granted interrupts are not offered again.
  const { doc: d2, system: s2 } = setup();
  assert.deepEqual(boardCompletions(d2, at(demoText, '/* GIC: UART4'), { board, system: s2 }), []);
});

test('hover on an address names the device, its interrupt and who maps it', () => {
  const { doc, system } = setup();
  const h = boardHover(doc, at(demoText, '0x30a60000', 3), { board, system })!;
  assert.ok(h);
  assert.match(h.markdown, /\*\*UART4\*\*/);
  assert.match(h.markdown, /fsl,imx8mm-uart/);
  assert.match(h.markdown, /SPI 29 \(INTID 61\)/);
  assert.match(h.markdown, /`0x30a60000`–`0x30a6ffff` \(64 KiB\)/);
  assert.match(h.markdown, /root "mini" \(region 1\)/);
  assert.match(h.markdown, /"mini-demo" \(region 0\)/);
});

test('hover stays quiet on sizes and flags, and on guest-physical addresses', () => {
  const { doc, system, root } = setup();
  // `.size = 0x77c00000` read as an address would land in the RAM bank; it is a size.
  const rootDoc = new Doc(root, rootText);
  assert.equal(boardHover(rootDoc, at(rootText, '.size = 0x77c00000', 9), { board, system }), undefined);
  assert.ok(boardHover(rootDoc, at(rootText, '.phys_start = 0x40000000', 16), { board, system }), 'an address does hover');
  // The communication page's guest address is no physical address.
  assert.equal(boardHover(doc, at(demoText, '.virt_start = 0x80000000', 16), { board, system }), undefined);
});

test('hover on an interrupt bit names the devices raising it', () => {
  const { doc, system } = setup();
  const h = boardHover(doc, at(demoText, '(1 << (29'), { board, system })!;
  assert.match(h.markdown, /INTID 61 \(SPI 29\): \*\*UART4\*\*/);
  assert.match(h.markdown, /INTID 60 \(SPI 28\): \*\*UART3\*\*/);
  assert.match(h.markdown, /also granted to "mini"/);
});

test('hover on a region says which devices it covers, and how', () => {
  const { doc, system } = setup();
  const h = boardHover(doc, at(demoText, '/* part of GPIO1 */ {', 20), { board, system })!;
  assert.match(h.markdown, /\*\*GPIO1\*\*/);
  assert.match(h.markdown, /covers it \*\*partly\*\*/);
});

test('diagnostics: a region starting inside a device, an interrupt of an unmapped device', () => {
  const { cell, system } = setup();
  const diags = boardDiagnostics(cell, { board, system });
  const partial = diags.filter((d) => d.code === 'board-partial-device');
  assert.equal(partial.length, 1);
  assert.equal(partial[0].severity, 'information');
  assert.match(partial[0].message, /Region 1 \(part of GPIO1\) starts at 0x30208000, inside GPIO1/);
  assert.equal(demoText.slice(partial[0].loc.start, partial[0].loc.end), '0x30208000');
  const uncovered = diags.filter((d) => d.code === 'board-device-uncovered');
  assert.equal(uncovered.length, 1, JSON.stringify(uncovered));
  assert.equal(uncovered[0].severity, 'warning');
  assert.match(uncovered[0].message, /SPI 28 of UART3/);
  // The root cell grants everything: no uncovered-device noise there.
  const rootDiags = boardDiagnostics(system.root as Analysis, { board, system });
  assert.equal(rootDiags.filter((d) => d.code === 'board-device-uncovered').length, 0);
});

test('the root cell serves as the board when the client sends none', () => {
  const { root, doc, system } = setup();
  const rb = boardFromRootCell(root.model!)!;
  assert.equal(rb.name, 'mini (root cell)');
  assert.deepEqual(rb.devices.map((d) => d.name), ['UART2', 'UART4', 'GPIO1']);
  assert.deepEqual(rb.ram, [{ base: 0x40000000n, size: 0x77c00000n }]);
  assert.equal(rb.cpus.count, 4);
  assert.deepEqual(rb.interruptController, { type: 'gic', version: 3, gicd: 0x38800000n, gicr: 0x38880000n, maintenancePpi: 9 });
  const items = boardCompletions(doc, at(demoText, '/* communication region */'), { system });
  const u2 = items.find((i) => i.label.startsWith('UART2 '))!;
  assert.match(u2.insertText, /ROOTSHARED/);
  const h = boardHover(doc, at(demoText, '0x30a60000', 3), { system })!;
  assert.match(h.markdown, /Board: mini \(root cell\)/);
  assert.match(h.markdown, /\*\*UART4\*\*/);
  // Without a root and without a board, the features stay quiet.
  assert.deepEqual(boardCompletions(doc, at(demoText, '/* communication region */'), {}), []);
});

test('x86: PIO ranges of the board, IOAPIC pins of unmapped devices, pin hover', () => {
  const q35 = bundledBoard('qemu-x86-q35')!;
  const file = join(CELLS, 'mini-x86.c');
  const text = readFileSync(file, 'utf8');
  const a = analyze(file, text);
  assert.deepEqual(a.diagnostics, []);
  const doc = new Doc(a, text);
  const pio = boardCompletions(doc, at(text, 'PIO_RANGE(0x2f8'), { board: q35 });
  const com1 = pio.find((i) => i.label.startsWith('COM1 '))!;
  assert.equal(com1.label, 'COM1 · ports 0x3f8 · 8 · pin 4');
  assert.equal(com1.insertText, 'PIO_RANGE(0x3f8, 0x8), /* COM1 */');
  assert.ok(!pio.some((i) => i.label.startsWith('COM2 ')), 'COM2 is already open');
  const diags = boardDiagnostics(a, { board: q35 });
  assert.deepEqual(diags.map((d) => d.message), ['The cell is granted pin 4 of COM1, but no region maps its registers (ports 0x3f8, 8 B).']);
  const [open] = boardFixes(diags[0], a);
  const fixed = applyEdits(text, open.edits);
  assert.match(fixed, /struct jailhouse_pio pio_regions\[2\];/);
  assert.match(fixed, /PIO_RANGE\(0x3f8, 0x8\), \/\* COM1 \*\/\n\t\},/);
  const re = analyze(file, fixed);
  assert.deepEqual(re.diagnostics, []);
  assert.deepEqual(boardDiagnostics(re, { board: q35 }), []);
  const h = boardHover(doc, at(text, '(1 << 3)'), { board: q35 })!;
  assert.match(h.markdown, /pin 3: \*\*COM2\*\*/);
  assert.match(h.markdown, /pin 4: \*\*COM1\*\*/);
});

function applyEdits(text: string, edits: { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

test('quick fixes: map the uncovered device, start the region at the device base', () => {
  const { cell, system } = setup();
  const diags = boardDiagnostics(cell, { board, system });
  const uncovered = diags.find((d) => d.code === 'board-device-uncovered')!;
  const [add] = boardFixes(uncovered, cell);
  assert.equal(add.title, 'Map UART3 (0x30880000, 0x10000)');
  const fixed = applyEdits(demoText, add.edits);
  assert.match(fixed, /struct jailhouse_memory mem_regions\[5\];/);
  assert.match(fixed, /\t\t\/\* UART3 \*\/ \{\n\t\t\t\.phys_start = 0x30880000,/);
  const again = analyze(demoPath, fixed);
  assert.deepEqual(again.diagnostics, []);
  assert.equal(again.model!.mem_regions.length, 5);
  const after = boardDiagnostics(again, { board, system: { root: system.root, cells: [again] } });
  assert.ok(!after.some((d) => d.code === 'board-device-uncovered'));

  const partial = diags.find((d) => d.code === 'board-partial-device')!;
  const [move] = boardFixes(partial, cell);
  const moved = applyEdits(demoText, move.edits);
  const m = analyze(demoPath, moved).model!;
  assert.equal(m.mem_regions[1].phys_start, 0x30200000n);
  assert.equal(m.mem_regions[1].virt_start, 0x30200000n);
  assert.equal(m.mem_regions[1].size, 0x9000n, 'the region keeps its end');
  assert.ok(!boardDiagnostics(analyze(demoPath, moved), { board, system }).some((d) => d.code === 'board-partial-device'));
});

test('the virtual PCI INTx lines of a cell are not mistaken for board devices', () => {
  const text = demoText
    .replace('struct jailhouse_irqchip irqchips[1];', 'struct jailhouse_irqchip irqchips[1];\n\tstruct jailhouse_pci_device pci_devices[1];')
    .replace('.num_irqchips = ARRAY_SIZE(config.irqchips),', '.num_irqchips = ARRAY_SIZE(config.irqchips),\n\t\t.num_pci_devices = ARRAY_SIZE(config.pci_devices),\n\t\t.vpci_irq_base = 28,')
    .replace(/\n};\s*$/, '\n\n\t.pci_devices = {\n\t\t{\n\t\t\t.type = JAILHOUSE_PCI_TYPE_IVSHMEM,\n\t\t\t.bdf = 0 << 3,\n\t\t},\n\t},\n};\n');
  const { cell, system } = setup(text);
  assert.deepEqual(cell.diagnostics, []);
  assert.equal(cell.model!.pci_devices.length, 1);
  const diags = boardDiagnostics(cell, { board, system });
  assert.ok(!diags.some((d) => d.code === 'board-device-uncovered'), 'SPI 28 is this cell\'s INTA line here');
});
