// Bundles the language server, the CLI and the VS Code client with esbuild.
// One bundle per entry keeps start-up to a single file read (fast activation).
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';

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

const entries = [
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => build({ ...common, ...e })));
// The `jhcell` bin must be executable itself: npm marks it so only when it links it (npx does that
// once per project folder), so a rebuilt or freshly built dist/cli.js would fail with EACCES.
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
