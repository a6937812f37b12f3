// The UI check: a user opens a config, sees the squiggle and the Problems entry, hovers it.
// Screenshots go to the directory given (docs/ for the README with JH_UPDATE_SCREENSHOTS=1).
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { ROOT } from '../vscode/build';

export interface UiResult {
  ok: boolean;
  log: string[];
}

export async function uiCheck(browser: Browser, cs: CodeServer, ws: string, shotsDir: string): Promise<UiResult> {
  const log: string[] = [];
  mkdirSync(shotsDir, { recursive: true });
  const file = path.join(ws, 'orbit-demo.c');
  const payload = JSON.stringify([['openFile', `vscode-remote://127.0.0.1:${cs.port}${file}`]]);
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  try {
    await page.goto(`${cs.base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60000 });
    log.push('workbench and editor ready');

    const squiggle = page.locator('.monaco-editor .squiggly-error >> visible=true').first();
    await squiggle.waitFor({ state: 'attached', timeout: 60000 });
    log.push('error squiggle shown');

    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'num_memory_regions is 2' }).first();
    await problem.waitFor({ timeout: 30000 });
    log.push('Problems panel lists the count mismatch');

    // Hover the squiggle: the diagnostic and the field's documentation appear together. The
    // panel resized the editor, so wait for the squiggle to be drawn again before measuring it.
    await squiggle.waitFor({ state: 'visible', timeout: 20000 });
    await page.waitForTimeout(300);
    const box = await squiggle.boundingBox();
    if (!box) throw new Error('squiggle has no box');
    await page.mouse.move(box.x + Math.min(box.width / 2, 40), box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'num_memory_regions' }).first();
    await hover.waitFor({ state: 'visible', timeout: 20000 });
    log.push('hover over the squiggle shows the diagnostic and field docs');
    await page.waitForTimeout(400); // let the hover finish fading in
    await page.screenshot({ path: path.join(shotsDir, 'screenshot-diagnostics.png') });

    // Hover a region's size: hex/decimal, human size, region extent.
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    // Only visible lines are rendered: bring the RAM region's size line into view first.
    const sizeLine = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('0x01000000')) + 1;
    // Focus the editor: click inside its visible viewport (.view-lines is as tall as the whole
    // file and may be scrolled, so a point relative to it can lie outside the window).
    await page.locator('.monaco-editor .overflow-guard').first().click({ position: { x: 300, y: 20 } });
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(sizeLine));
    await page.keyboard.press('Enter');
    const size = page.locator('.monaco-editor .view-line span span', { hasText: /^0x01000000$/ }).first();
    await size.waitFor({ timeout: 10000 });
    const sbox = await size.boundingBox();
    if (!sbox) throw new Error('region size not visible');
    await page.mouse.move(sbox.x + sbox.width / 2, sbox.y + sbox.height / 2);
    const regionHover = page.locator('.monaco-hover', { hasText: '16 MiB' }).first();
    await regionHover.waitFor({ state: 'visible', timeout: 20000 });
    log.push('hover over a region size shows its extent');
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(shotsDir, 'screenshot-hover.png') });
    return { ok: true, log };
  } catch (e) {
    log.push(`failed: ${e instanceof Error ? e.message : String(e)}`);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'e2e-failure.png') }).catch(() => undefined);
    return { ok: false, log };
  } finally {
    await page.close();
  }
}
