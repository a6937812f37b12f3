// The exported memory-map HTML in a real browser (Debian's Chromium through playwright-core):
// lanes, labels and conflict marks are on the page, the viewer script runs under the page's
// CSP without violations, zoom/pan/hover work, theme variables are honoured, and a screenshot
// is saved to test-results/screenshots/ (to docs/memory-map.png for the README with
// JH_UPDATE_SCREENSHOTS=1). Skipped when /usr/bin/chromium is missing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../server/src/map/html';
import { buildMemoryMap } from '../../server/src/map/model';
import { checkSystem } from '../../server/src/rules';
import { loadSystems } from '../../server/src/workspace';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const REPO = path.resolve(__dirname, '../..');
const FIXTURE = path.join(REPO, 'test/fixtures/map/kappa4.c');
const SCREENSHOT = path.join(REPO, process.env.JH_UPDATE_SCREENSHOTS === '1' ? 'docs' : 'test-results/screenshots', 'memory-map.png');

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found (apt-get install chromium)`;
if (skip) process.stderr.write(`map browser test skipped: ${skip}\n`);

describe('memory map HTML in Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    const { systems } = loadSystems([FIXTURE]);
    const diagnostics = [...checkSystem(systems[0]).values()].flat();
    const html = renderHtml(buildMemoryMap(systems[0], { diagnostics }));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jhmap-browser-')), 'kappa4.html');
    writeFileSync(file, html);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    // Wide enough for the whole drawing at 1:1 (the viewer fits width up to 100 %).
    page = await browser.newPage({ viewport: { width: 2240, height: 880 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  });

  after(async () => {
    await browser?.close();
  });

  it('runs the viewer under the CSP without errors or violations', () => {
    assert.deepEqual(problems, []);
  });

  it('has one lane per owner with its label', async () => {
    const labels = await page.$$eval('.lane-label', (els) => els.map((e) => e.firstChild?.textContent));
    assert.deepEqual(labels, ['hypervisor', 'platform', 'Kappa-4 (root)', 'kappa-linux', 'kappa-rtos']);
    const heights = await page.$$eval('.lane-bg', (els) => els.map((e) => e.getBoundingClientRect().height));
    assert.ok(heights.every((h) => h > 20), `lanes are drawn: ${heights}`);
  });

  it('labels regions with their comment names and sizes, visibly', async () => {
    for (const [name, size] of [['Linux RAM', '136 MiB'], ['RTOS RAM', '16 MiB'], ['GPU aperture', '256 MiB']]) {
      const box = await page.locator('.rl-name', { hasText: name }).first().boundingBox();
      assert.ok(box && box.width > 10 && box.height > 5, `${name} is visible`);
      assert.ok(await page.locator('.rl-size', { hasText: size }).count(), `${size} shown`);
    }
  });

  it('marks conflicts in a colour of their own, with the diagnostic on hover', async () => {
    const mark = page.locator('.conflict-g .conflict.sev-error').first();
    assert.ok(await mark.isVisible());
    // Strings, not functions: page code is not type-checked against the DOM here, and tsx's
    // helpers must not leak into the page.
    const fill = (sel: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(sel)})).fill`) as Promise<string>;
    const colours = { error: await fill('.conflict-g .conflict.sev-error'), region: await fill('.region.k-ram') };
    assert.notEqual(colours.error, colours.region);
    assert.match(colours.error, /rgb\((2[0-9]{2}), \d{1,2}, \d{1,2}\)/, `error mark is red: ${colours.error}`);
    // The pointer, not locator.hover(): the viewer owns scrolling (pan), nothing may scroll.
    const at = (await mark.boundingBox())!;
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
    await page.locator('#info', { hasText: 'hypervisor' }).waitFor({ timeout: 5000 });
    const info = await page.textContent('#info');
    assert.match(info ?? '', /overlaps the hypervisor memory .*\[memory-overlap-hypervisor\]/);
    assert.match((await page.textContent('#summary')) ?? '', /1 error/);
    const cpu = await page.locator('.grid-cell.conflict-cell').count();
    assert.ok(cpu >= 2, 'CPU and interrupt conflicts are marked in the grids');
  });

  it('zooms and pans', async () => {
    const viewBox = () => page.getAttribute('svg.jh-map', 'viewBox');
    const before = await viewBox();
    await page.click('#zoom-in');
    const zoomed = await viewBox();
    assert.notEqual(zoomed, before);
    assert.ok(Number(await page.getAttribute('#viewport', 'data-scale')) > 1);
    const box = (await page.locator('#viewport').boundingBox())!;
    await page.mouse.move(box.x + 400, box.y + 300);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 250, { steps: 5 });
    await page.mouse.up();
    const panned = (await viewBox())!.split(' ').map(Number);
    const z = zoomed!.split(' ').map(Number);
    assert.ok(panned[0] > z[0] && panned[1] > z[1], `panned right and down: ${z} → ${panned}`);
    await page.click('#zoom-reset');
  });

  it('follows the theme variables VS Code sets', async () => {
    const bg = `getComputedStyle(document.querySelector('.jh-map .bg')).fill`;
    const before = await page.evaluate(bg);
    await page.evaluate(`document.documentElement.style.setProperty('--vscode-editor-background', '#1e1e1e')`);
    const after = await page.evaluate(bg);
    assert.equal(before, 'rgb(255, 255, 255)');
    assert.equal(after, 'rgb(30, 30, 30)');
    await page.evaluate(`document.documentElement.style.removeProperty('--vscode-editor-background')`);
  });

  it('saves a screenshot for the README', async () => {
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    const size = (await page.evaluate(`(s => ({ w: Number(s.dataset.naturalWidth), h: Number(s.dataset.naturalHeight) }))(document.querySelector('svg.jh-map'))`)) as { w: number; h: number };
    await page.setViewportSize({ width: Math.ceil(size.w) + 20, height: Math.ceil(size.h) + 120 });
    await page.click('#zoom-reset');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT });
    assert.ok(existsSync(SCREENSHOT));
  });
});
