// Engine against compiler on generated sources: seeded random configs touching every field,
// spelled in varied C (negative literals into unsigned fields, 64-bit expressions, binary
// literals, constant names, index designators in any order, `.a.b =` chains, empty braces).
// Deterministic per seed, so gcc's images come from the cache on reruns.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildImage } from '../../../server/src/binary/buildPolicy';
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
      const analysis = analyzeFile(file, {});
      rows.push(compare(`seed ${seed} (${kind})`, analysis, res.bytes));
      // `jhcell build` (the function it calls) against upstream's flags: gcc's image, or a refusal where -Werror fails.
      const strict = compileConfig(file, { includeDirs: [inc], flags: ['-Werror', '-Wall', '-Wextra', '-D__LINUX_COMPILER_TYPES_H'], cacheDir, keyExtra: gccHeaderText() });
      const built = buildImage(analysis);
      const label = `seed ${seed} (${kind}) build`;
      if (!strict.bytes) rows.push({ file: label, status: built.bytes ? 'FAIL' : 'ok', detail: built.bytes ? `gcc -Werror rejects it, build wrote an image: ${strict.error?.split('\n')[0]}` : 'refused, as gcc' });
      else if (!built.bytes) rows.push({ file: label, status: 'FAIL', detail: `gcc -Werror builds it, build refused: ${built.refusedBy.map((d) => d.code).join(', ')}` });
      else rows.push({ file: label, status: Buffer.from(built.bytes).equals(Buffer.from(strict.bytes)) ? 'ok' : 'FAIL', detail: 'build bytes differ from gcc -Werror' });
    }
    const builds = rows.filter((r) => r.file.endsWith(' build') && r.status === 'ok').length;
    t.diagnostic(`jhcell build agrees with gcc -Werror -Wall -Wextra + objcopy on ${builds}/${SEEDS} generated sources (the same image, or refused where gcc fails)`);
    const bad = rows.filter((r) => r.status !== 'ok');
    assert.equal(bad.length, 0, `\n${table(bad)}\n(sources kept in ${work})`);
  });
});
