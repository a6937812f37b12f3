// The console explainer in the workbench: a console log opened in the editor shows a code lens
// on the fault line naming the cell and the fix, the hover explains the line; the screenshot
// (log, lens, hover) is the README's. Clicking the lens writes the region into the cell.
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { CodeServer } from './codeServer';
import type { UiResult } from './ui';
import { ROOT } from '../vscode/build';

export async function explainUiCheck(browser: Browser, cs: CodeServer, ws: string, shotsDir: string): Promise<UiResult> {
  const log: string[] = [];
  mkdirSync(shotsDir, { recursive: true });
  const file = path.join(ws, 'orbit-console.log');
  const faultLine = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('Unhandled data read')) + 1;
  const payload = JSON.stringify([['openFile', `vscode-remote://127.0.0.1:${cs.port}${file}`]]);
  const page = await browser.newPage({ viewport: { width: 1400, height: 720 } });
  try {
    await page.goto(`${cs.base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60000 });
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'explain: cell orbit-demo' }).first();
    await lens.waitFor({ timeout: 60000 });
    log.push(`code lens: ${(await lens.textContent()) ?? ''}`);

    // Hover the address on the fault line.
    const line = page.locator('.monaco-editor .view-line', { hasText: 'Unhandled data read' }).first();
    const box = await line.boundingBox();
    if (!box) throw new Error('the fault line is not shown');
    await page.mouse.move(box.x + 200, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover-content', { hasText: 'Ethernet' }).first();
    await hover.waitFor({ timeout: 30000 });
    log.push(`hover on line ${faultLine} names the device`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shotsDir, 'screenshot-explain.png') });

    await page.mouse.move(5, 5);
    await lens.click();
    // The fix is written into orbit-demo.c (unsaved): open it and see the array grown.
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+P');
    await page.keyboard.type('orbit-demo.c');
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    // The array grew by the region written (it lies below the fold).
    await page.locator('.monaco-editor .view-line', { hasText: 'mem_regions[4]' }).first().waitFor({ timeout: 30000 });
    log.push('clicking the lens wrote the region into orbit-demo.c');
    return { ok: true, log };
  } catch (e) {
    log.push(`failed: ${e instanceof Error ? e.message : String(e)}`);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'e2e-explain-failure.png') }).catch(() => undefined);
    return { ok: false, log };
  } finally {
    await page.close();
  }
}
