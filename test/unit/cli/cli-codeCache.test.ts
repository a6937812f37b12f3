// The V8 code cache of the command bundles (server/src/cli/codeCache.ts): a run that uses one
// prints byte for byte what a run without prints, and a cache that does not match its bundle
// (another bundle, damaged data, an unwritable cache folder) is ignored, never trusted.
// Runs a private copy of dist/ (cli.js, the check bundle and its cache), with its own user
// cache folder. With JAILHOUSE_SRC, the upstream configs are compared too.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

const ROOT = join(__dirname, '../../..');
const DIST = join(ROOT, 'dist');
const built = existsSync(join(DIST, 'cli.js')) && existsSync(join(DIST, 'jhcell-check.code-cache'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('jhcell code cache', { skip: !built && 'dist/ not built (npm run build)' }, () => {
  let work: string;
  let dist: string;
  let userCache: string;

  const jhcell = (mode: string, args: string[], env: NodeJS.ProcessEnv = {}): Run => {
    const r = spawnSync(process.execPath, [join(dist, 'cli.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60000,
      env: { ...process.env, JHCELL_CODE_CACHE: mode, XDG_CACHE_HOME: userCache, ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const cacheLine = (r: Run) => r.stderr.split('\n').filter((l) => l.startsWith('jhcell: code cache: ')).join('\n');

  /** Same exit code and output with the cache as without it, for every format. */
  const sameAsUncached = (args: string[], expectCache: RegExp) => {
    for (const format of ['text', 'json', 'sarif']) {
      const plain = jhcell('off', ['check', '--format', format, ...args]);
      const cached = jhcell('debug', ['check', '--format', format, ...args]);
      assert.match(cacheLine(cached), expectCache, `${format}: ${cached.stderr}`);
      assert.equal(cached.code, plain.code, `${format}: exit code`);
      assert.equal(cached.stdout, plain.stdout, `${format}: output`);
      assert.equal(cached.stderr.replace(/^jhcell: code cache: .*\n/gm, ''), plain.stderr);
    }
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'jhcell-codecache-'));
    dist = join(work, 'dist');
    userCache = join(work, 'user-cache');
    mkdirSync(dist);
    for (const f of ['cli.js', 'jhcell-check.js', 'jhcell-check.code-cache']) copyFileSync(join(DIST, f), join(dist, f));
  });

  it('the cache beside the bundle serves check, whose output is that of a run without it', () => {
    sameAsUncached(['test/fixtures/rules', 'examples'], /used .*dist\/jhcell-check\.code-cache$/);
    assert.ok(!existsSync(userCache), 'a run served by the dist cache writes no user cache');
  });

  it('a damaged cache is ignored; the run writes a user cache and the next run uses that', () => {
    const file = join(dist, 'jhcell-check.code-cache');
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    const nl = bad.indexOf(10);
    for (let i = nl + 100; i < bad.length; i += 997) bad[i] ^= 0x5a;
    writeFileSync(file, bad);
    try {
      const first = jhcell('debug', ['check', 'examples']);
      assert.match(cacheLine(first), /jhcell-check\.code-cache: damaged \(checksum differs\)/);
      assert.match(cacheLine(first), /wrote .*user-cache\/jhcell\/jhcell-check-/);
      sameAsUncached(['examples', 'test/fixtures/rules/clean-arm64'], /used .*user-cache\/jhcell\/jhcell-check-.*\.code-cache$/);
    } finally {
      writeFileSync(file, good);
    }
  });

  it('a cache made for another bundle is ignored', () => {
    const bundle = join(dist, 'jhcell-check.js');
    const original = readFileSync(bundle);
    appendFileSync(bundle, '\n// another build\n');
    try {
      const r = jhcell('debug', ['check', 'examples']);
      assert.match(cacheLine(r), /dist\/jhcell-check\.code-cache: made for another bundle/);
      assert.match(cacheLine(r), /user-cache\/jhcell\/jhcell-check-[^:]*: made for another bundle/);
      assert.equal(r.stdout, jhcell('off', ['check', 'examples']).stdout);
    } finally {
      writeFileSync(bundle, original);
    }
  });

  it('a cache folder that cannot be written costs nothing but speed', () => {
    const notDir = join(work, 'a-file');
    writeFileSync(notDir, '');
    const env = { XDG_CACHE_HOME: notDir };
    writeFileSync(join(dist, 'jhcell-check.code-cache'), 'not a cache\n');
    try {
      const r = jhcell('debug', ['check', 'examples'], env);
      assert.match(cacheLine(r), /cannot write .*a-file\/jhcell/);
      const plain = jhcell('off', ['check', 'examples'], env);
      assert.equal(r.stdout, plain.stdout);
      assert.equal(r.code, plain.code);
    } finally {
      copyFileSync(join(DIST, 'jhcell-check.code-cache'), join(dist, 'jhcell-check.code-cache'));
    }
  });

  const upstream = process.env.JAILHOUSE_SRC;
  it('upstream configs: the same output with the cache as without', { skip: !upstream && 'JAILHOUSE_SRC is not set' }, () => {
    const dirs = readdirSync(join(upstream!, 'configs')).map((d) => join(upstream!, 'configs', d)).filter((d) => existsSync(d) && !d.endsWith('Makefile'));
    sameAsUncached(dirs, /used .*dist\/jhcell-check\.code-cache$/);
  });
});
