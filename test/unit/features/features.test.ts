import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { complete } from '../../../server/src/features/completion';
import { definition } from '../../../server/src/features/definition';
import { foldingRanges } from '../../../server/src/features/folding';
import { hover } from '../../../server/src/features/hover';
import { inlayHints } from '../../../server/src/features/inlayHints';
import { documentSymbols } from '../../../server/src/features/symbols';
import { cursorIn } from '../../support/cursor';
import { docOf, fixtureDoc, FIXTURES } from './helpers';

const root = fixtureDoc('orbit.c');
const cell = fixtureDoc('orbit-rtos.c');
const text = root.text;

test('hover: designator shows doc, type, allowed values and the decoded value', () => {
  const h = hover(root, cursorIn(text, '.size = 0x1000,\n\t\t\t.fl$0ags = JAILHOUSE_MEM_READ'));
  assert.ok(h);
  assert.match(h.markdown, /\*\*flags\*\* `__u64` — struct jailhouse_memory/);
  assert.match(h.markdown, /Flags \(OR together\): .*JAILHOUSE_MEM_ROOTSHARED/);
  assert.match(h.markdown, /Value: `JAILHOUSE_MEM_READ \| JAILHOUSE_MEM_WRITE \| JAILHOUSE_MEM_IO` \(0x13\)/);
});

test('hover: constant shows its value and the decoded field', () => {
  const h = hover(root, cursorIn(text, 'JAI$0LHOUSE_MEM_EXECUTE,'));
  assert.match(h!.markdown, /\*\*JAILHOUSE_MEM_EXECUTE\*\* = `0x0004`/);
  assert.match(h!.markdown, /`\.flags` = 0x7: `JAILHOUSE_MEM_READ` \| `JAILHOUSE_MEM_WRITE` \| `JAILHOUSE_MEM_EXECUTE`/);
});

test('hover: number in a region shows sizes, extent, and cells of the system mapping it', () => {
  const h = hover(cell, cursorIn(cell.text, '.size = 0x$001000000'), { system: { root: root.analysis, cells: [cell.analysis] } });
  assert.match(h!.markdown, /`0x1000000` = 16777216 = 16 MiB/);
  assert.match(h!.markdown, /phys `0x80000000`–`0x80ffffff`/);
  assert.match(h!.markdown, /virt `0x0`–`0xffffff`/);
  assert.match(h!.markdown, /also mapped by: Orbit-4 \(region 3\)/);
});

test('hover: CPU bitmap and macro expansion', () => {
  assert.match(hover(root, cursorIn(text, '0$0xf,'))!.markdown, /CPUs: 0-3/);
  const m = hover(root, cursorIn(text, '.phys_start = O$0RBIT_RAM_BASE,'));
  assert.match(m!.markdown, /#define ORBIT_RAM_BASE 0x40000000/);
  assert.equal(hover(root, cursorIn(text, 'st$0ruct {')), undefined);
});

test('completion: constants of the field, fields not yet given, count expressions', () => {
  const flags = complete(root, cursorIn(text, '.size = 0x1000,\n\t\t\t.flags = $0JAILHOUSE_MEM_READ')).map((c) => c.label);
  assert.ok(flags.includes('JAILHOUSE_MEM_LOADABLE'));
  assert.ok(!flags.includes('JAILHOUSE_PCI_TYPE_DEVICE'));
  const con = complete(root, cursorIn(text, '.type = $0JAILHOUSE_CON_TYPE_PL011')).map((c) => c.label);
  assert.ok(con.includes('JAILHOUSE_CON_TYPE_8250') && !con.includes('JAILHOUSE_CON_ACCESS_MMIO'));
  const count = complete(root, cursorIn(text, '.num_irqchips = $0')).map((c) => c.label);
  assert.ok(count.includes('ARRAY_SIZE(config.irqchips)'));
  const hv = complete(root, cursorIn(text, '.size = 0x00400000,$0')).map((c) => c.label).sort();
  assert.deepEqual(hv, ['flags', 'virt_start']);
});

test('completion works on half-typed text without a model', () => {
  const partial = `struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[1];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.name = "x",
		.
`;
  const d = docOf(partial);
  const items = complete(d, partial.length - 1);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('console') && labels.includes('flags') && !labels.includes('name'));
  // The placeholder holds a value, so accepting the item as it is leaves a file that compiles.
  assert.equal(items.find((i) => i.label === 'flags')?.insertText, 'flags = ${1:0},');
  const pci = `${partial.slice(0, partial.lastIndexOf('.cell'))}.pci_devices = {\n\t\t`;
  const snippets = complete(docOf(pci), pci.length).map((i) => i.label);
  assert.deepEqual(snippets, ['jh-pci-device', 'jh-ivshmem-device']);
});

test('document symbols: header parts, sections, regions by comment name', () => {
  const syms = documentSymbols(root);
  assert.equal(syms[0].name, 'system Orbit-4');
  assert.deepEqual(syms[0].children.map((c) => c.name), ['hypervisor_memory', 'debug_console', 'platform_info', 'root_cell']);
  assert.deepEqual(syms.find((s) => s.name === 'mem_regions')!.children.map((c) => c.name), ['UART', 'Ethernet', 'RAM', 'cell RAM']);
  assert.equal(syms.find((s) => s.name === 'cpus')!.detail, 'CPUs 0-3');
});

test('inlay hints: index before, end and size after, CPU list', () => {
  const hints = inlayHints(cell, { start: 0, end: cell.text.length });
  const labels = hints.map((h) => h.label);
  assert.deepEqual(labels, ['CPUs 3', '[0]', '→ 0x9000fff (4 KiB)', '[1]', '→ 0x80ffffff (16 MiB)', '[2]', '→ virt 0x80000fff (4 KiB)']);
  assert.equal(inlayHints(cell, { start: 0, end: cell.text.length }, { regionIndex: false, cpuList: false }).length, 3);
  const some = inlayHints(cell, { start: 0, end: cursorIn(cell.text, '$0/* RAM */') });
  assert.ok(some.every((h) => h.offset <= cursorIn(cell.text, '$0/* RAM */')));
});

test('definition: macro → #define, irqchip → root interrupt controller, #include of a real file', () => {
  const [def] = definition(root, cursorIn(text, '.phys_start = OR$0BIT_RAM_BASE,'));
  assert.equal(def.start, cursorIn(text, '#define $0ORBIT_RAM_BASE\t0x4'));
  const gic = definition(cell, cursorIn(cell.text, '.ad$0dress = 0x08000000'), { system: { root: root.analysis, cells: [cell.analysis] } });
  assert.equal(gic[0].file, path.join(FIXTURES, 'orbit.c'));
  assert.equal(text.slice(gic[0].start, gic[0].end), '0x08000000');
  assert.deepEqual(definition(root, cursorIn(text, '#include <ja$0ilhouse/types.h>')), []);
});

test('definition: shmem_regions_start → the region it indexes', () => {
  const src = `struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[2];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = { .name = "x", .num_memory_regions = 2, .num_pci_devices = 1 },
	.cpus = { 1 },
	.mem_regions = {
		/* a */ { .phys_start = 0x1000, .size = 0x1000, .flags = 1 },
		/* b */ { .phys_start = 0x2000, .size = 0x1000, .flags = 1 },
	},
	.pci_devices = {
		{ .type = JAILHOUSE_PCI_TYPE_IVSHMEM, .shmem_regions_start = 1 },
	},
};
`;
  const d = docOf(src);
  const [loc] = definition(d, cursorIn(src, '.shmem_regions_start = $01'));
  assert.ok(src.slice(loc.start, loc.end).includes('0x2000'));
});

test('folding: multi-line braces and comments', () => {
  const folds = foldingRanges(root);
  assert.ok(folds.some((f) => f.kind === 'comment' && f.start === 0));
  assert.ok(folds.some((f) => f.start === cursorIn(text, '.mem_regions = $0{')));
  assert.ok(folds.every((f) => text.slice(f.start, f.end).includes('\n')));
});
