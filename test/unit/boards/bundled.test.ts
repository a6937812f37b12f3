// Bundled boards: each file is valid, and the condensed DTS fixture of each DT-derived board
// (our own text with the same facts) imports to exactly the bundled description.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatDtsDiag } from '../../../server/src/boards/dts/diag';
import { importDtsFile } from '../../../server/src/boards/dts/import';
import { boardToJson, parseBoardJson, BOARD_KEYS } from '../../../server/src/boards/json';
import { bundledBoards } from '../../../server/src/boards/registry';
import type { Board, BoardDevice } from '../../../server/src/boards/types';
import { FIXTURES, REPO } from './helpers';

const REQUIRED = ['qemu-arm64-virt', 'rpi4', 'imx8mm-evk', 'imx8mp-evk', 'k3-am625-sk', 'zynqmp-zcu102', 'orangepi-zero', 'qemu-x86-q35'];

test('every required board is bundled, with its source noted', () => {
  const ids = bundledBoards().map((b) => b.id);
  for (const id of REQUIRED) assert.ok(ids.includes(id), id);
  for (const b of bundledBoards()) {
    assert.ok(b.source.description.length > 20, `${b.id} source`);
    assert.ok(b.source.paths && b.source.paths.length > 0, `${b.id} paths`);
    assert.ok(b.devices.length >= 10, `${b.id} has ${b.devices.length} devices`);
  }
});

test('board files on disk are exactly the registered ones and round-trip', () => {
  const files = readdirSync(join(REPO, 'boards')).filter((f) => f.endsWith('.json'));
  assert.deepEqual(files.map((f) => f.replace(/\.json$/, '')).sort(), bundledBoards().map((b) => b.id).sort());
  for (const f of files) {
    const text = readFileSync(join(REPO, 'boards', f), 'utf8');
    const b = parseBoardJson(text, f);
    const { $schema, ...rest } = JSON.parse(text);
    assert.equal($schema, '../schemas/board.schema.json');
    assert.deepEqual(boardToJson(b), rest, f);
  }
});

test('each board has the devices a cell author needs', () => {
  for (const b of bundledBoards()) {
    const text = b.devices.map((d) => `${d.name} ${d.compatible.join(' ')} ${d.description ?? ''}`).join('\n').toLowerCase();
    for (const kind of b.arch === 'x86' ? ['uart', 'ioapic', 'rtc'] : ['uart', 'timer', 'interrupt controller', 'gpio|pin controller']) {
      assert.ok(kind.split('|').some((k) => text.includes(k)), `${b.id} lacks ${kind}`);
    }
    if (b.arch !== 'x86') {
      const ic = b.interruptController;
      assert.ok(ic?.type === 'gic');
      assert.ok(b.devices.some((d) => d.reg[0]?.base === ic.gicd), `${b.id}: GIC distributor is a device`);
    }
  }
});

test('the JSON schema allows exactly the keys the loader accepts', () => {
  const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'board.schema.json'), 'utf8'));
  const keys = (o: { properties: Record<string, unknown> }) => Object.keys(o.properties).sort();
  assert.deepEqual(keys(schema), [...BOARD_KEYS.board].sort());
  assert.deepEqual(keys(schema.properties.source), [...BOARD_KEYS.source].sort());
  assert.deepEqual(keys(schema.properties.cpus), [...BOARD_KEYS.cpus].sort());
  assert.deepEqual(keys(schema.properties.cpus.properties.list.items), [...BOARD_KEYS.cpu].sort());
  assert.deepEqual(keys(schema.properties.devices.items), [...BOARD_KEYS.device].sort());
  assert.deepEqual(keys(schema.definitions.window), [...BOARD_KEYS.window].sort());
  assert.deepEqual(keys(schema.definitions.irq), [...BOARD_KEYS.irq].sort());
  assert.deepEqual(keys(schema.properties.interruptController.oneOf[0]), [...BOARD_KEYS.gic].sort());
  assert.deepEqual(keys(schema.properties.interruptController.oneOf[1]), [...BOARD_KEYS.ioapicController].sort());
  assert.deepEqual(keys(schema.properties.interruptController.oneOf[1].properties.ioapics.items), [...BOARD_KEYS.ioapic].sort());
});

const facts = (d: BoardDevice) => ({ compatible: d.compatible, reg: d.reg, interrupts: d.interrupts, disabled: d.disabled ?? false, label: d.label });

for (const bundled of bundledBoards()) {
  const fixture = join(FIXTURES, bundled.id, 'board.dts');
  if (!existsSync(fixture)) continue;
  test(`DTS fixture of ${bundled.id} imports to the bundled facts`, () => {
    const r = importDtsFile(fixture, { includeDirs: [join(FIXTURES, 'include')] });
    assert.deepEqual(r.diags.map(formatDtsDiag), []);
    const got = r.board as Board;
    assert.equal(got.arch, bundled.arch);
    assert.deepEqual(got.cpus.list?.map((c) => c.compatible), bundled.cpus.list?.map((c) => c.compatible));
    assert.equal(got.cpus.count, bundled.cpus.count);
    assert.deepEqual(got.ram, bundled.ram);
    assert.deepEqual(got.interruptController, bundled.interruptController);
    assert.deepEqual(got.devices.map((d) => d.name).sort(), bundled.devices.map((d) => d.name).sort());
    for (const d of bundled.devices) {
      const g = got.devices.find((x) => x.name === d.name)!;
      assert.deepEqual(facts(g), facts(d), d.name);
    }
  });
}
