// `jhcell diff` as users run it (dist/cli.js in a child process): fixture pairs, JSON, git
// revisions (with includes from the revision), bad input; and every config gcc builds from our
// fixtures and examples compared with its gcc image: no difference.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile } from '../../../server/src/engine/analyze';
import { diffConfigs } from '../../../server/src/diff/compare';
import { loadSide } from '../../../server/src/diff/load';
import { changeLine } from '../../../server/src/diff/report';
import { sideFromImage } from '../../../server/src/diff/side';
import { compileConfig, haveGcc } from '../../support/gcc';
import { gccHeaderText, writeGccHeaders } from '../../support/gccHeaders';
import { checkDiffJson } from './diffDoc';
import { cSources } from '../../support/files';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'dist/cli.js');
const DIR = join(ROOT, 'test/fixtures/diff');
const work = mkdtempSync(join(tmpdir(), 'jhcell-diff-'));

function jhcell(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'diff', ...args], { encoding: 'utf8', timeout: 30000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const haveGit = spawnSync('git', ['--version']).status === 0;

describe('jhcell diff (CLI)', () => {
  it('prints both sides, the expected change lines and a summary; exit 1', () => {
    const r = jhcell(['test/fixtures/diff/arm64-kestrel.c', 'test/fixtures/diff/arm64-kestrel-b.c']);
    assert.equal(r.code, 1, r.stderr);
    const out = r.stdout.trim().split('\n');
    assert.equal(out[0], '--- test/fixtures/diff/arm64-kestrel.c (system "Kestrel-K4", arm64, source)');
    assert.equal(out[1], '+++ test/fixtures/diff/arm64-kestrel-b.c (system "Kestrel-K4", arm64, source)');
    assert.deepEqual(out.slice(2, -1), readFileSync(join(DIR, 'arm64-kestrel.expected'), 'utf8').trim().split('\n'));
    assert.equal(out.at(-1), '21 changes: header 1, cpus 2, memory 6, irqchips 1, pci 3, ivshmem 1, stream-ids 2, platform 5');
    assert.equal(r.stderr, '');
  });

  it('--format json follows docs/model-json.md; equal configs exit 0', () => {
    const r = jhcell(['--format', 'json', 'test/fixtures/diff/x86-heron.c', 'test/fixtures/diff/x86-heron-b.c']);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    checkDiffJson(json);
    assert.equal(json.equal, false);
    assert.deepEqual(json.summary, { cache: 1, irqchips: 1, pio: 3, pci: 1, platform: 2 });
    const same = jhcell(['--format=json', 'test/fixtures/diff/x86-heron.c', 'test/fixtures/diff/x86-heron.c']);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(JSON.parse(same.stdout).bytesEqual, true);
    const text = jhcell(['test/fixtures/diff/x86-heron.c', 'test/fixtures/diff/x86-heron.c']);
    assert.equal(text.code, 0);
    assert.equal(text.stdout.trim().split('\n').at(-1), 'no differences in resources; the images are byte-identical');
  });

  it('-D applies to both sides', () => {
    const r = jhcell(['-D', 'DIFF_B', 'test/fixtures/diff/arm64-kestrel.c', 'test/fixtures/diff/arm64-kestrel-b.c']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('a system against a cell: the kind line and a note; exit 1', () => {
    const r = jhcell(['examples/acme-zeta/acme-zeta.c', 'examples/acme-zeta/acme-zeta-rtos.c']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^kind system → cell$/m);
    assert.match(r.stdout, /^note: examples\/acme-zeta\/acme-zeta\.c is a system config and examples\/acme-zeta\/acme-zeta-rtos\.c a cell config/m);
  });

  it('bad input: a clear message on stderr, exit 2', () => {
    writeFileSync(join(work, 'notes.txt'), 'just some text, no config here\n');
    writeFileSync(join(work, 'bad.cell'), Buffer.from([0x4a, 0x48, 0x58, 0x58, 0x58, 0, 1, 2, 3, 0, 0, 0]));
    writeFileSync(join(work, 'short.cell'), Buffer.from('JHCLL\x0e\x00'));
    writeFileSync(join(work, 'x.o'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60)]));
    const good = 'test/fixtures/diff/x86-heron.c';
    const cases: [string[], RegExp][] = [
      [[good, join(work, 'missing.c')], /missing\.c: cannot read: no such file/],
      [[work, good], /is a directory/],
      [[join(work, 'notes.txt'), good], /notes\.txt: not a Jailhouse config: no `config` object found/],
      [[good, join(work, 'bad.cell')], /bad\.cell: not a Jailhouse config: a binary file without the JHSYS or JHCLL signature/],
      [[good, join(work, 'short.cell')], /short\.cell: too short/],
      [[join(work, 'x.o'), good], /x\.o: not a Jailhouse config: an ELF object file/],
      [[good], /diff takes two configs, A and B \(1 given\)/],
      [['--format', 'xml', good, good], /--format takes text or json, not xml/],
    ];
    for (const [args, message] of cases) {
      const r = jhcell(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/, args.join(' '));
    }
  });

  it('git revisions: REV:path and its #includes are read from the revision', { skip: haveGit ? false : 'git not installed' }, () => {
    const repo = join(work, 'repo');
    mkdirSync(join(repo, 'configs'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    const text = readFileSync(join(DIR, 'arm64-kestrel-rtos.c'), 'utf8');
    // The cell includes its RAM region from a second file, to prove includes come from the revision.
    const ramStart = text.indexOf('\t\t/* RAM */');
    const ramEnd = text.indexOf('\t\t/* communication region */');
    writeFileSync(join(repo, 'configs/ram.c'), text.slice(ramStart, ramEnd));
    writeFileSync(join(repo, 'configs/x.c'), text.slice(0, ramStart) + '#include "ram.c"\n' + text.slice(ramEnd));
    git('add', '.');
    git('commit', '-qm', 'one');
    writeFileSync(join(repo, 'configs/ram.c'), readFileSync(join(repo, 'configs/ram.c'), 'utf8').replace('.size = 0x1000000', '.size = 0x2000000'));
    writeFileSync(join(repo, 'configs/x.c'), readFileSync(join(repo, 'configs/x.c'), 'utf8').replace('0b010000', '0b110000'));

    const r = jhcell(['HEAD:configs/x.c', 'configs/x.c'], repo);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      '--- HEAD:configs/x.c (cell "kestrel-rtos", arm64, source)',
      '+++ configs/x.c (cell "kestrel-rtos", arm64, source)',
      'cpus: added CPU 5',
      'memory: region "RAM" 0xb0000000: size 0x1000000 → 0x2000000 (16 MiB → 32 MiB)',
      '2 changes: cpus 1, memory 1',
    ]);
    // From a subfolder: a path relative to it; JSON names the revision's file for locations.
    const sub = jhcell(['--format', 'json', 'HEAD:./x.c', 'x.c'], join(repo, 'configs'));
    assert.equal(sub.code, 1, sub.stderr);
    const json = JSON.parse(sub.stdout);
    const ram = json.changes.find((c: { resource: string }) => c.resource === 'memory');
    assert.equal(ram.a.file, 'HEAD:configs/ram.c');
    assert.equal(ram.b.file, 'ram.c');
    assert.deepEqual(json.notes, []);
    // A revision against itself: equal.
    assert.equal(jhcell(['HEAD:configs/x.c', 'HEAD:configs/x.c'], repo).code, 0);
    // A file the revision lacks, and a revision that does not exist.
    const missing = jhcell(['HEAD:configs/nope.c', 'configs/x.c'], repo);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /HEAD:configs\/nope\.c: cannot read from git: .*nope\.c/);
    const badRev = jhcell(['HEAD~5:configs/x.c', 'configs/x.c'], repo);
    assert.equal(badRev.code, 2);
    assert.match(badRev.stderr, /HEAD~5:configs\/x\.c: cannot read from git/);
    // An include the revision does not have is read from the disk, and a note says so.
    writeFileSync(join(repo, 'configs/extra.c'), '');
    writeFileSync(join(repo, 'configs/y.c'), readFileSync(join(repo, 'configs/x.c'), 'utf8').replace('#include "ram.c"', '#include "ram.c"\n#include "extra.c"'));
    git('add', 'configs/y.c', 'configs/x.c', 'configs/ram.c');
    git('commit', '-qm', 'two');
    const note = jhcell(['HEAD:configs/y.c', 'configs/y.c'], repo);
    assert.equal(note.code, 0, note.stdout + note.stderr);
    assert.match(note.stdout, /^note: HEAD:configs\/y\.c: .*extra\.c is not in HEAD; it was read from the disk$/m);
  });
});


describe('jhcell diff: a source against its gcc image', { skip: haveGcc() ? false : 'gcc/objcopy not installed' }, () => {
  it('every complete config under test/fixtures and examples/: no difference, the same bytes', (t) => {
    const inc = writeGccHeaders(mkdtempSync(join(tmpdir(), 'jhcell-inc-')));
    const cacheDir = join(ROOT, '.conformance-cache', 'fixtures');
    const files = [...cSources(join(ROOT, 'test/fixtures')), ...cSources(join(ROOT, 'examples'))];
    const bad: string[] = [];
    let compared = 0;
    for (const file of files) {
      const label = relative(ROOT, file);
      const a = analyzeFile(file);
      if (!a.model || a.diagnostics.some((d) => d.severity === 'error')) continue;
      const res = compileConfig(file, { includeDirs: [inc], flags: ['-Wall', '-Wextra'], cacheDir, keyExtra: gccHeaderText() });
      if (!res.bytes) continue;
      const src = loadSide(file);
      const img = sideFromImage(`${label}.cell`, res.bytes);
      if ('error' in src || 'error' in img) {
        bad.push(`${label}: ${'error' in src ? src.error : ''}${'error' in img ? img.error : ''}`);
        continue;
      }
      compared++;
      const r = diffConfigs(src.side, img.side);
      if (r.changes.length || !r.bytesEqual) bad.push(`${label}: ${r.changes.map(changeLine).join('; ') || r.notes.join('; ')}`);
    }
    t.diagnostic(`${compared - bad.length}/${compared} configs gcc builds from test/fixtures and examples/ diff equal to their image`);
    assert.ok(compared > 20, `${compared} compared`);
    assert.deepEqual(bad, []);
    // The same through the CLI, for the example system: a .c against a .cell file.
    const example = join(ROOT, 'examples/acme-zeta/acme-zeta.c');
    const cell = join(work, 'acme-zeta.cell');
    const built = compileConfig(example, { includeDirs: [inc], flags: ['-Wall', '-Wextra'], cacheDir, keyExtra: gccHeaderText() });
    assert.ok(built.bytes, built.error);
    writeFileSync(cell, built.bytes);
    const r = jhcell([example, cell]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\+\+\+ .*acme-zeta\.cell \(system "Acme-Zeta-8", arm64, image\)/);
    assert.match(r.stdout, /no differences in resources; the images are byte-identical/);
  });
});
