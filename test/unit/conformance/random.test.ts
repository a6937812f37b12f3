// Engine against compiler on generated sources: seeded random configs touching every field,
// spelled in varied C (negative literals into unsigned fields, 64-bit expressions, binary
// literals, constant names, index designators in any order, `.a.b =` chains, empty braces).
// Deterministic per seed, so gcc's images come from the cache on reruns.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compare, loadEngine, table } from '../../support/conformance';
import type { Row } from '../../support/conformance';
import { compileConfig, haveGcc } from '../../support/gcc';
import { gccHeaderText, writeGccHeaders } from '../../support/gccHeaders';
import { randomConfig, rng } from '../../support/randomConfig';
import { cSource } from '../../support/values';

const SEEDS = 40;

describe('random sources: engine == gcc', { skip: haveGcc() ? false : 'gcc/objcopy not installed' }, () => {
  it(`${SEEDS} generated configs`, async (t) => {
    const analyzeFile = await loadEngine();
    if (!analyzeFile) {
      t.skip('the engine (server/src/engine/analyze.ts) is not there yet');
      return;
    }
    const work = mkdtempSync(join(tmpdir(), 'jhcell-rand-'));
    const inc = writeGccHeaders(join(work, 'include'));
    const cacheDir = join(process.cwd(), '.conformance-cache', 'random');
    const rows: Row[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const kind = seed % 3 === 0 ? 'cell' : 'system';
      const file = join(work, `random-${seed}.c`);
      writeFileSync(file, cSource(randomConfig(seed, kind), rng(seed * 7919)));
      const res = compileConfig(file, { includeDirs: [inc], flags: ['-Wall', '-Wextra'], cacheDir, keyExtra: gccHeaderText() });
      assert.ok(res.bytes, `gcc rejects generated seed ${seed}: ${res.error}`);
      rows.push(compare(`seed ${seed} (${kind})`, analyzeFile(file, {}), res.bytes));
    }
    const bad = rows.filter((r) => r.status !== 'ok');
    assert.equal(bad.length, 0, `\n${table(bad)}\n(sources kept in ${work})`);
  });
});
