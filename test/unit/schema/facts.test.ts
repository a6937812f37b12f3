// Format facts the code reads from the schema instead of typing them again: header sizes,
// the cell name length, the architecture names.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  ARCH_NAMES, archName, CELL_HEADER_SIZE, CELL_NAME_MAXLEN, CONSTANTS_BY_NAME, constantsOfGroup, STRUCTS, struct, SYSTEM_HEADER_SIZE,
} from '../../../server/src/schema';

test('the header sizes are the laid-out header structs: sizeof 488 (system) and 132 (cell) as gcc builds them', () => {
  assert.equal(SYSTEM_HEADER_SIZE, struct('jailhouse_system').size);
  assert.equal(CELL_HEADER_SIZE, struct('jailhouse_cell_desc').size);
  assert.equal(SYSTEM_HEADER_SIZE, 488);
  assert.equal(CELL_HEADER_SIZE, 132);
});

test('a struct doc that states its size states the laid-out size', () => {
  let stated = 0;
  for (const s of STRUCTS) {
    const m = /\((\d+) bytes\)/.exec(s.doc);
    if (!m) continue;
    stated++;
    assert.equal(struct(s.name).size, Number(m[1]), `${s.name}: doc says ${m[0]}`);
  }
  assert.ok(stated >= 10, `only ${stated} struct docs state a size`);
});

test('the cell name length is JAILHOUSE_CELL_NAME_MAXLEN, and the name field holds it and a NUL', () => {
  assert.equal(CELL_NAME_MAXLEN, Number(CONSTANTS_BY_NAME.get('JAILHOUSE_CELL_NAME_MAXLEN')!.value));
  assert.equal(CELL_NAME_MAXLEN, 31);
  const name = struct('jailhouse_cell_desc').fields.find((f) => f.name === 'name')!;
  assert.deepEqual(name.type, { kind: 'char', length: CELL_NAME_MAXLEN + 1 });
  assert.match(name.doc, new RegExp(`up to ${CELL_NAME_MAXLEN} characters`));
});

test('architecture names come from the arch constants, by value', () => {
  assert.deepEqual(ARCH_NAMES, ['x86', 'arm', 'arm64']);
  for (const k of constantsOfGroup('arch')) assert.equal(`JAILHOUSE_${archName(k.value)!.toUpperCase()}`, k.name);
  assert.equal(archName(2n), 'arm64');
  assert.equal(archName(3n), undefined);
  assert.equal(archName(-1), undefined);
  assert.equal(archName(2n ** 64n - 1n), undefined);
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../schemas/board.schema.json'), 'utf8'));
  assert.deepEqual(schema.properties.arch.enum, ARCH_NAMES, 'board.schema.json lists the same architectures');
});

