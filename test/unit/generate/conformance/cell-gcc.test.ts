// gcc agrees with the engine on every generated cell: it compiles with -Wall -Wextra -Werror
// against the schema's headers, and the engine's encoder writes gcc's bytes (support/conformance
// compare: JSON of both views and the image byte for byte).
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compare, table, type Row } from '../../../support/conformance';
import { compileConfig, haveGcc } from '../../../support/gcc';
import { gccHeaderText, writeGccHeaders } from '../../../support/gccHeaders';
import { boardCases, fixtureCases, writeCase, type CellCase } from '../cellCases';
import { analyseCell } from '../cellSupport';

const ROOT = join(__dirname, '../../../..');

function rowsOf(cases: CellCase[]): Row[] {
  const inc = writeGccHeaders(mkdtempSync(join(tmpdir(), 'jhcell-inc-')));
  const work = mkdtempSync(join(tmpdir(), 'jhcell-newcell-gcc-'));
  const rows: Row[] = [];
  cases.forEach((c, k) => {
    const files = writeCase(c, join(work, String(k)));
    files.forEach((file, i) => {
      const label = `${c.label}: ${c.cells[i].generated.fileName}`;
      const res = compileConfig(file, { includeDirs: [inc], flags: ['-Wall', '-Wextra', '-Werror'], cacheDir: join(ROOT, '.conformance-cache', 'new-cell'), keyExtra: gccHeaderText() });
      if (!res.bytes) rows.push({ file: label, status: 'FAIL', detail: `gcc: ${res.error}` });
      else rows.push(compare(label, analyseCell(c.root, c.cells[i].generated.fileName, c.cells[i].generated.text), res.bytes));
    });
  });
  return rows;
}

describe('new cell: gcc builds every generated cell, and its bytes are the engine\'s', { skip: haveGcc() ? false : 'gcc/objcopy not installed' }, () => {
  it('the fixture systems', (t) => {
    const rows = rowsOf(fixtureCases());
    t.diagnostic(`${rows.length} generated cells compiled`);
    assert.ok(rows.length >= 7);
    assert.deepEqual(rows.filter((r) => r.status !== 'ok'), [], table(rows));
  });
  it('the roots generated from the bundled boards', async (t) => {
    const cases = await boardCases();
    if (!cases) {
      t.skip('the root generator (server/src/generate/system.ts) is not in this tree');
      return;
    }
    const rows = rowsOf(cases);
    t.diagnostic(`${rows.length} generated cells compiled`);
    assert.deepEqual(rows.filter((r) => r.status !== 'ok'), [], table(rows));
  });
});
