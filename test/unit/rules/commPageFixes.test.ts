// What the quick fixes of comm-region-missing, test-device and reset-address write: the comm region
// where it is free (upstream's address, else above the cell's regions), nothing that a
// count fix owns, and a start address in the cell's RAM. fixes.test.ts re-checks each fix; this
// says which edit is offered.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, fixesFor } from '../../../server/src/rules';
import type { Diag, System } from '../../../server/src/rules';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

function fixesOf(fixture: string, code: string, file: string): { diag: Diag; titles: string[]; apply: (i: number) => Diag[] } {
  const dir = path.join(FIXTURES, fixture);
  const systems = loadFixture(dir);
  const diag = diagsOf(systems).find((d) => d.code === code && path.basename(d.loc.file) === file);
  assert.ok(diag, `${fixture}/${file}: ${code}`);
  const sys = systems.find((s: System) => [s.root, ...s.cells].some((a) => a?.files.has(diag.loc.file)))!;
  const fixes = fixesFor(diag, sys);
  return {
    diag,
    titles: fixes.map((f) => f.title),
    apply: (i) => {
      const target = fixes[i].edits[0].loc.file;
      const text = applyEdits(fs.readFileSync(target, 'utf8'), target, fixes[i].edits);
      return diagsOf(loadFixture(dir, hostWith(new Map([[target, text]])))).filter((d) => d.loc.file === target);
    },
  };
}

describe('comm page and start address fixes', () => {
  it('a comm region at upstream’s 0x80000000 when free, and the passive flag as the alternative', () => {
    const f = fixesOf('comm-region-missing', 'comm-region-missing', 'nimbus-rtos.c');
    assert.deepEqual(f.titles, ['Add a communication region at 0x80000000', 'Declare the cell passive (JAILHOUSE_CELL_PASSIVE_COMMREG): shutdown requests are approved without asking it']);
    assert.deepEqual(f.apply(0).map((d) => d.code), []);
    assert.deepEqual(f.apply(1).map((d) => d.code), []);
  });

  it('above the cell’s regions when its RAM sits at 0x80000000, overlapping nothing', () => {
    const f = fixesOf('comm-region-missing', 'comm-region-missing', 'nimbus-timeout.c');
    assert.equal(f.titles[0], 'Add a communication region at 0x80100000');
    assert.deepEqual(f.apply(0).map((d) => d.code), []);
  });

  it('x86 test device: upstream’s 0x00100000, with the test page after it free', () => {
    const f = fixesOf('test-device', 'test-device', 'orca-test.c');
    assert.deepEqual(f.titles, ['Add a communication region at 0x00100000']);
    assert.deepEqual(f.apply(0).map((d) => d.code), []);
  });

  it('a comm region written past num_memory_regions gets no second one (the count fix owns it)', () => {
    const f = fixesOf('count-mismatch-tail', 'comm-region-missing', 'nimbus-linux.c');
    assert.match(f.diag.message, /region #1 "communication region" lies past num_memory_regions/);
    assert.deepEqual(f.titles, ['Declare the cell passive (JAILHOUSE_CELL_PASSIVE_COMMREG): shutdown requests are approved without asking it']);
  });

  it('a start in no region moves to the loadable RAM; one in RAM without EXECUTE gets the flag', () => {
    const none = fixesOf('reset-address', 'reset-address', 'nimbus-rtos.c');
    assert.deepEqual(none.titles, ['Start at the loadable RAM: cpu_reset_address = 0x00000000']);
    assert.deepEqual(none.apply(0).map((d) => d.code), []);
    const noExec = fixesOf('reset-address-x86', 'reset-address', 'orca-demo.c');
    assert.deepEqual(noExec.titles, ['Add JAILHOUSE_MEM_EXECUTE to region #0 "RAM"']);
    assert.deepEqual(noExec.apply(0).map((d) => d.code), []);
  });
});
