// A board chosen for a system it does not describe: the evidence (architecture, GIC or IOAPIC
// addresses, RAM), and the one `board-mismatch` diagnostic the editor publishes on the root
// config (the CLI's side is in test/unit/rules/cli-board.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { boardMismatch, boardMismatchDiagnostic } from '../../../server/src/rules/boards/mismatch';
import { bundledBoard } from '../../../server/src/boards/registry';
import type { Board } from '../../../server/src/boards/types';
import { analyzeFile } from '../../../server/src/engine/analyze';
import { boardState, boardSystemDiagnostics } from '../../../server/src/lsp/boards';
import type { System } from '../../../server/src/workspace';
import type { Session } from '../../../server/src/lsp/session';
import type { SeverityLevel } from '../../../server/src/rules';
import { FIXTURES, REPO } from './helpers';

const root = analyzeFile(join(FIXTURES, 'cells', 'mini-root.c'));
const demo = analyzeFile(join(FIXTURES, 'cells', 'mini-demo.c'));
const wombat = analyzeFile(join(REPO, 'test/fixtures/engine/x86-wombat.c'));
const board = (id: string): Board => bundledBoard(id)!;
const texts = (r: Board, a = root) => boardMismatch(a.model!, r).map((e) => e.text);
const textAt = (l: { file: string; start: number; end: number }) => root.files.get(l.file)!.text.slice(l.start, l.end);

describe('boardMismatch', () => {
  it('the board of the system: no evidence', () => {
    assert.deepEqual(texts(board('imx8mm-evk')), []);
    assert.deepEqual(texts(board('qemu-x86-q35'), wombat), []);
  });

  it('another SoC: the GIC addresses, config value and board value', () => {
    assert.deepEqual(texts(board('qemu-arm64-virt')), [
      'GIC distributor at 0x38800000 in the config, 0x8000000 on the board',
      'GIC redistributor at 0x38880000 in the config, 0x80a0000 on the board',
    ]);
    assert.deepEqual(texts(board('rpi4')), ['GICv3 in the config, GICv2 on the board', 'GIC distributor at 0x38800000 in the config, 0xff841000 on the board']);
  });

  it('another architecture', () => {
    assert.deepEqual(texts(board('qemu-x86-q35')), ['the config is for arm64, the board is x86']);
    assert.deepEqual(texts(board('imx8mm-evk'), wombat), ['the config is for x86, the board is arm64']);
  });

  it('RAM wholly elsewhere, or another IOAPIC', () => {
    const far: Board = { ...board('imx8mm-evk'), ram: [{ base: 0x100000000n, size: 0x80000000n }] };
    const [ram] = texts(far);
    assert.match(ram, /^none of the config's RAM \(0x[0-9a-f]+-0x[0-9a-f]+(, 0x[0-9a-f]+-0x[0-9a-f]+)*\) is RAM on the board \(0x100000000-0x17fffffff\)$/);
    // RAM the board describes only in part is no evidence (firmware may add the rest).
    const part: Board = { ...board('imx8mm-evk'), ram: [{ base: 0x40000000n, size: 0x1000n }] };
    assert.deepEqual(texts(part), []);
    const q35 = board('qemu-x86-q35');
    const otherIoapic: Board = { ...q35, interruptController: { type: 'ioapic', ioapics: [{ base: 0xfed00000n, pins: 24 }] } };
    assert.deepEqual(texts(otherIoapic, wombat), ['IOAPIC at 0xfec00000 in the config, 0xfed00000 on the board']);
  });

  it('cells and configs without a system header give no evidence', () => {
    assert.deepEqual(texts(board('qemu-arm64-virt'), demo), []);
  });
});

describe('board-mismatch diagnostic', () => {
  it('on the first field in question, the others as related, the evidence in the message', () => {
    const d = boardMismatchDiagnostic(root, board('qemu-arm64-virt'))!;
    assert.equal(d.code, 'board-mismatch');
    assert.equal(d.severity, 'warning');
    assert.equal(d.loc.file, root.file);
    assert.equal(textAt(d.loc), '0x38800000');
    assert.deepEqual(d.related!.map((r) => [textAt(r.loc), r.message]), [['0x38880000', 'GIC redistributor at 0x38880000 in the config, 0x80a0000 on the board']]);
    assert.match(d.message, /^The board "QEMU arm64 virt \(GICv3\)" does not look like the machine of this system config: GIC distributor at 0x38800000 in the config, 0x8000000 on the board; GIC redistributor/);
    assert.equal(boardMismatchDiagnostic(root, board('imx8mm-evk')), undefined);
    assert.equal(boardMismatchDiagnostic(undefined, board('qemu-arm64-virt')), undefined);
    assert.equal(boardMismatchDiagnostic(root, undefined), undefined);
  });

  it('the editor publishes it once per system, on the root config, with the severity setting', () => {
    const sys = { root, cells: [demo] } as unknown as System;
    const published = (b: Board | undefined, severity: Record<string, SeverityLevel> = {}) => {
      const session = { settings: { severity }, log() {} } as unknown as Session;
      boardState(session).board = b;
      return boardSystemDiagnostics(session, sys).filter((d) => d.code === 'board-mismatch');
    };
    const once = published(board('qemu-arm64-virt'));
    assert.equal(once.length, 1);
    assert.equal(once[0].loc.file, root.file);
    assert.deepEqual(published(board('imx8mm-evk')), []);
    assert.deepEqual(published(undefined), [], 'no chosen board: the root cell is the board');
    assert.deepEqual(published(board('qemu-arm64-virt'), { 'board-mismatch': 'off' }), []);
    assert.equal(published(board('qemu-arm64-virt'), { 'board-mismatch': 'error' })[0].severity, 'error');
  });
});
