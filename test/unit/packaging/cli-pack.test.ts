// The packed tarball is what `npm install -g` gives a user outside this clone: it must hold the
// CLI bundles and the files they read at run time, run with no node_modules beside it, and not
// ship the sources and tests. package.json "files" decides, for the tarball and the .vsix alike
// (vsce refuses a .vscodeignore beside "files"), so the two share one list.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const built = fs.existsSync(path.join(ROOT, 'dist/cli.js'));

describe('npm pack: the tarball a user installs', { skip: !built && 'dist/ not built' }, () => {
  let work = '';
  let pkg = '';
  let files: string[] = [];

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'jhcell-pack-'));
    // --ignore-scripts: the bundles are built already (npm run build before this tier).
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const info = JSON.parse(r.stdout)[0] as { filename: string; files: { path: string }[] };
    files = info.files.map((f) => f.path);
    const t = spawnSync('tar', ['-xzf', path.join(work, info.filename), '-C', work], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    pkg = path.join(work, 'package');
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('holds the bundles, assets and docs, and no sources or tests', () => {
    for (const f of ['dist/cli.js', 'dist/jhcell-check.js', 'dist/server.js', 'dist/client.js', 'media/map.js', 'schemas/jailhouse-cells.schema.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'docs/rules.md']) {
      assert.ok(files.includes(f), `${f} is missing from the tarball`);
    }
    const stray = files.filter((f) => /^(server|client|test|bench|scripts|boards)\//.test(f) || f.endsWith('.ts') || f.endsWith('.map') || f.endsWith('.vsix'));
    assert.deepEqual(stray, []);
  });

  it('runs from another folder with no node_modules', () => {
    const cwd = fs.mkdtempSync(path.join(work, 'user-'));
    const cli = path.join(pkg, 'dist/cli.js');
    const version = spawnSync(process.execPath, [cli, '--version'], { cwd, encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /^jhcell \d+\.\d+\.\d+/);
    const example = path.join(ROOT, 'examples/acme-zeta');
    const check = spawnSync(process.execPath, [cli, 'check', example], { cwd, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /0 errors, \d+ warnings? in \d+ files?\n$/);
    // The map's HTML export embeds media/ assets found next to the bundle.
    const map = spawnSync(process.execPath, [cli, 'map', '--format', 'html', path.join(example, 'acme-zeta.c')], { cwd, encoding: 'utf8' });
    assert.equal(map.status, 0, map.stderr);
    assert.match(map.stdout, /<html/i);
  });
});
