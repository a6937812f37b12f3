// linux-ram: which cells are taken for Linux cells, and that the loader's RAM test is matched
// exactly (every one of READ, WRITE, EXECUTE, DMA required; IO and ROOTSHARED exclude).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

const DIR = path.join(FIXTURES, 'linux-ram');
const CELL = path.join(DIR, 'nimbus-linux.c');
const TEXT = fs.readFileSync(CELL, 'utf8');
const RAM_LINE = /(\/\* RAM \*\/ \{[^}]*?\.size = )0x07ff0000(,\s*\.flags = )[^\n]*/;

/** linux-ram findings for the cell, written to `file` (a name) with the RAM region's size and flags. */
function linuxRam(flags: string, opts: { file?: string; name?: string; size?: string } = {}) {
  const file = path.join(DIR, opts.file ?? 'nimbus-linux.c');
  const text = TEXT.replace(RAM_LINE, `$1${opts.size ?? '0x07ff0000'}$2${flags},`).replace('"nimbus-linux"', `"${opts.name ?? 'nimbus-linux'}"`);
  const host = hostWith(new Map([[file, text]]));
  // The folder holds the root and the cell under the name this case gives it.
  const readDir = (d: string) => (path.resolve(d) === DIR ? ['nimbus.c', path.basename(file)].map((name) => ({ name, dir: false })) : host.readDir?.(d));
  return diagsOf(loadFixture(DIR, { ...host, readDir })).filter((d) => d.code === 'linux-ram' && d.loc.file === file);
}

const RWXD = 'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA';

describe('linux-ram', () => {
  it('accepts RAM with exactly READ|WRITE|EXECUTE|DMA, whatever else is set', () => {
    assert.deepEqual(linuxRam(`${RWXD} | JAILHOUSE_MEM_LOADABLE`), []);
    assert.deepEqual(linuxRam(`${RWXD} | JAILHOUSE_MEM_LOADABLE | JAILHOUSE_MEM_IO_32`), []);
  });

  it('reports each missing flag and each excluding one', () => {
    for (const drop of ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_EXECUTE', 'JAILHOUSE_MEM_DMA']) {
      const flags = RWXD.split(' | ').filter((f) => f !== drop).join(' | ') + ' | JAILHOUSE_MEM_LOADABLE';
      const ds = linuxRam(flags);
      assert.equal(ds.length, 1, drop);
      assert.match(ds[0].message, new RegExp(`lacks ${drop}\\.`));
    }
    for (const add of ['JAILHOUSE_MEM_IO', 'JAILHOUSE_MEM_ROOTSHARED']) {
      const ds = linuxRam(`${RWXD} | ${add} | JAILHOUSE_MEM_LOADABLE`);
      assert.equal(ds.length, 1, add);
      assert.match(ds[0].message, new RegExp(`has ${add}\\.`));
    }
  });

  it('takes a cell for Linux by the word "linux" in its file or cell name (an error)', () => {
    const bad = `JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE`;
    const small = { size: '0x00100000' };
    assert.equal(linuxRam(bad, { ...small, file: 'linux-x86-demo.c', name: 'demo' })[0]?.severity, 'error');
    assert.equal(linuxRam(bad, { ...small, file: 'nimbus-rt.c', name: 'nimbus_linux' })[0]?.severity, 'error');
    assert.deepEqual(linuxRam(bad, { ...small, file: 'nimbus-linuxish.c', name: 'penguinlinux' }), []);
  });

  it('by size alone only above 16 MiB, and then as a warning', () => {
    const bad = `JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE`;
    const other = { file: 'nimbus-guest.c', name: 'nimbus-guest' };
    assert.deepEqual(linuxRam(bad, { ...other, size: '0x01000000' }), []);
    const over = linuxRam(bad, { ...other, size: '0x01001000' });
    assert.equal(over.length, 1);
    assert.equal(over[0].severity, 'warning');
    assert.match(over[0].message, /is LOADABLE and .*, more than 16 MiB/);
  });
});
