// Evaluator: C integer semantics on the targets (int promotion, unsigned hex literals, sign
// extension, conversion to the field's width), self-referencing sizeof/ARRAY_SIZE, and the
// engine's diagnostics, each on the exact text a user would change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analysis } from '../../../server/src/core/analysis';
import { ENGINE_CODES } from '../../../server/src/core/diagnostics';
import { analyzeText, describeDiags, textAt } from './helpers';
import { cellSource, RAM, type CellParts } from './template';

function run(parts: CellParts): Analysis {
  return analyzeText(cellSource(parts));
}

function clean(parts: CellParts): Analysis {
  const a = run(parts);
  assert.deepEqual(a.diagnostics, [], describeDiags(a));
  assert.ok(a.model, 'a model');
  return a;
}

/** The value a u64 field (mem_regions[0].phys_start) gets from `expr`. */
const u64 = (expr: string, pre = '') => clean({ pre, mem: `{ .phys_start = ${expr}, },` }).model!.mem_regions[0].phys_start;
/** The value a u32 field (cell.vpci_irq_base) gets from `expr`. */
const u32 = (expr: string, parts: CellParts = {}) => clean({ ...parts, cell: `.vpci_irq_base = ${expr},` }).model!.cell.vpci_irq_base;

/** The single diagnostic of `a`, which must have `code` and cover exactly `text`. */
function only(a: Analysis, code: string, text: string | string[]): void {
  assert.equal(a.diagnostics.length, 1, describeDiags(a));
  const d = a.diagnostics[0];
  assert.equal(d.code, code, describeDiags(a));
  const texts = Array.isArray(text) ? text : [text];
  assert.ok(texts.includes(textAt(a, d.loc) ?? ''), `range covers «${textAt(a, d.loc)}», expected «${texts.join('» or «')}»`);
  assert.ok(d.message.length > 0);
}

test('int arithmetic: 1 << 31 is INT_MIN and sign-extends into a __u64', () => {
  assert.equal(u64('1 << 31'), 0xffffffff80000000n);
  assert.equal(u64('0x80000000'), 0x80000000n, 'a hex literal that does not fit int is unsigned int');
  assert.equal(u64('2147483648'), 0x80000000n, 'a decimal literal that does not fit int is long');
  assert.equal(u64('1u << 31'), 0x80000000n);
  assert.equal(u64('(1 << 30) * 2u'), 0x80000000n, 'int converted to unsigned before multiplying');
  assert.equal(u64('-1'), 0xffffffffffffffffn);
  assert.equal(u64('~0'), 0xffffffffffffffffn);
  assert.equal(u64('~0u'), 0xffffffffn);
  assert.equal(u64('0xffffffff + 1'), 0n, 'unsigned int wraps silently');
  assert.equal(u64('0xffffffff + 1l'), 0x100000000n);
  assert.equal(u64('0x100000000'), 0x100000000n);
  assert.equal(u64('4294967296 - 1'), 0xffffffffn);
  assert.equal(u64('0xfffffffff0000000 >> 4'), 0x0fffffffff000000n, 'unsigned long shifts in zeros');
  assert.equal(u64('-16 >> 2'), 0xfffffffffffffffcn, 'signed shifts keep the sign (GCC)');
});

test('literals: binary, octal, hex, decimal, suffixes', () => {
  assert.equal(u64('0b1011'), 11n);
  assert.equal(u64('0B11110000'), 0xf0n);
  assert.equal(u64('010'), 8n);
  assert.equal(u64('0'), 0n);
  assert.equal(u64('0x0000000'), 0n);
  assert.equal(u64('0XaBc'), 0xabcn);
  assert.equal(u64('10UL'), 10n);
  assert.equal(u64('0x1ULL << 40'), 0x10000000000n);
});

test('operators: % / precedence and parentheses, comparisons, ?:, logic', () => {
  assert.equal(u64('1 << (36 % 32)'), 0x10n);
  assert.equal(u64('0x1 << (76 + 32 - 96)'), 0x1000n);
  assert.equal(u64('7 / 2'), 3n);
  assert.equal(u64('-7 / 2'), 0xfffffffffffffffdn, 'division truncates towards zero');
  assert.equal(u64('-7 % 2'), 0xffffffffffffffffn);
  assert.equal(u64('2 + 3 * 4'), 14n);
  assert.equal(u64('(2 + 3) * 4'), 20n);
  assert.equal(u64('1 | 2 ^ 3 & 4'), 3n);
  assert.equal(u64('1 == 1 ? 0x10 : 0x20'), 0x10n);
  assert.equal(u64('(1 < 2) + (2 <= 2) + (3 > 4) + (4 >= 4) + (1 != 1)'), 3n);
  assert.equal(u64('!0 + !5 + (1 && 2) + (0 || 0)'), 2n);
  assert.equal(u64('- -5'), 5n);
  assert.equal(u64('+7'), 7n);
});

test('1 << 31 in a __u32 is 0x80000000, without a diagnostic', () => {
  assert.equal(u32('1 << 31'), 0x80000000n);
});

test('int converts to the field width: -1 in a __u16 is 0xffff, in a __u32 0xffffffff', () => {
  const a = clean({ pio: '{ .base = -1, .length = -32768, },', cell: '.vpci_irq_base = -1,' });
  assert.equal(a.model!.pio_regions[0].base, 0xffffn);
  assert.equal(a.model!.pio_regions[0].length, 0x8000n);
  assert.equal(a.model!.cell.vpci_irq_base, 0xffffffffn);
});

test('sizeof and ARRAY_SIZE of the object being defined use the declared members', () => {
  const parts = { memLength: 3, mem: RAM, members: '\tstruct jailhouse_pci_capability pci_caps[0];' };
  assert.equal(u32('sizeof(config.cpus)', parts), 8n);
  assert.equal(u32('sizeof(config.mem_regions)', parts), 96n);
  assert.equal(u32('ARRAY_SIZE(config.mem_regions)', parts), 3n);
  assert.equal(u32('sizeof(config.mem_regions[0])', parts), 32n);
  assert.equal(u32('sizeof(config.cell)', parts), 132n);
  assert.equal(u32('sizeof(struct jailhouse_memory)', parts), 32n);
  assert.equal(u32('sizeof(config.cell.name)', parts), 32n);
  assert.equal(u32('ARRAY_SIZE(config.pci_caps)', parts), 0n);
  assert.equal(u32('sizeof config.pio_regions', parts), 4n);
});

test('ARRAY_SIZE has no outer parentheses, as in the real header', () => {
  // 64 / sizeof(a) / sizeof(a[0]) = 64 / 96 / 32 = 0, not 64 / 3 = 21.
  assert.equal(u32('64 / ARRAY_SIZE(config.mem_regions)', { memLength: 3 }), 0n);
});

test('sizeof is size_t: unsigned and 64 bits wide on arm64', () => {
  assert.equal(clean({ cell: '.cpu_reset_address = -sizeof(config.cpus),' }).model!.cell.cpu_reset_address, 0xfffffffffffffff8n);
  assert.equal(clean({ cell: '.cpu_reset_address = sizeof(config.cpus) - 16,' }).model!.cell.cpu_reset_address, 0xfffffffffffffff8n);
});

test('elements left out are zero and arrays are as long as declared', () => {
  const a = clean({ memLength: 4, mem: `${RAM},\n[3] = { .size = 0x2000 },` });
  const m = a.model!;
  assert.equal(m.mem_regions.length, 4);
  assert.deepEqual([m.mem_regions[1].size, m.mem_regions[2].flags, m.mem_regions[3].size, m.mem_regions[3].phys_start], [0n, 0n, 0x2000n, 0n]);
  assert.equal(m.cell.num_memory_regions, 4n);
  assert.deepEqual(m.irqchips, []);
  assert.equal(m.cell.console.address, 0n);
});

test('a positional initializer of a union fills its first member; .mmu500 reaches the other', () => {
  const a = clean({
    members: '\tunion jailhouse_stream_id stream_ids[3];',
    cell: '.num_stream_ids = ARRAY_SIZE(config.stream_ids),',
    tail: '.stream_ids = { {0x0003}, { .mmu500.id = 0x10, .mmu500.mask_out = 0x3 }, { .mmu500 = { 0x20, 0x1 } }, },',
  });
  const s = a.model!.stream_ids;
  assert.equal(s[0].id, 3n);
  assert.equal(s[1].mmu500.id, 0x10n);
  assert.equal(s[1].mmu500.mask_out, 0x3n);
  assert.equal(s[1].id, 0x30010n, 'the 32-bit view of the same bytes');
  assert.equal(s[2].id, 0x10020n);
});

test('positional lists: short pin_bitmap lists and positional struct fields', () => {
  const a = clean({ irqLength: 1, irq: '{ 0x1000, 3, 32, { 0x1, 0x2 } },' });
  const ic = a.model!.irqchips[0];
  assert.deepEqual([ic.address, ic.id, ic.pin_base, ic.pin_bitmap], [0x1000n, 3n, 32n, [1n, 2n, 0n, 0n]]);
});

test('strings: exactly the field length is allowed, no NUL stored', () => {
  const name = 'x'.repeat(32);
  const a = clean({ cell: '' }); // baseline
  assert.equal(a.model!.cell.name, 'template');
  const b = analyzeText(cellSource().replace('"template"', `"${name}"`));
  assert.deepEqual(b.diagnostics, [], describeDiags(b));
  assert.equal(b.model!.cell.name, name);
});

test('value-range: a string longer than its field', () => {
  const name = `"${'y'.repeat(33)}"`;
  only(analyzeText(cellSource().replace('"template"', name)), 'value-range', name);
});

test('value-range: GCC accepts what fits the signed or the unsigned type of the field, nothing else', () => {
  const ok = clean({ pci: '{ .type = 255, .iommu = -128, .domain = 0xffff, .bdf = -32768, },' });
  assert.deepEqual([ok.model!.pci_devices[0].type, ok.model!.pci_devices[0].iommu, ok.model!.pci_devices[0].bdf], [255n, 128n, 0x8000n]);
  for (const [field, value, stored] of [['type', '256', 0n], ['iommu', '-129', 127n], ['domain', '0x10000', 0n], ['bdf', '-32769', 0x7fffn]] as const) {
    const a = run({ pci: `{ .${field} = ${value}, },` });
    only(a, 'value-range', value);
    assert.equal((a.model!.pci_devices[0] as unknown as Record<string, bigint>)[field], stored, `${field} = ${value} stores the converted value`);
  }
  only(run({ cell: '.vpci_irq_base = 0x100000000,' }), 'value-range', '0x100000000');
});

test('value-range: a 1-bit field takes 0 or 1 only', () => {
  clean({ pci: '{ .msi_64bits = 1, .msi_maskable = 0, },' });
  only(run({ pci: '{ .msi_64bits = 2, },' }), 'value-range', '2');
});

test('value-range: the range lands on the macro argument, or on the invocation for a value from a macro body', () => {
  only(run({ pio: 'PIO_RANGE(0x10000, 4),' }), 'value-range', '0x10000');
  only(run({ pre: '#define BIG_PORT 0x10000', pio: 'PIO_RANGE(BIG_PORT, 4),' }), 'value-range', 'BIG_PORT');
  only(run({ pre: '#define BAD_PIO(l) { .base = 0x10000, .length = l }', pio: 'BAD_PIO(1),' }), 'value-range', 'BAD_PIO(1)');
});

test('literals wider than 64 bits are diagnosed on the literal', () => {
  const a = run({ mem: '{ .phys_start = 0x1ffffffffffffffff, },' });
  assert.ok(a.diagnostics.length >= 1, 'a diagnostic');
  const d = a.diagnostics[0];
  assert.equal(d.severity, 'error');
  assert.equal(textAt(a, d.loc), '0x1ffffffffffffffff');
  const b = run({ mem: '{ .size = 99999999999999999999999, },' });
  assert.equal(textAt(b, b.diagnostics[0]?.loc), '99999999999999999999999');
});

test('shifts by the width or more, and signed overflow, are build errors', () => {
  for (const expr of ['1 << 32', '1 << -1', '0x7fffffff + 1', '1 / 0', '5 % 0']) {
    const a = run({ mem: `{ .phys_start = ${expr}, },` });
    assert.ok(a.diagnostics.some((d) => d.severity === 'error'), `${expr}: ${describeDiags(a)}`);
    const d = a.diagnostics[0];
    const covered = textAt(a, d.loc) ?? '';
    assert.ok(expr.includes(covered) && covered.length > 0, `${expr}: the range «${covered}» is inside the expression`);
  }
});

test('invalid literals are diagnosed on the literal', () => {
  for (const lit of ['0b102', '0x', '08', '12abc']) {
    const a = run({ mem: `{ .size = ${lit}, },` });
    assert.ok(a.diagnostics.length >= 1, lit);
    assert.equal(textAt(a, a.diagnostics[0].loc), lit, `${lit}: ${describeDiags(a)}`);
  }
});

test('unknown-field: on the designator name', () => {
  only(run({ mem: '{ .phys_start = 0, .bogus = 1, },' }), 'unknown-field', ['bogus', '.bogus']);
  only(run({ cell: '.arm = { .gic_version = 3 },' }), 'unknown-field', ['arm', '.arm']);
  only(run({ tail: '.no_such_member = { 1 },' }), 'unknown-field', ['no_such_member', '.no_such_member']);
  // A member of a scalar: GCC says "field name not in record or union initializer".
  const scalar = run({ mem: '{ .phys_start.x = 0, },' });
  assert.equal(scalar.diagnostics.length, 1, describeDiags(scalar));
  assert.ok(['unknown-field', 'syntax'].includes(scalar.diagnostics[0].code));
  assert.ok(['x', '.x'].includes(textAt(scalar, scalar.diagnostics[0].loc) ?? ''));
});

test('an index designator beyond the declared length is diagnosed on the index', () => {
  const a = run({ mem: '[1] = { .size = 1 },' });
  assert.equal(a.diagnostics.length, 1, describeDiags(a));
  assert.ok(['1', '[1]'].includes(textAt(a, a.diagnostics[0].loc) ?? ''), describeDiags(a));
  assert.equal(a.model!.mem_regions.length, 1);
});

test('more elements than declared are diagnosed on the first excess element', () => {
  const text = cellSource({ mem: `${RAM},\n{ .size = 0x2000 },` });
  const a = analyzeText(text);
  assert.equal(a.diagnostics.length, 1, describeDiags(a));
  assert.equal(a.diagnostics[0].loc.start, text.indexOf('{ .size = 0x2000 }'));
  assert.equal(a.model!.mem_regions.length, 1);
});

test('duplicate-designator: on the second designator; the last one wins as in C', () => {
  const text = cellSource({ mem: '{ .size = 0x1000, .flags = 1, .size = 0x2000, },' });
  const a = analyzeText(text);
  only(a, 'duplicate-designator', ['size', '.size']);
  assert.ok(a.diagnostics[0].loc.start > text.indexOf('.flags'));
  assert.equal(a.model!.mem_regions[0].size, 0x2000n);
  only(run({ memLength: 2, mem: '[1] = { .size = 1 }, [1] = { .size = 2 },' }), 'duplicate-designator', ['1', '[1]']);
  only(run({ cell: '.console = { .address = 1, .address = 2 },' }), 'duplicate-designator', ['address', '.address']);
});

test('separate chain designators into one struct are not duplicates', () => {
  const a = clean({ cell: '.console.address = 0x1000, .console.size = 0x100, .console.type = JAILHOUSE_CON_TYPE_PL011,' });
  assert.deepEqual([a.model!.cell.console.address, a.model!.cell.console.size, a.model!.cell.console.type], [0x1000n, 0x100n, 3n]);
});

test('unknown-macro: on the identifier, also inside a macro argument', () => {
  only(run({ mem: '{ .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_REED, },' }), 'unknown-macro', 'JAILHOUSE_MEM_REED');
  only(run({ pio: 'PIO_RANGE(UART_BASE, 8),' }), 'unknown-macro', 'UART_BASE');
});

test('unknown-macro: a call of an undefined function-like name is not silently zero', () => {
  only(run({ mem: '{ .size = SZ_1M(1), },' }), 'unknown-macro', ['SZ_1M', 'SZ_1M(1)']);
});

test('a macro that refers to itself ends as an unknown identifier, not a loop', () => {
  only(run({ pre: '#define SELF (SELF + 1)', mem: '{ .size = SELF, },' }), 'unknown-macro', 'SELF');
  only(run({ pre: '#define PING PONG\n#define PONG PING', mem: '{ .size = PING, },' }), 'unknown-macro', 'PING');
  // A self-named field macro is harmless: the designator stays a designator.
  assert.equal(clean({ pre: '#define size size', mem: '{ .size = 0x3000, },' }).model!.mem_regions[0].size, 0x3000n);
});

test('include: a missing local include is reported on its name', () => {
  only(run({ pre: '#include "missing-board-defs.h"' }), 'include', '"missing-board-defs.h"');
  only(run({ pre: '#include <jailhouse/not-a-header.h>' }), 'include', ['<jailhouse/not-a-header.h>', 'jailhouse/not-a-header.h']);
});

test('member-order: wrapper arrays declared out of the image order are named, the header first', () => {
  const src = (members: string) => `#include <jailhouse/types.h>\n#include <jailhouse/cell-config.h>\nstruct {\n${members}\n} __attribute__((packed)) config = { .cpus = { 1 } };\n`;
  const inOrder = analyzeText(src('\tstruct jailhouse_cell_desc cell;\n\t__u64 cpus[1];\n\tstruct jailhouse_memory mem_regions[0];\n\tstruct jailhouse_pio pio_regions[0];'));
  assert.deepEqual(inOrder.diagnostics.map((d) => d.code), [], describeDiags(inOrder));
  const swapped = analyzeText(src('\tstruct jailhouse_cell_desc cell;\n\t__u64 cpus[1];\n\tstruct jailhouse_pio pio_regions[0];\n\tstruct jailhouse_memory mem_regions[0];'));
  assert.deepEqual(swapped.diagnostics.map((d) => [d.code, d.severity, textAt(swapped, d.loc)]), [['member-order', 'error', 'struct jailhouse_memory mem_regions[0]']]);
  assert.match(swapped.diagnostics[0].message, /mem_regions is declared after pio_regions/);
  const headerLast = analyzeText(src('\t__u64 cpus[1];\n\tstruct jailhouse_cell_desc cell;'));
  assert.deepEqual(headerLast.diagnostics.map((d) => [d.code, textAt(headerLast, d.loc)]), [['member-order', 'struct jailhouse_cell_desc cell']]);
});

test('diagnostic codes are the engine codes and every range lies in its file', () => {
  const a = run({ mem: '{ .bogus = 1, .size = FOO, .flags = 1 << 40, .size = 2 },', pio: 'PIO_RANGE(0x10000, 1) @,' });
  assert.ok(a.diagnostics.length >= 4, describeDiags(a));
  for (const d of a.diagnostics) {
    assert.ok((ENGINE_CODES as readonly string[]).includes(d.code), d.code);
    const f = a.files.get(d.loc.file);
    assert.ok(f && d.loc.start <= d.loc.end && d.loc.end <= f.text.length, JSON.stringify(d));
  }
});

test('broken text still yields the rest of the model', () => {
  const a = run({ memLength: 3, mem: '{ .phys_start = 0x1000 .size = 1 },\n{ .phys_start = (, },\n{ .phys_start = 0x3000, .size = 0x4000 },' });
  assert.ok(a.diagnostics.some((d) => d.code === 'syntax'));
  assert.ok(a.model);
  assert.equal(a.model!.mem_regions[2].phys_start, 0x3000n);
  assert.equal(a.model!.mem_regions[2].size, 0x4000n);
  assert.equal(a.model!.pio_regions[0].base, 0x3f8n);
});
