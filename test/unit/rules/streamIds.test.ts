// stream-id-conflict's MMU-500 part against a port of the hypervisor's stream matching
// (arm_smmu_find_sme / arm_smmu_cell_init, hypervisor/arch/arm64/smmu.c): random root and cell
// entries over a few bits, so that nesting and partial overlaps are frequent. The rule decides
// each entry without simulating a table in index order; this checks that it decides as the
// table does.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fixesFor } from '../../../server/src/rules';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

const DIR = path.join(FIXTURES, 'stream-id-conflict-apart');

interface Smr { id: number; mask: number; valid: boolean; owner: string; raw: number }

/** arm_smmu_find_sme: the index to use, or -1 for -EINVAL. */
function findSme(table: Smr[], id: number, mask: number): number {
  let free = -1;
  for (let n = 0; n < table.length; n++) {
    const s = table[n];
    if (!s.valid) {
      if (free < 0) free = n;
      continue;
    }
    if ((mask & s.mask) === mask && !((id ^ s.id) & ~s.mask)) return n;
    if (!((id ^ s.id) & ~(s.mask | mask))) return -1;
  }
  return free;
}

/** arm_smmu_cell_init, going on past a refused entry: 'einval' or 'ok' per entry. */
function cellInit(table: Smr[], owner: string, entries: [number, number][]): string[] {
  return entries.map(([id, mask]) => {
    const n = findSme(table, id, mask);
    if (n < 0) return 'einval';
    if (!table[n].valid) table[n] = { id, mask, valid: true, owner, raw: id | (mask << 16) };
    else table[n] = { ...table[n], owner };
    return 'ok';
  });
}

/**
 * arm_smmu_cell_exit with arm_smmu_return_sid_to_root_cell: the entries whose exit invalidates
 * a slot the root had programmed (the root's devices fault from then on).
 */
function cellExit(table: Smr[], rootSlots: Set<number>, rootValues: number[], entries: [number, number][]): boolean[] {
  return entries.map(([id, mask]) => {
    const n = findSme(table, id, mask);
    if (n < 0 || rootValues.includes(id | (mask << 16))) return false;
    const lost = table[n].valid && rootSlots.has(n);
    table[n] = { id: 0, mask: 0, valid: false, owner: '', raw: 0 };
    return lost;
  });
}

function random(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x % n;
  };
}

const streamIds = (entries: [number, number][]) =>
  entries.map(([id, mask]) => `\t\t{ .mmu500.id = 0x${id.toString(16)}, .mmu500.mask_out = 0x${mask.toString(16)}, },\n`).join('');

function withStreamIds(file: string, entries: [number, number][]): string {
  const text = fs.readFileSync(file, 'utf8');
  return text
    .replace(/union jailhouse_stream_id stream_ids\[\d+\];/, `union jailhouse_stream_id stream_ids[${entries.length}];`)
    .replace(/(\t\.stream_ids = \{\n)[\s\S]*?(\t\},\n\};)/, (_m, a, b) => a + streamIds(entries) + b);
}

describe('stream-id-conflict (MMU-500) decides as arm_smmu_find_sme', () => {
  it('on 150 random root and cell tables', () => {
    const rnd = random(12);
    const entry = (): [number, number] => [0x100 | rnd(16), [0, 0, 1, 2, 3, 4, 6, 8, 12, 15][rnd(10)]];
    let refused = 0;
    let taken = 0;
    for (let t = 0; t < 150; t++) {
      const root = Array.from({ length: 1 + rnd(3) }, entry);
      const cell = Array.from({ length: 1 + rnd(3) }, entry);
      const table: Smr[] = Array.from({ length: 16 }, () => ({ id: 0, mask: 0, valid: false, owner: '', raw: 0 }));
      const atEnable = cellInit(table, 'root', root);
      const rootSlots = new Set(table.flatMap((x, n) => (x.valid ? [n] : [])));
      const atCreate = cellInit(table, 'rtos', cell);
      const lost = cellExit(table, rootSlots, root.map(([id, mask]) => id | (mask << 16)), cell);
      const want = [
        ...atEnable.map((r, i) => ['nimbus.c', i, r]),
        ...atCreate.map((r, i) => ['nimbus-rtos.c', i, lost[i] ? 'takes-root' : r]),
      ].filter((w) => w[2] !== 'ok');
      const rootFile = path.join(DIR, 'nimbus.c');
      const rtosFile = path.join(DIR, 'nimbus-rtos.c');
      const host = hostWith(new Map([[rootFile, withStreamIds(rootFile, root)], [rtosFile, withStreamIds(rtosFile, cell)]]));
      const got = diagsOf(loadFixture(DIR, host))
        .filter((d) => d.code === 'stream-id-conflict' && d.loc.file !== path.join(DIR, 'nimbus-linux.c'))
        .map((d) => [path.basename(d.loc.file), (d.data as { stream: number }).stream, d.severity === 'error' ? 'einval' : 'takes-root']);
      const key = (w: unknown[]) => w.join(':');
      assert.deepEqual(got.map(key).sort(), want.map(key).sort(), `root ${JSON.stringify(root)} cell ${JSON.stringify(cell)}`);
      refused += want.filter((w) => w[2] === 'einval').length;
      taken += want.filter((w) => w[2] === 'takes-root').length;
    }
    // The draw must exercise both outcomes, or the comparison proves little.
    assert.ok(refused > 20 && taken > 20, `refused ${refused}, taken ${taken}`);
  });

  it('reads a stream ID written as one number as the MMU-500 sees it; a cell\'s only stream ID gets no fix', () => {
    const rtos = path.join(DIR, 'nimbus-rtos.c');
    const text = fs.readFileSync(rtos, 'utf8')
      .replace(/union jailhouse_stream_id stream_ids\[\d+\];/, 'union jailhouse_stream_id stream_ids[1];')
      // mask_out 0x8 in the upper half: 0x300/0x8, which the root's 0x300/0x0 lies inside.
      .replace(/(\t\.stream_ids = \{\n)[\s\S]*?(\t\},\n\};)/, (_m, a, b) => `${a}\t\t{ 0x00080300 },\n${b}`);
    const [sys] = loadFixture(DIR, hostWith(new Map([[rtos, text]])));
    const ds = diagsOf([sys]).filter((d) => d.code === 'stream-id-conflict' && d.loc.file === rtos);
    assert.deepEqual(ds.map((d) => d.severity), ['error']);
    assert.match(ds[0].message, /^MMU-500 stream ID 0x0300 mask 0x0008 overlaps MMU-500 stream ID 0x0300 mask 0x0000 of the root cell without lying inside it/);
    assert.deepEqual(fixesFor(ds[0], sys), []);
  });
});
