// Bundles the in-host suite to out/test/vscode/index.js (mocha and vscode stay external:
// mocha resolves from the project's node_modules, vscode from the extension host).
import { build } from 'esbuild';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const SUITE_JS = path.join(ROOT, 'out/test/vscode/index.js');

export async function buildSuite(): Promise<string> {
  await build({
    entryPoints: [path.join(ROOT, 'test/vscode/suite/index.ts')],
    outfile: SUITE_JS,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return SUITE_JS;
}
