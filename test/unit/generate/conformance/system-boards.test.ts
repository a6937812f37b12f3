// `jhcell new system` on every bundled board: the generated root reads back without an engine
// error, passes every system check (the board checks included), gcc builds it against the
// schema's headers with -Wall -Wextra -Werror and the engine's encoder writes gcc's bytes, and
// it agrees with the board (each enabled device window in exactly one region, GIC bases, CPUs,
// nothing over the carve-out, the cells' RAM and ivshmem contract). x86 is refused by design.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bundledBoards } from '../../../../server/src/boards/registry';
import type { Board } from '../../../../server/src/boards/types';
import { generateSystem, X86_REFUSED } from '../../../../server/src/generate/system';
import type { SystemOptions } from '../../../../server/src/generate/types';
import { checkSystem } from '../../../../server/src/rules';
import { compare, table, type Row } from '../../../support/conformance';
import { compileConfig, haveGcc } from '../../../support/gcc';
import { gccHeaderText, writeGccHeaders } from '../../../support/gccHeaders';
import { boardAgreement, writeAndAnalyse } from '../systemSupport';

const ROOT = join(__dirname, '../../../..');
const VARIANTS: { label: string; options: SystemOptions }[] = [
  { label: 'defaults', options: {} },
  { label: '3 links, 32 MiB for cells, 6 MiB hypervisor', options: { ivshmemLinks: 3, cellRamSize: 32n << 20n, hypervisorSize: 6n << 20n } },
  { label: 'no link', options: { ivshmemLinks: 0 } },
];

function rowFor(board: Board, label: string, options: SystemOptions, inc: string, work: string): Row {
  const g = generateSystem(board, options);
  const { file, analysis } = writeAndAnalyse(g, join(work, `${board.id}-${label.replace(/\W+/g, '-')}`));
  const name = `${board.id} (${label})`;
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { file: name, status: 'FAIL', detail: `engine: ${errors[0].message}` };
  const found = [...checkSystem({ root: analysis, cells: [] }, { board }).values()].flat();
  const bad = found.filter((d) => d.severity === 'error' || d.code.startsWith('board-'));
  if (bad.length) return { file: name, status: 'FAIL', detail: `check: ${bad.map((d) => `${d.code}: ${d.message}`).join(' | ')}` };
  const agree = boardAgreement(board, g, analysis);
  if (agree.length) return { file: name, status: 'FAIL', detail: `board: ${agree.join('; ')}` };
  const res = compileConfig(file, { includeDirs: [inc], flags: ['-Wall', '-Wextra', '-Werror'], cacheDir: join(ROOT, '.conformance-cache', 'new-system'), keyExtra: gccHeaderText() });
  if (!res.bytes) return { file: name, status: 'FAIL', detail: `gcc: ${res.error}` };
  return compare(name, analysis, res.bytes);
}

describe('new system: every bundled board', { skip: haveGcc() ? false : 'gcc/objcopy not installed' }, () => {
  it('reads back, checks clean, agrees with the board, and gcc writes the engine\'s bytes', (t) => {
    const inc = writeGccHeaders(mkdtempSync(join(tmpdir(), 'jhcell-inc-')));
    const work = mkdtempSync(join(tmpdir(), 'jhcell-newsys-gcc-'));
    const rows: Row[] = [];
    for (const board of bundledBoards()) {
      if (board.arch === 'x86') {
        assert.throws(() => generateSystem(board), (e: Error) => e.name === 'GenerateError' && e.message.includes(X86_REFUSED));
        continue;
      }
      for (const v of VARIANTS) rows.push(rowFor(board, v.label, v.options, inc, work));
    }
    t.diagnostic(`${rows.length} generated roots compiled`);
    assert.equal(rows.length, (bundledBoards().length - 1) * VARIANTS.length);
    assert.deepEqual(rows.filter((r) => r.status !== 'ok'), [], table(rows));
  });
});
