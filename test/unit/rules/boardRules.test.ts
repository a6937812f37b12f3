// The board findings are rules: checkSystem runs them when the options carry a board (and only
// then), applies severities to them like to any id, and fixesFor answers their quick fixes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { bundledBoard } from '../../../server/src/boards/registry';
import { BOARD_RULES } from '../../../server/src/rules/board';
import { BOARD_DIAG_CODES } from '../../../server/src/rules/boards/diagnostics';
import { applyEdits, checkSystem, diagnosticIds, fixesFor, parseSeverityOverride, type CheckOptions, type Diag } from '../../../server/src/rules';
import { loadSystems } from '../../../server/src/workspace';

const CELLS = path.resolve(__dirname, '../../fixtures/boards/cells');
const imx = bundledBoard('imx8mm-evk')!;
const qemu = bundledBoard('qemu-arm64-virt')!;

describe('board rules', () => {
  // Each test its own copy of the mini system (the fix test writes to it).
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-board-rules-'));
    dirs.push(dir);
    for (const f of ['mini-root.c', 'mini-demo.c']) fs.copyFileSync(path.join(CELLS, f), path.join(dir, f));
  });
  const system = () => loadSystems([dir], {}).systems[0];
  const all = (o: CheckOptions = {}) => [...checkSystem(system(), o).values()].flat();
  const boardFindings = (o: CheckOptions = {}) => all(o).filter((d) => d.code.startsWith('board-'));
  const show = (ds: Diag[]) => ds.map((d) => `${path.basename(d.loc.file)} ${d.code} ${d.severity}`).sort();

  it('report nothing without a board, and run in checkSystem with one', () => {
    assert.deepEqual(boardFindings(), []);
    assert.deepEqual(show(boardFindings({ board: imx })), ['mini-demo.c board-device-uncovered warning', 'mini-demo.c board-partial-device information']);
    assert.deepEqual(show(boardFindings({ board: qemu })).filter((x) => x.includes('mismatch')), ['mini-root.c board-mismatch warning']);
    // The root cell's own description always fits its config: no mismatch then.
    assert.ok(!boardFindings({ board: 'root' }).some((d) => d.code === 'board-mismatch'));
  });

  it('take severity overrides like every id', () => {
    const found = boardFindings({ board: imx, severity: { 'board-partial-device': 'error', 'board-device-uncovered': 'off' } });
    assert.deepEqual(show(found), ['mini-demo.c board-partial-device error']);
  });

  it('answer fixesFor, and the fixed file checks clean of the finding without a new error', () => {
    const before = all({ board: imx });
    const uncovered = before.find((d) => d.code === 'board-device-uncovered')!;
    const fixes = fixesFor(uncovered, system());
    assert.deepEqual(fixes.map((f) => f.title), ['Map UART3 (0x30880000, 0x10000)']);
    const file = uncovered.loc.file;
    fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), file, fixes[0].edits));
    const afterFix = all({ board: imx });
    assert.ok(!afterFix.some((d) => d.code === 'board-device-uncovered'));
    const errors = (ds: Diag[]) => ds.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
    assert.deepEqual(errors(afterFix), errors(before));
  });

  it('are in the one registry of ids, with system-root and the engine codes', () => {
    const ids = new Map(diagnosticIds().map((d) => [d.id, d]));
    assert.equal(ids.get('board-partial-device')?.level, 'information');
    assert.equal(ids.get('board-device-uncovered')?.level, 'warning');
    assert.equal(ids.get('board-mismatch')?.docs, '#board-mismatch');
    assert.equal(ids.get('system-root')?.level, 'information');
    assert.equal(ids.get('syntax')?.level, 'error');
    assert.deepEqual(parseSeverityOverride('board-mismatch=off'), ['board-mismatch', 'off']);
    assert.deepEqual(parseSeverityOverride('system-root=error'), ['system-root', 'error']);
    assert.deepEqual(BOARD_RULES.map((r) => r.id), [...BOARD_DIAG_CODES], 'the codes the board checks write are the rules\' ids');
  });
});
