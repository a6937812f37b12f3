// The board in the workbench: with `jailhouse.board` set for the workspace, the status bar names
// the board, completion in a region list offers its devices, and hovering an address names the
// device. Screenshots go to the directory given (docs/ for the README with JH_UPDATE_SCREENSHOTS=1).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { CodeServer } from './codeServer';
import type { UiResult } from './ui';
import { ROOT } from '../vscode/build';

export async function boardUiCheck(browser: Browser, cs: CodeServer, ws: string, shotsDir: string): Promise<UiResult> {
  const log: string[] = [];
  mkdirSync(shotsDir, { recursive: true });
  mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'jailhouse.board': 'qemu-arm64-virt' }, null, 2));
  const file = path.join(ws, 'orbit-demo.c');
  const lines = readFileSync(file, 'utf8').split('\n');
  const commLine = lines.findIndex((l) => l.includes('/* communication region */')) + 1;
  const payload = JSON.stringify([['openFile', `vscode-remote://127.0.0.1:${cs.port}${file}`]]);
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  try {
    await page.goto(`${cs.base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60000 });
    const item = page.locator('.statusbar-item', { hasText: 'QEMU arm64 virt' }).first();
    await item.waitFor({ timeout: 60000 });
    log.push('status bar names the board');

    // Completion at the start of an element of the region list.
    // Focus the editor: click inside its visible viewport (.view-lines is as tall as the whole
    // file and may be scrolled, so a point relative to it can lie outside the window).
    await page.locator('.monaco-editor .overflow-guard').first().click({ position: { x: 300, y: 20 } });
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(commLine));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    const device = page.locator('.suggest-widget .monaco-list-row', { hasText: 'RTC · 0x9010000 · 4 KiB · SPI 2' }).first();
    // The status bar shows the setting at once; the server may get the board a moment later, and
    // a suggest widget opened before keeps its first answer: ask again until the devices come.
    // (isVisible does not wait; waitFor does.)
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Control+Space');
      const shown = await device.waitFor({ state: 'visible', timeout: 1500 }).then(() => true, () => false);
      if (shown) break;
      await page.keyboard.press('Escape');
    }
    await device.waitFor({ state: 'visible', timeout: 10000 });
    log.push('completion offers the board devices');
    // Focus the device and open the details side panel (Ctrl+Space again toggles it). The list
    // takes a moment to settle after it appears; a key pressed before that is lost.
    const focused = page.locator('.suggest-widget .monaco-list-row.focused', { hasText: 'RTC · ' });
    for (let i = 0; i < 5; i++) {
      await page.waitForTimeout(300);
      await page.keyboard.press('ArrowDown');
      if (await focused.waitFor({ state: 'visible', timeout: 1000 }).then(() => true, () => false)) break;
    }
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-details', { hasText: 'arm,pl031' }).first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shotsDir, 'screenshot-board-completion.png') });
    await page.keyboard.press('Escape');

    // Hover an address: the device it hits.
    const addrLine = lines.findIndex((l) => l.includes('.phys_start = 0x09000000')) + 1;
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(addrLine));
    await page.keyboard.press('Enter');
    const addr = page.locator('.monaco-editor .view-line span span', { hasText: /^0x09000000$/ }).first();
    await addr.waitFor({ timeout: 10000 });
    const box = await addr.boundingBox();
    if (!box) throw new Error('address not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'arm,pl011' }).first();
    await hover.waitFor({ state: 'visible', timeout: 20000 });
    log.push('hover on an address names the device');
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(shotsDir, 'screenshot-board-hover.png') });
    return { ok: true, log };
  } catch (e) {
    log.push(`failed: ${e instanceof Error ? e.message : String(e)}`);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'e2e-board-failure.png') }).catch(() => undefined);
    return { ok: false, log };
  } finally {
    await page.close();
  }
}
