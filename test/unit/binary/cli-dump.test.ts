// `jhcell dump` as users run it: the bundled dist/cli.js in a child process.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { decodeImage } from '../../../server/src/binary/decode';
import { encodeConfig } from '../../../server/src/binary/encode';
import { analyzeFile } from '../../../server/src/engine/analyze';
import { modelFromPlain } from '../../support/values';
import { checkAgainstContract } from './contractDoc';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'jhcell-dump-'));

function jhcell(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SOURCE = `#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[2];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_ARM64,
#ifdef CONFIG_ALT_NAME
		.name = "alt-name",
#else
		.name = "kiwi-demo",
#endif
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
	},
	.cpus = { 0b1100 },
	.mem_regions = {
		/* UART */ {
			.phys_start = 0x09000000,
			.virt_start = 0x09000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO | JAILHOUSE_MEM_ROOTSHARED,
		},
		/* RAM */ {
			.phys_start = 0x50000000,
			.virt_start = 0,
			.size = 0x00100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
		},
	},
};
`;

function image(): Uint8Array {
  return encodeConfig(
    modelFromPlain('cell', [
      {
        name: 'cell',
        cType: '',
        type: { kind: 'struct', name: 'jailhouse_cell_desc' },
        init: { signature: 'JHCLL', revision: 14, architecture: 2, name: 'img-cell', cpu_set_size: 8, num_memory_regions: 1 },
      },
      { name: 'cpus', cType: '', type: { kind: 'int', int: 'u64' }, length: 1, init: [0x6] },
      { name: 'mem_regions', cType: '', type: { kind: 'struct', name: 'jailhouse_memory' }, length: 1, init: [{ phys_start: 0x1000, size: 0x2000, flags: 3 }] },
    ]),
  );
}

describe('jhcell dump', () => {
  before(() => {
    if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT });
  });

  it('the dispatcher: version from package.json, usage on no command, exit 2 on an unknown one', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(jhcell('--version'), { code: 0, stdout: `jhcell ${version}\n`, stderr: '' });
    const none = jhcell();
    assert.equal(none.code, 2);
    assert.match(none.stdout, /^usage: jhcell <command>/);
    const bad = jhcell('frob');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command 'frob'/);
    for (const args of [['dump', '--help'], ['check', '-h'], ['board', '--help'], ['board', 'import', '--help'], ['map', '--help'], ['lsp', '-h']]) {
      const help = jhcell(...args);
      assert.deepEqual([help.code, help.stderr], [0, ''], args.join(' '));
      assert.match(help.stdout, /^usage: jhcell <command>/, args.join(' '));
    }
    // After `--` it is a file name.
    assert.match(jhcell('dump', '--', '--help').stderr, /--help: cannot read: no such file/);
  });

  it('lists and dumps a compiled image, detected by its signature whatever its name', () => {
    const bytes = image();
    const cell = join(work, 'img.cell');
    const disguised = join(work, 'img-looks-like-source.c');
    writeFileSync(cell, bytes);
    writeFileSync(disguised, bytes);
    const text = jhcell('dump', cell);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /cell config "img-cell", arch arm64/);
    assert.match(text.stdout, /CPUs\s+1-2/);
    const json = jhcell('dump', '--json', disguised);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { ...decodeImage(bytes, disguised).json });
  });

  it('dumps a source: same JSON as its image plus a source key, names in the listing', () => {
    const src = join(work, 'kiwi.c');
    writeFileSync(src, SOURCE);
    const r = jhcell('dump', '--json', src);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const j = JSON.parse(r.stdout);
    assert.equal(j.file, src);
    assert.equal(j.name, 'kiwi-demo');
    assert.deepEqual(j.cpus, [2, 3]);
    assert.deepEqual(j.memory_regions[1], { phys_start: '0x50000000', virt_start: '0x0', size: '0x100000', flags: '0x47' });
    assert.deepEqual(j.source.elements.memory_regions, [{ name: 'UART', line: 23 }, { name: 'RAM', line: 30 }]);
    const text = jhcell('dump', src);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^\s+0\s+UART\s+23\s+0x9000000\s+0x9000000\s+0x1000\s+4 KiB\s+READ\|WRITE\|IO\|ROOTSHARED$/m);
    assert.match(text.stdout, /^\s+1\s+RAM\s+30\s+0x50000000\s+0x0\s+0x100000\s+1 MiB\s+READ\|WRITE\|EXECUTE\|LOADABLE$/m);
  });

  it('prints the root cell descriptor revision at the top of a system, the header one under system, source and image alike', () => {
    const src = join(ROOT, 'test/fixtures/engine/arm64-numbat.c');
    const fromSource = jhcell('dump', '--json', src);
    assert.equal(fromSource.code, 0, fromSource.stderr);
    const j = JSON.parse(fromSource.stdout);
    assert.equal(j.kind, 'system');
    assert.equal(j.revision, 0);
    assert.equal(j.system.revision, 14);
    const a = analyzeFile(src);
    const cell = join(work, 'numbat.cell');
    writeFileSync(cell, encodeConfig(a.model!));
    const fromImage = jhcell('dump', '--json', cell);
    assert.equal(fromImage.code, 0, fromImage.stderr);
    const { file: _f, source: _s, ...want } = j;
    const { file: _g, ...got } = JSON.parse(fromImage.stdout);
    assert.deepEqual(got, want);
    // Every key docs/model-json.md lists, as the command prints it: system, cell, image.
    const cellJson = JSON.parse(jhcell('dump', '--json', join(ROOT, 'test/fixtures/engine/arm64-numbat-rtos.c')).stdout);
    for (const dumped of [j, JSON.parse(fromImage.stdout), cellJson]) checkAgainstContract(dumped);
    assert.equal(cellJson.revision, 14);
    // The listing names the revision the driver checks: the header's.
    assert.match(jhcell('dump', cell).stdout, /^.*numbat\.cell: system config "Numbat-N8", arch arm64, revision 14$/m);
  });

  it('passes -D and -I to the engine', () => {
    const src = join(work, 'kiwi-d.c');
    writeFileSync(src, SOURCE);
    assert.equal(JSON.parse(jhcell('dump', '--json', '-D', 'CONFIG_ALT_NAME', src).stdout).name, 'alt-name');
    assert.equal(JSON.parse(jhcell('dump', '--json', '-DCONFIG_ALT_NAME=1', src).stdout).name, 'alt-name');
    const incDir = join(work, 'inc');
    mkdirSync(incDir, { recursive: true });
    writeFileSync(join(incDir, 'kiwi-body.c'), SOURCE);
    const outer = join(work, 'outer.c');
    writeFileSync(outer, '#define CONFIG_ALT_NAME\n#include "kiwi-body.c"\n');
    const withInc = jhcell('dump', '--json', '-I', incDir, outer);
    assert.equal(withInc.code, 0, withInc.stderr);
    assert.equal(JSON.parse(withInc.stdout).name, 'alt-name');
    const without = jhcell('dump', '--json', outer);
    assert.equal(without.code, 1);
  });

  it('prints error diagnostics as file:line:col, still dumps, exits 1', () => {
    const src = join(work, 'broken.c');
    writeFileSync(src, SOURCE.replace('.size = 0x1000,', '.size = 0x1000, .colour = 3,'));
    const r = jhcell('dump', '--json', src);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^${src.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:26:\\d+: error: .*colour.* \\[unknown-field\\]$`, 'm'));
    assert.equal(JSON.parse(r.stdout).name, 'kiwi-demo');
  });

  it('exits 1 when the counts of a source reach past its declared arrays', () => {
    const src = join(work, 'overcount.c');
    writeFileSync(src, SOURCE.replace('.num_memory_regions = ARRAY_SIZE(config.mem_regions),', '.num_memory_regions = 3,'));
    const r = jhcell('dump', src);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /overcount\.c: the compiled image would be invalid: too short: its counts describe 236 bytes, it holds 204$/m);
    assert.match(r.stdout, /^Memory regions \(2 of 3 counted, image too short\):$/m);
  });

  it('exits 1 for files that are no Jailhouse config', () => {
    const text = join(work, 'notes.txt');
    writeFileSync(text, 'just some text\n');
    const garbage = join(work, 'garbage.cell');
    writeFileSync(garbage, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3, 0, 0, 0]));
    const binary = join(work, 'random.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x4a, 0x48, 0, 0, 0x0a]));
    for (const f of [text, garbage, binary]) {
      const r = jhcell('dump', f);
      assert.equal(r.code, 1, f);
      assert.match(r.stderr, /not a Jailhouse config/);
      assert.equal(r.stdout, '');
    }
    assert.match(jhcell('dump', garbage).stderr, /an ELF object file; a \.cell image is made from it with `objcopy -O binary/);
    const missing = jhcell('dump', join(work, 'nope.c'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.c: cannot read: no such file/);
    const dir = jhcell('dump', work);
    assert.equal(dir.code, 1);
    assert.match(dir.stderr, /is a directory/);
    if (existsSync('/dev/zero')) {
      const dev = jhcell('dump', '/dev/zero');
      assert.equal(dev.code, 1);
      assert.match(dev.stderr, /not a regular file/);
    }
    const big = join(work, 'big.cell');
    writeFileSync(big, Buffer.concat([Buffer.from('JHCLL'), Buffer.alloc(2 * 1024 * 1024)]));
    const huge = jhcell('dump', big);
    assert.equal(huge.code, 1);
    assert.match(huge.stderr, /too large to be a Jailhouse config/);
  });

  it('exits 1 for a truncated image, still printing what it holds', () => {
    const bytes = image();
    const f = join(work, 'short.cell');
    writeFileSync(f, bytes.subarray(0, bytes.length - 8));
    const r = jhcell('dump', '--json', f);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /too short/);
    assert.equal(JSON.parse(r.stdout).memory_regions.length, 0);
  });

  it('exits 2 for usage errors', () => {
    for (const args of [['dump'], ['dump', 'a.c', 'b.c'], ['dump', '--frobnicate', 'a.c'], ['dump', '-D', '9bad', 'a.c']]) {
      const r = jhcell(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^jhcell dump: /);
    }
  });
});
