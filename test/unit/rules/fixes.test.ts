// Every quick fix offered on the fixtures is applied to the text, the system re-analysed and
// re-checked: the file must still compile cleanly and the diagnostic it addressed must be gone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ENGINE_CODES } from '../../../server/src/core/diagnostics';
import { applyEdits, fixesFor } from '../../../server/src/rules';
import type { Diag } from '../../../server/src/rules';
import { diagsOf, fixtureNames, FIXTURES, hostWith, loadFixture, stillReported } from './harness';

const FIXABLE = [
  'count-mismatch', 'memory-overlap', 'memory-overlap-cells', 'memory-overlap-hypervisor', 'memory-overlap-platform',
  'cpu-shared', 'cpu-not-in-root', 'cpu-zero-x86', 'irqchip-missing', 'irqchip-address', 'alignment', 'array-underfilled',
  'unknown-field', 'subpage-width', 'comm-region', 'memory-loadable', 'memory-subpage-root', 'memory-root-virt', 'ivshmem', 'ivshmem-intx', 'memory-dma-width',
  'stream-id-conflict',
  'board-partial-device', 'board-device-uncovered', 'pci-msi-cap', 'pci-dma', 'pci-end-bus',
  'linux-ram', 'hypervisor-memory',
  'pio-shared', 'vtd-interrupt-limit', 'irqchip-id',
  'reset-address', 'test-device', 'comm-region-missing',
];

const engineErrors = (ds: Diag[]) => ds.filter((d) => (ENGINE_CODES as readonly string[]).includes(d.code) && d.severity === 'error').length;
const sameKind = (a: Diag, b: Diag) => a.code === b.code && a.loc.file === b.loc.file;

describe('quick fixes', () => {
  const fixed = new Map<string, number>();
  for (const name of fixtureNames()) {
    it(name, () => {
      const dir = path.join(FIXTURES, name);
      const systems = loadFixture(dir);
      const before = diagsOf(systems);
      for (const diag of before) {
        const sys = systems.find((s) => [s.root, ...s.cells].some((a) => a?.files.has(diag.loc.file)))!;
        // Data travels through the LSP client as JSON: fixes must work from the round-tripped copy.
        const viaJson: Diag = { ...diag, data: diag.data === undefined ? undefined : JSON.parse(JSON.stringify(diag.data)) };
        for (const fix of fixesFor(viaJson, sys)) {
          const texts = new Map<string, string>();
          for (const file of new Set(fix.edits.map((e) => e.loc.file))) {
            assert.ok(fs.existsSync(file), `edit targets a real file: ${file}`);
            texts.set(file, applyEdits(fs.readFileSync(file, 'utf8'), file, fix.edits));
          }
          const after = diagsOf(loadFixture(dir, hostWith(texts)));
          const what = `${name}: "${fix.title}" for ${diag.code}: ${diag.message}\n${[...texts.values()].join('\n----\n')}\nafter:\n${after.map((d) => `${d.code}: ${d.message}`).join('\n')}`;
          assert.ok(engineErrors(after) <= engineErrors(before), `fix keeps the file compiling — ${what}`);
          assert.ok(after.filter((d) => sameKind(d, diag)).length < before.filter((d) => sameKind(d, diag)).length, `fix clears its diagnostic — ${what}`);
          assert.ok(!stillReported(diag, after), `the same finding is gone — ${what}`);
          fixed.set(diag.code, (fixed.get(diag.code) ?? 0) + 1);
        }
      }
    });
  }
  it('every fixable rule had a fix applied', () => {
    assert.deepEqual(FIXABLE.filter((c) => !fixed.has(c)), []);
  });
});
