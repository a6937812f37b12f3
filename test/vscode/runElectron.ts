// `npm run test:vscode`: the in-host suite in desktop VS Code, downloaded by @vscode/test-electron
// (needs internet access; on machines without it use `npm run test:e2e`).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite, ROOT } from './build';

async function main(): Promise<void> {
  const suite = await buildSuite();
  const ws = mkdtempSync(path.join(tmpdir(), 'jh-vscode-ws-'));
  cpSync(path.join(ROOT, 'test/fixtures/e2e/ws'), ws, { recursive: true });
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
