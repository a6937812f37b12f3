// `npm run test:e2e`: the extension in a real VS Code (code-server) driven by Debian's Chromium.
//  1. installs the packaged .vsix into a fresh extensions folder;
//  2. runs the in-host mocha suite (test/vscode/suite) inside the extension host, with the
//     installed extension folder as the development path (so the packaged files are tested);
//  3. UI check: opens a config in the workbench, waits for the squiggle and the Problems entry,
//     hovers, and saves screenshots to test-results/screenshots/ (docs/, for the README, with
//     JH_UPDATE_SCREENSHOTS=1).
// Needs scripts/e2e-setup.sh to have run (chromium, code-server cache).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildSuite, ROOT } from '../vscode/build';
import { baseEnv, codeServerDir, installVsix, startCodeServer, type CodeServer } from './codeServer';
import { boardUiCheck } from './boardUi';
import { explainUiCheck } from './explainUi';
import { mapUiCheck } from './mapUi';
import { newCellUiCheck } from './newCellUi';
import { uiCheck } from './ui';

const EXTENSION_ID = 'jailhouse-tools.jailhouse-cell-config';
const VSIX = path.join(ROOT, 'dist/jailhouse-cell-config.vsix');
/** The README's screenshots are rewritten only when asked; a normal run leaves the tree clean. */
const SHOTS = process.env.JH_UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs') : path.join(ROOT, 'test-results', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'editor.hover.delay': 100,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'chat.disableAIFeatures': true,
};

const remote = (cs: CodeServer, p: string) => `vscode-remote://127.0.0.1:${cs.port}${p}`;

function workspaceCopy(runDir: string, name: string): string {
  const ws = path.join(runDir, name);
  cpSync(path.join(ROOT, 'test/fixtures/e2e/ws'), ws, { recursive: true });
  return ws;
}

export async function openWorkbench(browser: Browser, url: string, hooks: (page: Page) => Promise<void> = async () => undefined): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await hooks(page);
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  return page;
}

async function inHostSuite(browser: Browser, cs: CodeServer, extDir: string, ws: string, suiteJs: string): Promise<number> {
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(cs, extDir)],
    ['extensionTestsPath', remote(cs, suiteJs)],
  ]);
  const url = `${cs.base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`;
  const page = await openWorkbench(browser, url, async (p) => {
    await p.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    await p.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });
  });
  const timeout = new Promise<number>((r) => setTimeout(() => r(-1), 240000));
  const code = await Promise.race([exited, timeout]);
  await page.close();
  if (code === -1) console.error('in-host suite: timed out');
  return code;
}

async function main(): Promise<number> {
  if (!existsSync(VSIX)) throw new Error(`${VSIX} missing: run npm run package`);
  const csDir = codeServerDir(ROOT);
  const runDir = mkdtempSync(path.join(tmpdir(), 'jh-e2e-'));
  const extensionsDir = path.join(runDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  const t0 = Date.now();
  const extDir = installVsix(csDir, VSIX, extensionsDir, EXTENSION_ID, baseEnv(runDir));
  console.log(`installed ${path.basename(extDir)} (${Date.now() - t0} ms)`);
  const suiteJs = await buildSuite();
  const wsSuite = workspaceCopy(runDir, 'ws-suite');
  const wsUi = workspaceCopy(runDir, 'ws-ui');
  const cs = await startCodeServer({ csDir, runDir, extensionsDir, folder: wsSuite, settings: SETTINGS });
  console.log(`code-server on ${cs.base}`);
  let browser: Browser | undefined;
  let failures = 0;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const t1 = Date.now();
    const code = await inHostSuite(browser, cs, extDir, wsSuite, suiteJs);
    console.log(`in-host suite: exit ${code} (${Date.now() - t1} ms)`);
    if (code !== 0) failures++;
    const t2 = Date.now();
    const ui = await uiCheck(browser, cs, wsUi, SHOTS);
    for (const line of ui.log) console.log(`  ${line}`);
    console.log(`UI check: ${ui.ok ? 'ok' : 'FAILED'} (${Date.now() - t2} ms)`);
    if (!ui.ok) failures++;
    const t3 = Date.now();
    const mapUi = await mapUiCheck(browser, cs, wsUi, SHOTS);
    for (const line of mapUi.log) console.log(`  ${line}`);
    console.log(`memory map UI check: ${mapUi.ok ? 'ok' : 'FAILED'} (${Date.now() - t3} ms)`);
    if (!mapUi.ok) failures++;
    const t4 = Date.now();
    const boardUi = await boardUiCheck(browser, cs, workspaceCopy(runDir, 'ws-board'), SHOTS);
    for (const line of boardUi.log) console.log(`  ${line}`);
    console.log(`board UI check: ${boardUi.ok ? 'ok' : 'FAILED'} (${Date.now() - t4} ms)`);
    if (!boardUi.ok) failures++;
    const t5 = Date.now();
    const explainUi = await explainUiCheck(browser, cs, workspaceCopy(runDir, 'ws-explain'), SHOTS);
    for (const line of explainUi.log) console.log(`  ${line}`);
    console.log(`explain UI check: ${explainUi.ok ? 'ok' : 'FAILED'} (${Date.now() - t5} ms)`);
    if (!explainUi.ok) failures++;
    const t6 = Date.now();
    // Its own folder: the check generates a system and a cell there with the CLI.
    const newCellUi = await newCellUiCheck(browser, cs, path.join(runDir, 'ws-new-cell'), SHOTS);
    for (const line of newCellUi.log) console.log(`  ${line}`);
    console.log(`new cell UI check: ${newCellUi.ok ? 'ok' : 'FAILED'} (${Date.now() - t6} ms)`);
    if (!newCellUi.ok) failures++;
  } finally {
    await browser?.close();
    await cs.stop();
    if (failures && process.env.E2E_KEEP) console.log(`kept ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
  console.log(`e2e: ${6 - failures} passed, ${failures} failed`);
  return failures ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
