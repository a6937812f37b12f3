// The text map says each conflict once, with the source line of every party, even though the
// checks report a shared CPU or interrupt from both cells and one finding covers several
// numbers. The Kappa-4 fixture is copied and changed so that the two cells share CPUs 2-3 and
// INTIDs 77-78 and 141.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildMemoryMap } from '../../../server/src/map/model';
import { renderText } from '../../../server/src/map/text';
import { checkSystem } from '../../../server/src/rules';
import { loadSystems } from '../../../server/src/workspace';

const FIXTURES = path.resolve(__dirname, '../../fixtures/map');

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${path.basename(file)} holds ${from}`);
  writeFileSync(file, text.replace(from, to));
}

/** 1-based line of the first line of `file` that contains `needle`. */
function lineOf(file: string, needle: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} in ${file}`);
  return i + 1;
}

function sharedKappa() {
  const dir = mkdtempSync(path.join(tmpdir(), 'jhmap-text-'));
  for (const f of ['kappa4.c', 'kappa4-linux.c', 'kappa4-rtos.c']) copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
  const linux = path.join(dir, 'kappa4-linux.c');
  const rtos = path.join(dir, 'kappa4-rtos.c');
  edit(rtos, '.cpus = {\n\t\t0b0100,', '.cpus = {\n\t\t0b1100,');
  edit(rtos, '1 << (77 - 64),', '1 << (77 - 64) | 1 << (78 - 64),');
  edit(linux, '.pin_bitmap = { 0, 1 << (77 - 64), 0, 0 },', '.pin_bitmap = { 0, 1 << (77 - 64) | 1 << (78 - 64), 0, 1 << (141 - 128) },');
  const { systems } = loadSystems([path.join(dir, 'kappa4.c')]);
  const diagnostics = [...checkSystem(systems[0]).values()].flat();
  return { linux, rtos, diagnostics, text: renderText(buildMemoryMap(systems[0], { diagnostics })) };
}

describe('text map conflicts', () => {
  const { linux, rtos, diagnostics, text } = sharedKappa();
  const lines = text.split('\n');

  it('reports the fixture the way the checks do: once from each cell', () => {
    assert.equal(diagnostics.filter((d) => d.code === 'cpu-shared').length, 2);
    assert.equal(diagnostics.filter((d) => d.code === 'irq-shared').length, 2);
  });

  it('says a CPU conflict once, for all its CPUs, with both places', () => {
    const said = lines.filter((l) => l.includes('[cpu-shared]'));
    assert.equal(said.length, 1, said.join('\n'));
    assert.match(said[0], /^ {2}CPUs 2-3: warning: CPUs 2-3 also belong to cell "kappa-\w+"/);
    const next = lines[lines.indexOf(said[0]) + 1];
    assert.equal(next, `    at kappa4-linux.c:${lineOf(linux, '0b1100')}, kappa4-rtos.c:${lineOf(rtos, '0b1100')}`);
  });

  it('says an interrupt conflict once, for all its interrupts, with both places', () => {
    const said = lines.filter((l) => l.includes('[irq-shared]'));
    assert.equal(said.length, 1, said.join('\n'));
    assert.match(said[0], /^ {4}INTIDs 77-78, 141: warning: interrupts 77-78, 141 also belong to cell/);
    const next = lines[lines.indexOf(said[0]) + 1];
    assert.equal(next, `      at kappa4-linux.c:${lineOf(linux, '.pin_bitmap')}, kappa4-rtos.c:${lineOf(rtos, '.pin_bitmap')}`);
    // The grid still marks every shared column.
    assert.match(text, /^ {4}kappa-linux +77! 78! 141!$/m);
  });

  it('gives each memory conflict the lines of both regions', () => {
    const said = lines.filter((l) => l.includes('[memory-overlap-cells]'));
    assert.equal(said.length, 1, said.join('\n'));
    const next = lines[lines.indexOf(said[0]) + 1];
    assert.equal(next, `     at kappa4-linux.c:${lineOf(linux, '.phys_start = 0x70000000')}, kappa4-rtos.c:${lineOf(rtos, '.phys_start = 0x78000000')}`);
  });
});
