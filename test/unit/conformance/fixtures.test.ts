// Conformance with the compiler on our own fixtures, without an upstream checkout: every
// fixture that is a complete config (the engine finds a config object and reports no error) is
// compiled by gcc against an include tree generated from our schema, and `dump` of the source
// must equal `dump` of the compiled image, byte for byte.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { compare, loadEngine, table } from '../../support/conformance';
import type { Row } from '../../support/conformance';
import { compileConfig, haveGcc } from '../../support/gcc';
import { gccHeaderText, writeGccHeaders } from '../../support/gccHeaders';
import { cSources } from '../../support/files';

const ROOT = join(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures');


describe('fixture conformance: dump(source) == dump(gcc image)', { skip: haveGcc() ? false : 'gcc/objcopy not installed' }, () => {
  it('every complete config under test/fixtures', async (t) => {
    const analyzeFile = await loadEngine();
    if (!analyzeFile) {
      t.skip('the engine (server/src/engine/analyze.ts) is not there yet');
      return;
    }
    const inc = writeGccHeaders(mkdtempSync(join(tmpdir(), 'jhcell-inc-')));
    const cacheDir = join(ROOT, '.conformance-cache', 'fixtures');
    const rows: Row[] = [];
    for (const file of cSources(FIXTURES)) {
      const label = relative(FIXTURES, file);
      const analysis = analyzeFile(file, {});
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
      if (!analysis.model || errors.length) {
        rows.push({ file: label, status: 'skipped', detail: analysis.model ? `${errors.length} engine error(s)` : 'no config object' });
        continue;
      }
      // Warnings stay warnings: a fixture may show how a value is converted (gcc warns, stores the converted value).
      const res = compileConfig(file, { includeDirs: [inc], flags: ['-Wall', '-Wextra'], cacheDir, keyExtra: gccHeaderText() });
      if (!res.bytes) {
        rows.push({ file: label, status: 'FAIL', detail: `the engine accepts it but gcc does not: ${(res.error ?? '').split('\n').find((l) => /error/.test(l)) ?? res.error}` });
        continue;
      }
      rows.push(compare(label, analysis, res.bytes));
    }
    const compared = rows.filter((r) => r.status !== 'skipped');
    const bad = compared.filter((r) => r.status !== 'ok');
    t.diagnostic(`${compared.length - bad.length}/${compared.length} complete fixtures agree with gcc; ${rows.length - compared.length} skipped`);
    assert.ok(compared.length > 0, `no complete config among the fixtures:\n${table(rows)}`);
    assert.equal(bad.length, 0, `\n${table(bad)}`);
  });
});
