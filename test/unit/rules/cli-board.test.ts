// `jhcell check --board`: the board diagnostics of the checked systems, exactly as the language
// server computes them for a chosen board (same ids, severities, overrides). Runs the bundled
// CLI in a child process (needs `npm run build`) and compares with the server's own function.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { boardToJson, stringifyBoard } from '../../../server/src/boards/json';
import { loadBoard } from '../../../server/src/boards/load';
import { bundledBoard } from '../../../server/src/boards/registry';
import type { Board } from '../../../server/src/boards/types';
import { boardState, boardSystemDiagnostics } from '../../../server/src/lsp/boards';
import type { Session } from '../../../server/src/lsp/session';
import type { SeverityLevel } from '../../../server/src/rules';
import { rangeOf, type SourceFile } from '../../../server/src/util/source';
import { loadSystems } from '../../../server/src/workspace';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const CELLS = path.join(ROOT, 'test/fixtures/boards/cells');
const BOARD_FX = path.join(ROOT, 'test/fixtures/boards');

function jhcell(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Flat {
  file: string;
  code: string;
  severity: string;
  message: string;
  line: number;
  character: number;
}

const show = (xs: Flat[]) => xs.map((x) => `${path.basename(x.file)}:${x.line}:${x.character} ${x.severity} [${x.code}] ${x.message}`).sort();

/** Board findings of `jhcell check --format json` output. */
function cliBoardFindings(out: string): Flat[] {
  const j = JSON.parse(out) as { files: { file: string; diagnostics: { code: string; severity: string; message: string; range: { start: { line: number; character: number } } }[] }[] };
  return j.files.flatMap((f) =>
    f.diagnostics.filter((d) => d.code.startsWith('board-')).map((d) => ({ file: f.file, code: d.code, severity: d.severity, message: d.message, line: d.range.start.line, character: d.range.start.character })),
  );
}

/** What the language server publishes for the same systems with `board` chosen. */
function serverBoardFindings(paths: string[], board: Board, severity: Record<string, SeverityLevel> = {}): Flat[] {
  const session = { settings: { severity }, log() {} } as unknown as Session;
  boardState(session).board = board;
  const out: Flat[] = [];
  for (const sys of loadSystems(paths, {}).systems) {
    const files = new Map<string, SourceFile>();
    for (const a of [sys.root, ...sys.cells]) if (a) for (const [k, v] of a.files) files.set(k, v);
    for (const d of boardSystemDiagnostics(session, sys)) {
      const r = rangeOf(files.get(d.loc.file)!, d.loc);
      out.push({ file: d.loc.file, code: d.code, severity: d.severity, message: d.message, line: r.start.line, character: r.start.character });
    }
  }
  return out;
}

/** The mini system without the x86 cell that does not belong to it (no rule errors left). */
function miniSystem(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhcell-board-'));
  for (const f of ['mini-root.c', 'mini-demo.c']) fs.copyFileSync(path.join(CELLS, f), path.join(dir, f));
  return dir;
}

describe('jhcell check --board', { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' }, () => {
  const imx = bundledBoard('imx8mm-evk')!;

  it('a bundled id: the same board findings as the language server', () => {
    const r = jhcell('--format', 'json', '--board', 'imx8mm-evk', CELLS);
    assert.equal(r.code, 1, r.err);
    const cli = cliBoardFindings(r.out);
    assert.deepEqual(new Set(cli.map((x) => x.code)), new Set(['board-partial-device', 'board-device-uncovered']));
    assert.deepEqual(show(cli), show(serverBoardFindings([CELLS], imx)));
  });

  it('without --board there are no board findings', () => {
    assert.deepEqual(cliBoardFindings(jhcell('--format', 'json', CELLS).out), []);
  });

  it('severity overrides apply to board ids, in the exit code too', () => {
    const dir = miniSystem();
    try {
      assert.equal(jhcell(dir).code, 0);
      assert.equal(jhcell('--board', 'imx8mm-evk', dir).code, 0, 'information and warnings only');
      const sev: Record<string, SeverityLevel> = { 'board-partial-device': 'error', 'board-device-uncovered': 'off' };
      const r = jhcell('--format', 'json', '--board', 'imx8mm-evk', '--severity', 'board-partial-device=error', '--severity', 'board-device-uncovered=off', dir);
      assert.equal(r.code, 1);
      const cli = cliBoardFindings(r.out);
      assert.deepEqual(cli.map((x) => `${x.code}:${x.severity}`), ['board-partial-device:error']);
      assert.deepEqual(show(cli), show(serverBoardFindings([dir], imx, sev)));
      const text = jhcell('--board', 'imx8mm-evk', dir).out;
      assert.match(text, /mini-demo\.c:\d+:\d+: information: Region 1 \(part of GPIO1\) starts at 0x30208000, inside GPIO1 .*\[board-partial-device\]/);
      assert.match(text, /mini-demo\.c:\d+:\d+: warning: The cell is granted SPI 28 of UART3.*\[board-device-uncovered\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a board JSON file and a device tree (with -I) work like a bundled board', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jhcell-board-'));
    try {
      const file = path.join(dir, 'imx.board.json');
      fs.writeFileSync(file, stringifyBoard(boardToJson(imx)) + '\n');
      const viaJson = jhcell('--format', 'json', '--board', file, CELLS);
      assert.equal(viaJson.code, 1, viaJson.err);
      assert.deepEqual(show(cliBoardFindings(viaJson.out)), show(serverBoardFindings([CELLS], imx)));

      const dts = path.join(BOARD_FX, 'imx8mm-evk', 'board.dts');
      const inc = path.join(BOARD_FX, 'include');
      const fromDts = loadBoard(dts, { includeDirs: [inc] }).board!;
      const viaDts = jhcell('--format', 'json', '--board', dts, '-I', inc, CELLS);
      assert.equal(viaDts.code, 1, viaDts.err);
      assert.deepEqual(show(cliBoardFindings(viaDts.out)), show(serverBoardFindings([CELLS], fromDts)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a board of another SoC: one board-mismatch warning on the root config, with the evidence, as in the editor', () => {
    const dir = miniSystem();
    try {
      const qemu = bundledBoard('qemu-arm64-virt')!;
      const text = jhcell('--board', 'qemu-arm64-virt', dir);
      const lines = text.out.split('\n').filter((l) => l.includes('[board-mismatch]'));
      assert.equal(lines.length, 1, text.out);
      assert.match(lines[0], /mini-root\.c:32:\d+: warning: The board "QEMU arm64 virt \(GICv3\)" does not look like the machine of this system config: GIC distributor at 0x38800000 in the config, 0x8000000 on the board; GIC redistributor at 0x38880000 in the config, 0x80a0000 on the board\./);
      assert.match(text.out, /mini-root\.c:33:\d+: note: GIC redistributor at 0x38880000 in the config, 0x80a0000 on the board/);
      const json = jhcell('--format', 'json', '--board', 'qemu-arm64-virt', dir);
      const cli = cliBoardFindings(json.out);
      assert.deepEqual(cli.filter((x) => x.code === 'board-mismatch').length, 1);
      assert.deepEqual(show(cli), show(serverBoardFindings([dir], qemu)));
      assert.doesNotMatch(jhcell('--board', 'imx8mm-evk', dir).out, /board-mismatch/);
      assert.doesNotMatch(jhcell('--board', 'qemu-arm64-virt', '--severity', 'board-mismatch=off', dir).out, /board-mismatch/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sarif describes the board ids', () => {
    const s = JSON.parse(jhcell('--format', 'sarif', '--board', 'imx8mm-evk', CELLS).out);
    const rules = s.runs[0].tool.driver.rules as { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
    const partial = rules.find((r) => r.id === 'board-partial-device')!;
    assert.match(partial.shortDescription.text, /register window/);
    assert.equal(partial.defaultConfiguration.level, 'note');
    assert.equal(rules.find((r) => r.id === 'board-device-uncovered')!.defaultConfiguration.level, 'warning');
  });

  it('an unknown or unreadable board is a usage error', () => {
    const unknown = jhcell('--board', 'no-such-board', CELLS);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown board 'no-such-board' \(bundled: .*imx8mm-evk/);
    const missing = jhcell('--board', path.join(os.tmpdir(), 'missing.board.json'), CELLS);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read/);
    assert.equal(jhcell('--severity', 'board-nothing=off', CELLS).code, 2);
  });
});
