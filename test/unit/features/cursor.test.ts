import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorContext, tokenAt, tokensOf } from '../../../server/src/features/cursor';
import { cursorIn, cursors } from '../../support/cursor';

const HEAD = `struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[2];
} __attribute__((packed)) config = {
`;

test('inside a region: the struct, the fields given, the value being typed', () => {
  const text = `${HEAD}	.mem_regions = {
		/* RAM */ {
			.phys_start = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_`;
  const c = cursorContext(text, text.length);
  assert.equal(c.structName, 'jailhouse_memory');
  assert.deepEqual(c.path, ['mem_regions', '[]']);
  assert.deepEqual([...c.given].sort(), ['flags', 'phys_start']);
  assert.equal(c.valueField?.field.name, 'flags');
  assert.equal(c.valueField?.field.constants, 'mem-flags');
  assert.equal(text.slice(c.wordStart), 'JAILHOUSE_MEM_');
});

test('after a comma the cursor is back at field level', () => {
  const text = `${HEAD}	.header = {
		.flags = 1,
		.`;
  const c = cursorContext(text, text.length);
  assert.equal(c.structName, 'jailhouse_system');
  assert.equal(c.valueField, undefined);
  assert.equal(c.afterDot, true);
  assert.ok(c.given.has('flags'));
});

test('anonymous members: .arm inside platform_info resolves to the ARM platform struct', () => {
  const text = `${HEAD}	.header = {
		.platform_info = {
			.arm = {
				.gic_version = 3,
				`;
  const c = cursorContext(text, text.length);
  assert.deepEqual(c.path, ['header', 'platform_info', 'arm']);
  assert.equal(c.structName, 'jailhouse_arm_platform');
});

test('wrapper level lists the declared members; integer arrays are recognised', () => {
  const top = `${HEAD}	.header = { },
	`;
  const c = cursorContext(top, top.length);
  assert.equal(c.frame?.kind, 'wrapper');
  assert.deepEqual(c.wrapper.map((w) => w.name), ['header', 'cpus', 'mem_regions']);
  assert.ok(c.given.has('header'));
  const cpus = `${HEAD}	.cpus = { `;
  assert.deepEqual(cursorContext(cpus, cpus.length).inIntArray, { structName: undefined, field: 'cpus' });
});

test('outside the initializer and in text without a config there is no frame', () => {
  assert.equal(cursorContext('int x = 1;', 5).frame, undefined);
  assert.equal(cursorContext(HEAD, cursorIn(HEAD, 'struct {\n\t$0struct jailhouse_system')).frame, undefined);
});

test('macro arguments do not open frames', () => {
  const text = `${HEAD}	.mem_regions = {
		JAILHOUSE_SHMEM_NET_REGIONS(0x1000, 0),
		{ .`;
  const c = cursorContext(text, text.length);
  assert.equal(c.structName, 'jailhouse_memory');
});

test('tokenAt finds the token under or just after the offset', () => {
  const { text, offsets: [inside, after, afterA] } = cursors('a$2 = 0$0x10$1;');
  const toks = tokensOf(text);
  assert.equal(tokenAt(toks, inside)?.text, '0x10');
  assert.equal(tokenAt(toks, after)?.text, '0x10');
  assert.equal(tokenAt(toks, afterA)?.text, 'a');
});
