// `jhcell build` as users run it (the bundled dist/cli.js), held to gcc + objcopy built the way
// upstream's configs/Makefile builds (docs/format.md §1.3): same bytes where gcc writes an image,
// a refusal naming the engine code where it does not.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { GCC_VERDICTS } from '../../../server/src/binary/buildPolicy';
import { analyzeFile } from '../../../server/src/engine/analyze';
import { compileConfig, haveGcc, UPSTREAM_CFLAGS } from '../../support/gcc';
import { gccHeaderText, writeGccHeaders } from '../../support/gccHeaders';
import { BUILD_FIXTURES, writeDefect } from '../../support/buildDefects';
import { cSources } from '../../support/files';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'jhcell-build-'));
const cacheDir = join(ROOT, '.conformance-cache', 'build');
const noGcc = haveGcc() ? false : 'gcc/objcopy not installed';

function jhcell(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'build', ...args], { encoding: 'utf8', timeout: 60000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let includeDir: string | undefined;
function gcc(file: string, flags = UPSTREAM_CFLAGS) {
  includeDir ??= writeGccHeaders(join(work, 'include'));
  return compileConfig(file, { includeDirs: [includeDir], flags, cacheDir, keyExtra: gccHeaderText() });
}


function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}

describe('jhcell build: the bytes of gcc + objcopy', { skip: noGcc }, () => {
  it('every fixture and example config gcc builds with upstream flags: same image; the others: refused', () => {
    const files = [...cSources(join(ROOT, 'test/fixtures')), ...cSources(join(ROOT, 'examples'))].filter((f) => analyzeFile(f, {}).model);
    // One jhcell process per folder (names are unique inside one).
    const byDir = new Map<string, string[]>();
    for (const f of files) byDir.set(dirname(f), [...(byDir.get(dirname(f)) ?? []), f]);
    let same = 0;
    let refused = 0;
    const bad: string[] = [];
    let i = 0;
    for (const [dir, list] of byDir) {
      const out = join(work, `fixtures-${i++}`);
      const r = jhcell(['-q', '--out-dir', out, ...list]);
      assert.equal(r.stdout, '', `-q prints nothing on stdout (${dir})`);
      for (const f of list) {
        const label = relative(ROOT, f);
        const image = join(out, basename(f, '.c') + '.cell');
        const g = gcc(f);
        if (g.bytes) {
          if (!existsSync(image)) bad.push(`${label}: gcc builds it, jhcell build refused:\n${r.stderr}`);
          else if (!Buffer.from(g.bytes).equals(readFileSync(image))) bad.push(`${label}: image differs from gcc's`);
          else same++;
        } else if (existsSync(image)) {
          bad.push(`${label}: gcc rejects it (${(g.error ?? '').split('\n').find((l) => /error/.test(l))}), jhcell build wrote an image`);
        } else {
          assert.match(r.stderr, new RegExp(`${basename(f).replace(/[.]/g, '\\.')}: not built: refused by \\[`), `${label}: the refusal names its code`);
          refused++;
        }
      }
      assert.deepEqual(leftovers(out), [], 'no temporary file is left behind');
    }
    assert.deepEqual(bad, []);
    assert.ok(same > 200, `only ${same} fixture images compared`);
    assert.ok(refused > 0, 'the fixtures also hold sources gcc rejects (the engine fixtures with errors): each was refused naming its code');
  });

  it('a fixture per code gcc rejects: exit 1 naming the code, no image, and gcc fails too', () => {
    for (const [code, verdict] of Object.entries(GCC_VERDICTS)) {
      if (verdict.gcc !== 'rejects') continue;
      const file = writeDefect(mkdtempSync(join(work, 'defect-')), code);
      const codes = analyzeFile(file, {}).diagnostics.map((d) => d.code);
      assert.deepEqual([...new Set(codes)], [code], `refuse-${code}.c has only ${code} diagnostics`);
      const out = join(work, `refuse-${code}.cell`);
      const r = jhcell(['-o', out, file]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`refuse-${code}\\.c: not built: refused by \\[${code}\\]`));
      assert.match(r.stderr, new RegExp(`: error: .*\\[${code}\\]`), 'the diagnostic is printed as jhcell check prints it');
      assert.ok(!existsSync(out), 'no image');
      assert.ok(!gcc(file).bytes, `gcc -Werror -Wall -Wextra rejects refuse-${code}.c too`);
    }
  });

  it('engine warnings that are gcc warnings: refused (-Werror), written with --force as gcc without -Werror writes them', () => {
    const clean = readFileSync(join(BUILD_FIXTURES, 'clean-cell.c'), 'utf8');
    const cases: Record<string, string> = {
      nul: clean.replace('.cpus = {', '.cpus = {\0'),
      'hash-warning': clean.replace('#include <jailhouse/types.h>', '#warning board not final\n#include <jailhouse/types.h>'),
      redefined: clean.replace('#include <jailhouse/types.h>', '#define DEMO_RAM 0x90000000\n#define DEMO_RAM 0x91000000\n#include <jailhouse/types.h>'),
      'extra-tokens': clean.replace('#include <jailhouse/types.h>', '#ifndef FOO BAR\n#endif\n#include <jailhouse/types.h>'),
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = join(work, `warn-${name}.c`);
      writeFileSync(file, text);
      const diags = analyzeFile(file, {}).diagnostics;
      assert.ok(diags.length && diags.every((d) => d.severity === 'warning' && d.code === 'syntax'), `${name}: a syntax warning: ${JSON.stringify(diags)}`);
      assert.ok(!gcc(file).bytes, `${name}: gcc -Werror rejects it`);
      const out = join(work, `warn-${name}.cell`);
      const refused = jhcell(['-o', out, file]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /refused by \[syntax\].*--force writes it anyway/);
      assert.ok(!existsSync(out));
      const forced = jhcell(['--force', '-o', out, file]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stderr, /warning: written despite syntax \(--force\)/);
      const loose = gcc(file, ['-Wall', '-Wextra', '-D__LINUX_COMPILER_TYPES_H']);
      assert.ok(loose.bytes, `${name}: gcc without -Werror builds it: ${loose.error}`);
      assert.ok(Buffer.from(loose.bytes).equals(readFileSync(out)), `${name}: same bytes as gcc without -Werror`);
    }
  });

  it('--force never writes past an error-level diagnostic', () => {
    const out = join(work, 'forced-value-range.cell');
    const r = jhcell(['--force', '-o', out, writeDefect(mkdtempSync(join(work, 'defect-')), 'value-range')]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /--force writes it anyway/);
    assert.ok(!existsSync(out));
  });

  it('member-order: gcc builds it, so the image is written, with what the hypervisor will read', () => {
    const file = join(BUILD_FIXTURES, 'member-order.c');
    const out = join(work, 'member-order.cell');
    const r = jhcell(['-o', out, file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*member-order\.cell \(236 bytes\)\n$/);
    assert.match(r.stderr, /error: mem_regions is declared after irqchips.*\[member-order\]/);
    assert.match(r.stderr, /warning: written as gcc writes it, although \[member-order\]/);
    assert.match(r.stderr, /warning: the hypervisor reads mem_regions \(num_memory_regions = 2\) from byte 140, where this image has irqchips \(mem_regions start at byte 172\)/);
    assert.match(r.stderr, /warning: the hypervisor reads irqchips \(num_irqchips = 1\) from byte 204, where this image has mem_regions/);
    const g = gcc(file);
    assert.ok(g.bytes && Buffer.from(g.bytes).equals(readFileSync(out)), 'the bytes gcc writes');
  });
});

describe('jhcell build: files, names and messages', () => {
  it('FILE.c → FILE.cell beside it, "wrote … (N bytes)"; -q is quiet', () => {
    const dir = join(work, 'beside');
    mkdirSync(dir);
    copyFileSync(join(BUILD_FIXTURES, 'clean-cell.c'), join(dir, 'clean-cell.c'));
    const r = jhcell(['clean-cell.c'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'wrote clean-cell.cell (236 bytes)\n');
    assert.equal(r.stderr, '');
    assert.equal(statSync(join(dir, 'clean-cell.cell')).size, 236);
    const q = jhcell(['-q', 'clean-cell.c'], dir);
    assert.equal(q.code, 0);
    assert.equal(q.stdout + q.stderr, '');
    assert.deepEqual(leftovers(dir), []);
  });

  it('--out-dir is created; several sources each get their image', () => {
    const out = join(work, 'made', 'by', 'build');
    const r = jhcell(['--out-dir', out, join(BUILD_FIXTURES, 'clean-cell.c'), join(ROOT, 'examples/acme-zeta/acme-zeta.c')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['acme-zeta.cell', 'clean-cell.cell']);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('wrote ')).length, 2);
  });

  it('usage errors exit 2 with the reason', () => {
    const clean = join(BUILD_FIXTURES, 'clean-cell.c');
    const cases: [string[], RegExp][] = [
      [[], /no FILE\.c given/],
      [['-o', join(work, 'x.cell'), clean, join(ROOT, 'examples/acme-zeta/acme-zeta.c')], /-o names one image, but 2 sources are given: use --out-dir DIR/],
      [['-o', join(work, 'x.cell'), '--out-dir', work, clean], /-o and --out-dir exclude each other/],
      [['--bogus', clean], /unknown option --bogus/],
      [['-o', clean, clean], /would overwrite the source itself/],
      [['--out-dir', work, clean, join(work, 'beside', 'clean-cell.c')], /would both be written to/],
      [['-o'], /-o needs a value/],
    ];
    for (const [args, msg] of cases) {
      const r = jhcell(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.match(r.stderr, /^jhcell build: /);
    }
  });

  it('a missing file, a folder, -o into a missing folder or onto a folder: a clear message', () => {
    const missing = jhcell(['-o', join(work, 'm.cell'), join(work, 'nope.c')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.c: no such file/);
    const folder = jhcell([BUILD_FIXTURES]);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /build: is a folder \(name the \.c files/);
    const noDir = jhcell(['-o', join(work, 'no-such-dir', 'x.cell'), join(BUILD_FIXTURES, 'clean-cell.c')]);
    assert.equal(noDir.code, 1);
    assert.match(noDir.stderr, /clean-cell\.c: folder .*no-such-dir does not exist/);
    mkdirSync(join(work, 'a-folder.cell'));
    const ontoDir = jhcell(['-o', join(work, 'a-folder.cell'), join(BUILD_FIXTURES, 'clean-cell.c')]);
    assert.equal(ontoDir.code, 1);
    assert.match(ontoDir.stderr, /a-folder\.cell is a folder/);
    assert.deepEqual(leftovers(work), []);
  });

  it('not a config: refused with the reason', () => {
    const r = jhcell(['-o', join(work, 'plain.cell'), join(ROOT, 'test/fixtures/e2e/ws/plain.c')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /plain\.c: not built: refused by \[include\]/);
  });

  it('--check refuses on error-level system findings in the file; --force writes anyway', () => {
    const cell = join(ROOT, 'test/fixtures/rules/cpu-not-in-root/nimbus-linux.c');
    const out = join(work, 'nimbus-linux.cell');
    const plain = jhcell(['-o', out, cell]);
    assert.equal(plain.code, 0, 'without --check the engine alone decides');
    const checked = jhcell(['--check', '-o', join(work, 'checked.cell'), cell]);
    assert.equal(checked.code, 1);
    assert.match(checked.stderr, /nimbus-linux\.c:25:\d+: error: .*\[cpu-not-in-root\]/);
    assert.match(checked.stderr, /note: checked with root .*nimbus\.c/);
    assert.match(checked.stderr, /nimbus-linux\.c: not built: --check found 1 error \(cpu-not-in-root\); --force writes the image anyway/);
    assert.ok(!existsSync(join(work, 'checked.cell')));
    const forced = jhcell(['--check', '--force', '-o', join(work, 'checked.cell'), cell]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /warning: written despite 1 error of --check \(cpu-not-in-root\) \(--force\)/);
    assert.ok(readFileSync(join(work, 'checked.cell')).equals(readFileSync(out)));
    const root = jhcell(['--check', '-o', join(work, 'root.cell'), join(ROOT, 'test/fixtures/rules/cpu-not-in-root/nimbus.c')]);
    assert.equal(root.code, 0, `the root itself has no error: ${root.stderr}`);
  });
});
