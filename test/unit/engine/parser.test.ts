// Parser: the wrapper declaration, designators of every shape, and tolerant recovery with
// `syntax` diagnostics on the exact offending token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../../server/src/syntax/preprocessor';
import { parseConfig, type InitItem, type InitList } from '../../../server/src/syntax/parser';

const FILE = '/virtual/p.c';

function parse(text: string) {
  const pre = preprocess(FILE, text);
  const r = parseConfig(pre.tokens);
  const at = (d: { loc: { start: number; end: number } }) => text.slice(d.loc.start, d.loc.end);
  return { ...r, pre, text, at };
}

const wrap = (members: string, init: string) => `struct {\n${members}\n} __attribute__((packed)) config = ${init};\n`;
const list = (v: InitList | unknown): InitList => {
  assert.equal((v as InitList).k, 'list');
  return v as InitList;
};
const fieldNames = (it: InitItem) => it.designators.map((d) => (d.kind === 'field' ? `.${d.name?.text}` : '[]')).join('');

test('the wrapper: member types, names, array sizes including [0]', () => {
  const r = parse(wrap('\tstruct jailhouse_cell_desc cell;\n\t__u64 cpus[1];\n\tstruct jailhouse_pci_capability pci_caps[0];\n\tunion jailhouse_stream_id stream_ids[2 + 1];', '{ }'));
  assert.deepEqual(r.diagnostics, []);
  const d = r.decl!;
  assert.deepEqual(d.members.map((m) => [m.typeName, m.name?.text]), [
    ['struct jailhouse_cell_desc', 'cell'],
    ['__u64', 'cpus'],
    ['struct jailhouse_pci_capability', 'pci_caps'],
    ['union jailhouse_stream_id', 'stream_ids'],
  ]);
  assert.equal(d.members[0].length, undefined);
  assert.ok(d.members[2].length);
  assert.equal(d.nameTok?.text, 'config');
});

test('designators: fields, chains, indices, and positional items', () => {
  const r = parse(wrap('\tstruct jailhouse_system header;', '{ .header.platform_info.arm = { .gicd_base = 1 }, [2] = 5, 7, .a[1].b = 3, }'));
  assert.deepEqual(r.diagnostics, []);
  const items = list(r.decl!.init).items;
  assert.deepEqual(items.map(fieldNames), ['.header.platform_info.arm', '[]', '', '.a[].b']);
  assert.equal(list(items[0].value).items.length, 1);
});

test('trailing commas and empty lists are fine', () => {
  const r = parse(wrap('\t__u64 cpus[1];', '{ .cpus = { 1, }, .x = { }, }'));
  assert.deepEqual(r.diagnostics, []);
});

test('a missing = after a designator is reported on the token found instead', () => {
  const r = parse(wrap('\tstruct jailhouse_memory m[1];', '{ .m = { { .size 0x1000, .flags = 1 } } }'));
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].code, 'syntax');
  assert.equal(r.at(r.diagnostics[0]), '0x1000');
});

test('two elements without a comma between them: the error is on the second one', () => {
  const text = wrap('\tstruct jailhouse_memory m[2];', '{ .m = { { .size = 1 } { .size = 2 } } }');
  const r = parse(text);
  assert.ok(r.diagnostics.length >= 1);
  assert.equal(r.diagnostics[0].loc.start, text.indexOf('{ .size = 2'));
  assert.equal(r.at(r.diagnostics[0]), '{');
});

test('a stray character is reported on that character and the rest still parses', () => {
  const text = wrap('\tstruct jailhouse_memory m[2];', '{ .m = { { .size = 1 @ }, { .size = 2 } } }');
  const r = parse(text);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.at(r.diagnostics[0]), '@');
  const m = list(list(r.decl!.init).items[0].value);
  assert.equal(m.items.length, 2, 'the second element survives');
});

test('a missing value is reported at the comma', () => {
  const text = wrap('\tstruct jailhouse_memory m[1];', '{ .m = { { .size = , .flags = 3 } } }');
  const r = parse(text);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].loc.start, text.indexOf(', .flags'));
});

test('an unclosed list at end of file names the unclosed brace', () => {
  const text = 'struct {\n\t__u64 cpus[1];\n} config = {\n\t.cpus = { 1,\n';
  const r = parse(text);
  assert.ok(r.diagnostics.length >= 1);
  assert.ok(r.diagnostics.every((d) => d.code === 'syntax'));
  const opens = r.diagnostics.map((d) => d.loc.start);
  assert.ok(opens.includes(text.indexOf('{ 1,')), `one diagnostic points at the unclosed '{': ${JSON.stringify(r.diagnostics)}`);
  assert.ok(r.diagnostics.every((d) => d.loc.start <= text.length && d.loc.end <= text.length));
});

test('a missing ; after the initializer is reported at the end', () => {
  const text = wrap('\t__u64 cpus[1];', '{ .cpus = { 1 } }').replace(/;\n$/, '\n');
  const r = parse(text);
  assert.equal(r.diagnostics.length, 1);
  assert.ok(r.diagnostics[0].loc.start >= text.lastIndexOf('}'));
});

test('a broken member declaration is reported and the next member still counts', () => {
  const text = 'struct {\n\tstruct jailhouse_cell_desc cell;\n\t__u64 cpus[;\n\tstruct jailhouse_memory mem_regions[2];\n} config = { };\n';
  const r = parse(text);
  assert.ok(r.diagnostics.length >= 1);
  assert.equal(r.diagnostics[0].loc.start, text.indexOf('[;') + 1);
  assert.ok(r.decl!.members.some((m) => m.name?.text === 'mem_regions'));
});

test('a broken expression is reported on the offending token', () => {
  const text = wrap('\tstruct jailhouse_memory m[1];', '{ .m = { { .size = (1 + ), .flags = 1 } } }');
  const r = parse(text);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].loc.start, text.indexOf('), .flags'));
});

test('deep brace nesting is bounded and reported once', () => {
  const depth = 10000;
  const text = wrap('\t__u64 cpus[1];', `{ .cpus = ${'{'.repeat(depth)}1${'}'.repeat(depth)} }`);
  const r = parse(text);
  assert.ok(r.diagnostics.length >= 1);
  assert.ok(r.diagnostics.length < 5);
});

test('text without a config object parses to nothing, without diagnostics', () => {
  const r = parse('/* just a comment */\nint x = 3;\n');
  assert.equal(r.decl, undefined);
});

test('names from comments on parsed items', () => {
  const text = wrap('\tstruct jailhouse_memory m[4];\n\tstruct jailhouse_pio p[2];',
    '{\n\t.m = {\n\t\t/* A */ { .size = 1 },\n\t\t/* B */\n\t\t{ .size = 2 },\n\t\t{ /* C */\n\t\t\t.size = 3 },\n\t\t{ .size = 4 }, /* not a name of the next */\n\t},\n' +
    '\t.p = {\n\t\t{ .base = 1 }, /* P1 */\n\t\t{ .base = 2 },\n\t},\n}');
  const r = parse(text);
  assert.deepEqual(r.diagnostics, []);
  const top = list(r.decl!.init).items;
  assert.deepEqual(list(top[0].value).items.map((i) => i.name), ['A', 'B', 'C', 'not a name of the next']);
  assert.deepEqual(list(top[1].value).items.map((i) => i.name), ['P1', undefined]);
});
