// Bundles the language server, the CLI and the VS Code client with esbuild.
// One bundle per entry keeps start-up to a file read or two (fast activation; the CLI is a
// dispatcher plus one bundle per command).
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync } from 'node:fs';

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
