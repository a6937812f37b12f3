// `jhcell board import|list|show`, called in-process with stdout/stderr captured.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../../server/src/cli/board';
import { UsageError } from '../../../server/src/cli/args';
import { parseBoardJson } from '../../../server/src/boards/json';
import { FIXTURES } from './helpers';

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await run(args), out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

test('board import --json prints a valid board description', async () => {
  const r = await capture(['import', join(FIXTURES, 'k3-am625-sk', 'board.dts'), '-I', join(FIXTURES, 'include'), '--json', '--id', 'my-am625']);
  assert.equal(r.code, 0, r.err);
  const b = parseBoardJson(r.out);
  assert.equal(b.id, 'my-am625');
  assert.ok(b.devices.some((d) => d.name === 'MAIN_UART0' && d.reg[0].base === 0x2800000n));
});

test('board import reports file:line problems and fails on errors', async () => {
  const r = await capture(['import', join(FIXTURES, 'k3-am625-sk', 'board.dts')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /soc\.dtsi:6:1: error: cannot find include file "fixture-pins\.h"/);
  assert.match(r.out, /MAIN_UART0 +0x2800000\+256 B/, 'a summary is still printed');
  assert.match(r.err, /cannot evaluate 'FIXTURE_SPI_HIGH' in interrupts/);
});

test('board list and show', async () => {
  const l = await capture(['list']);
  assert.equal(l.code, 0);
  assert.match(l.out, /^qemu-arm64-virt +arm64 +\d+ devices +QEMU arm64 virt/m);
  const s = await capture(['show', 'rpi4']);
  assert.match(s.out, /GICv2: gicd 0xff841000, gicc 0xff842000/);
  const bad = await capture(['show', 'nope']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /unknown board 'nope'/);
  await assert.rejects(() => run([]), UsageError);
  await assert.rejects(() => run(['import']), UsageError);
});
