// Bundles the language server, the CLI and the VS Code client with esbuild.
// One bundle per entry keeps start-up to a file read or two (fast activation; the CLI is a
// dispatcher plus one bundle per command).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Smaller bundles parse faster: extension activation and CLI start-up read one file each.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
};

// The CLI is a small dispatcher plus one bundle per command (see server/src/cli.ts).
const CLI_COMMANDS = ['dump', 'check', 'lsp', 'map', 'board', 'explain', 'new', 'build', 'diff'];

const entries = [
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, define: { __VERSION__: JSON.stringify(version) } },
  ...CLI_COMMANDS.map((c) => ({ entryPoints: [`server/src/cli/${c}.ts`], outfile: `dist/jhcell-${c}.js` })),
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => build({ ...common, ...e })));
// The `jhcell` bin must be executable itself: npm marks it so only when it links it (npx does that
// once per project folder), so a rebuilt or freshly built dist/cli.js would fail with EACCES.
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);

// V8 code caches beside the command bundles (server/src/cli/codeCache.ts): each from one run of
// the command on examples/, so that it holds the functions a real run compiles. A cache belongs to
// this Node version; under another, the CLI ignores it and keeps one in the user's cache folder.
const EXAMPLE = 'examples/acme-zeta';
const scratch = mkdtempSync(join(tmpdir(), 'jhcell-build-'));
const TRAINING = {
  check: ['check', EXAMPLE],
  dump: ['dump', `${EXAMPLE}/acme-zeta.c`],
  map: ['map', '--format', 'text', `${EXAMPLE}/acme-zeta.c`],
  build: ['build', '--out-dir', scratch, `${EXAMPLE}/acme-zeta.c`, `${EXAMPLE}/acme-zeta-rtos.c`, `${EXAMPLE}/acme-zeta-linux.c`],
};
for (const [cmd, args] of Object.entries(TRAINING)) {
  const cache = `dist/jhcell-${cmd}.code-cache`;
  rmSync(cache, { force: true });
  if (!existsSync(`dist/jhcell-${cmd}.js`) || !existsSync(EXAMPLE)) continue;
  const r = spawnSync(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, JHCELL_CODE_CACHE: 'write-dist' }, encoding: 'utf8' });
  // A run that failed may have left no cache or one of an unusual path: none is better.
  if (r.status !== 0 && r.status !== 1) {
    rmSync(cache, { force: true });
    console.warn(`build: note: no code cache for jhcell ${cmd} (training run exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n')[0]})`);
  }
}
rmSync(scratch, { recursive: true, force: true });
