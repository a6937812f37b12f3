// The memory-map webview in the workbench: click the "Show memory map" code lens, find the
// drawing inside the webview (lanes, labels), click a region and land on its source line, and
// take a screenshot in the workbench's theme. Any CSP violation fails the check.
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { CodeServer } from './codeServer';
import type { UiResult } from './ui';
import { ROOT } from '../vscode/build';

export async function mapUiCheck(browser: Browser, cs: CodeServer, ws: string, shotsDir: string): Promise<UiResult> {
  const log: string[] = [];
  mkdirSync(shotsDir, { recursive: true });
  const file = path.join(ws, 'orbit.c');
  const ramLine = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('/* RAM */')) + 1;
  const payload = JSON.stringify([['openFile', `vscode-remote://127.0.0.1:${cs.port}${file}`]]);
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const csp: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) csp.push(m.text());
  });
  try {
    await page.goto(`${cs.base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60000 });
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Show memory map' }).first();
    await lens.waitFor({ timeout: 60000 });
    log.push('code lens "Show memory map" on the header');
    await lens.click();

    const view = page.frameLocator('iframe.webview').frameLocator('#active-frame');
    await view.locator('svg.jh-map').waitFor({ timeout: 30000 });
    const lanes = await view.locator('.lane-label').allTextContents();
    if (!lanes.some((l) => l.includes('Orbit-4 (root)'))) throw new Error(`lanes: ${lanes.join(', ')}`);
    log.push(`webview shows ${lanes.length} lanes`);
    // Region labels sit in a layer above the regions, tied to theirs by data-ref.
    const ramLabel = view.locator('.rl-name', { hasText: /^RAM$/ }).first();
    await ramLabel.waitFor({ timeout: 10000 });
    const ram = view.locator(`.region-g[data-ref="${await ramLabel.getAttribute('data-ref')}"]`);
    await ram.waitFor({ timeout: 10000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shotsDir, 'memory-map-vscode.png') });

    // The map opens at a readable scale and scrolls sideways: fit it so the region is in view.
    await view.locator('#zoom-fit').click();
    await page.waitForTimeout(200);
    const box = await ram.boundingBox();
    if (!box) throw new Error('RAM region has no box');
    await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2);
    const status = page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${ramLine},`) }).first();
    await status.waitFor({ timeout: 15000 });
    log.push(`click on RAM revealed line ${ramLine}`);
    if (csp.length) throw new Error(`CSP violations: ${csp.join(' | ')}`);
    log.push('no CSP violations');
    return { ok: true, log };
  } catch (e) {
    log.push(`failed: ${e instanceof Error ? e.message : String(e)}`);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'e2e-map-failure.png') }).catch(() => undefined);
    return { ok: false, log };
  } finally {
    await page.close();
  }
}
