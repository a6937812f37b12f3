// `jhcell new cell` as a process: the file it writes joins its system (jhcell check finds no
// error), a second run takes what the first left, and every bad request ends with a message
// and exit 1 or 2, never a stack trace.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { checkSystem } from '../../../server/src/rules';
import { loadSystems } from '../../../server/src/workspace';
import { FIXTURES } from './cellSupport';

const MAIN = join(__dirname, 'newCellMain.ts');
// The tests run in temporary folders: tsx is named by path, not looked up from there.
const TSX = pathToFileURL(join(__dirname, '../../../node_modules/tsx/dist/loader.mjs')).href;
const ACME = join(__dirname, '../../../examples/acme-zeta');

function jhcell(args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function kiwiCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jhcell-cli-newcell-'));
  cpSync(join(FIXTURES, 'kiwi/kiwi.c'), join(dir, 'kiwi.c'));
  return dir;
}

const NEW_SYSTEM = join(__dirname, 'newSystemMain.ts');
const findingsIn = (dir: string) =>
  loadSystems([dir]).systems.flatMap((s) => [...checkSystem(s).values()].flat()).filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.loc.file}: ${d.message} [${d.code}]`);
const errorsIn = (dir: string) => loadSystems([dir]).systems.flatMap((s) => [...checkSystem(s).values()].flat()).filter((d) => d.severity === 'error');

describe('jhcell new cell', () => {
  it('writes a cell its system accepts; a second run takes another CPU, RAM and link', () => {
    const dir = kiwiCopy();
    const a = jhcell(['--system', 'kiwi.c', '--name', 'rtos', '--device', 'UART1', '-o', 'kiwi-rtos.c'], dir);
    assert.equal(a.code, 0, a.err);
    assert.match(a.err, /note: devices are named as on the bundled board qemu-arm64-virt/);
    assert.match(a.err, /note: CPU 3: the highest CPU/);
    assert.match(a.err, /ROOTSHARED, so the root keeps it too/);
    const b = jhcell(['--system', 'kiwi.c', '--name', 'linux', '--linux', '--cpus', '1-2', '--ram', '16M', '-o', 'kiwi-linux.c'], dir);
    assert.equal(b.code, 0, b.err);
    assert.match(b.err, /other cells of the system.*kiwi-rtos\.c/);
    assert.match(b.err, /ivshmem 00:01\.0/);
    assert.match(readFileSync(join(dir, 'kiwi-linux.c'), 'utf8'), /0x6, \/\* CPU 1, 2 \*\//);
    assert.deepEqual(errorsIn(dir).map((d) => d.message), []);
  });

  it('new system, then new cell (bare, and one taking a UART the device tree disables): the folder checks with no error and no warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jhcell-cli-newsys-cell-'));
    const sys = spawnSync(process.execPath, ['--import', TSX, NEW_SYSTEM, 'system', '--board', 'imx8mm-evk', '--ivshmem-links', '2', '-o', 'imx8mm-evk.c'], { cwd: dir, encoding: 'utf8' });
    assert.equal(sys.status, 0, sys.stderr);
    const base = Number(/\.vpci_irq_base = (\d+),/.exec(readFileSync(join(dir, 'imx8mm-evk.c'), 'utf8'))![1]);
    const a = jhcell(['--system', 'imx8mm-evk.c', '--name', 'rtos', '-o', 'imx8mm-evk-rtos.c'], dir);
    assert.equal(a.code, 0, a.err);
    assert.match(a.err, new RegExp(`its INTx is SPI ${base + 4} \\(vpci_irq_base ${base + 4}, the block the root keeps for this link\\)`));
    const b = jhcell(['--system', 'imx8mm-evk.c', '--name', 'uart4', '--device', 'UART4', '-o', 'imx8mm-evk-uart4.c'], dir);
    assert.equal(b.code, 0, b.err);
    // Link 2 is device 01.0: INTx pin A on vpci_irq_base + 1 of the second block.
    assert.match(b.err, new RegExp(`ivshmem 00:01\\.0: .*its INTx is SPI ${base + 9} \\(vpci_irq_base ${base + 8}, the block`));
    assert.match(b.err, /UART4 is disabled in the board's device tree/);
    assert.doesNotMatch(b.err, /not in the root's irqchips|does not own/);
    assert.deepEqual(findingsIn(dir), []);
  });

  it('prints to stdout without -o, and refuses to overwrite without --force', () => {
    const dir = kiwiCopy();
    const r = jhcell(['--system', 'kiwi.c', '--name', 'x'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\/\*[\s\S]*\.name = "x",[\s\S]*\};\n$/);
    writeFileSync(join(dir, 'kiwi-x.c'), 'keep');
    const again = jhcell(['--system', 'kiwi.c', '--name', 'x', '-o', 'kiwi-x.c'], dir);
    assert.equal(again.code, 1);
    assert.match(again.err, /exists; give --force/);
    assert.equal(readFileSync(join(dir, 'kiwi-x.c'), 'utf8'), 'keep');
    assert.equal(jhcell(['--system', 'kiwi.c', '--name', 'x', '-o', 'kiwi-x.c', '--force'], dir).code, 0);
  });

  it('exit 2 with the reason: unknown device, no CPU, RAM too large, bad options, not a root', () => {
    const dir = kiwiCopy();
    const cases: [string[], RegExp][] = [
      [['--system', 'kiwi.c', '--name', 'x', '--device', 'UART7'], /unknown device "UART7" in board qemu-arm64-virt; known: .*UART1/],
      [['--system', 'kiwi.c', '--name', 'x', '--cpus', '0-3'], /leave the root no CPU/],
      [['--system', 'kiwi.c', '--name', 'x', '--ram', '1G'], /1 GiB .* does not fit in the cell area/],
      [['--system', 'kiwi.c', '--name', 'x', '--cpus', 'two'], /--cpus: 'two' is not a CPU number/],
      [['--system', 'kiwi.c', '--name', 'x', '--ram', '12Q'], /--ram 12Q: not a size/],
      [['--system', 'kiwi.c'], /needs --name/],
      [['--name', 'x'], /needs --system ROOT\.c/],
      [['--system', 'nope.c', '--name', 'x'], /nope\.c: no such file/],
      [['--system', join(ACME, 'acme-zeta-rtos.c'), '--name', 'x'], /is a cell configuration, not a system/],
      [['--system', join(ACME, 'acme-zeta.c'), '--name', 'x'], /no root RAM region is named for cells.*--ram-start/],
      [['--system', 'kiwi.c', '--name', 'x', '--board', 'no-such-board'], /unknown board 'no-such-board'/],
    ];
    for (const [args, re] of cases) {
      const r = jhcell(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re, args.join(' '));
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
      assert.equal(r.out, '');
    }
  });

  it('exit 1 for a root with errors; --ram-start places RAM in an unnamed root', () => {
    const dir = kiwiCopy();
    writeFileSync(join(dir, 'kiwi.c'), readFileSync(join(dir, 'kiwi.c'), 'utf8').replace('.pci_domain = 1,', '.pci_domain = 1, .bogus = 1,'));
    const r = jhcell(['--system', 'kiwi.c', '--name', 'x'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /kiwi\.c has 1 error\(s\); fix them first/);
    const acme = mkdtempSync(join(tmpdir(), 'jhcell-cli-acme-'));
    cpSync(ACME, acme, { recursive: true });
    const ok = jhcell(['--system', 'acme-zeta.c', '--name', 'extra', '--cpus', '1', '--ram', '1M', '--ram-start', '0x70000000', '-o', 'acme-zeta-extra.c'], acme);
    assert.equal(ok.code, 0, ok.err);
    assert.ok(existsSync(join(acme, 'acme-zeta-extra.c')));
    assert.deepEqual(errorsIn(acme).map((d) => d.message), []);
  });
});
