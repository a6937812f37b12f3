// The exported memory-map HTML in a real browser (Debian's Chromium through playwright-core):
// lanes, labels and conflict marks are on the page, the viewer script runs under the page's
// CSP without violations, zoom/pan/hover work, theme variables are honoured, and a screenshot
// is saved to test-results/screenshots/ (to docs/memory-map.png for the README with
// JH_UPDATE_SCREENSHOTS=1). It also opens the page the way a user first sees it (readable
// scale, whole names on hover) and measures the contrast of every region label in the light
// and dark themes. Skipped when /usr/bin/chromium is missing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { contrast, over, parseColour, type Rgb } from './contrast';
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

let htmlFile: string | undefined;
/** The Kappa-4 system as exported HTML, written once. */
function kappaHtml(): string {
  if (htmlFile) return htmlFile;
  const { systems } = loadSystems([FIXTURE]);
  const diagnostics = [...checkSystem(systems[0]).values()].flat();
  const html = renderHtml(buildMemoryMap(systems[0], { diagnostics }));
  htmlFile = path.join(mkdtempSync(path.join(tmpdir(), 'jhmap-browser-')), 'kappa4.html');
  writeFileSync(htmlFile, html);
  return htmlFile;
}

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

describe('memory map HTML in Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    const file = kappaHtml();
    browser = await launch();
    // Wide enough for the whole drawing at 1:1.
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

/** Where the viewer opened: screen px per drawing unit, the drawing's size, the viewport's. */
interface Opening {
  scale: number;
  fontPx: number;
  natural: { w: number; h: number };
  view: { w: number; h: number };
}

const OPENING = `(() => {
  const vp = document.getElementById('viewport');
  const svg = vp.querySelector('svg.jh-map');
  const scale = Number(vp.dataset.scale);
  return {
    scale,
    fontPx: parseFloat(getComputedStyle(svg.querySelector('.rl-name')).fontSize) * scale,
    natural: { w: Number(svg.dataset.naturalWidth), h: Number(svg.dataset.naturalHeight) },
    view: { w: vp.clientWidth, h: vp.clientHeight },
  };
})()`;

// Per region label: its colour, the fill of its region and of the lane under that, and the
// conflict marks its box touches (colour and opacity as computed, for every theme).
const LABEL_LAYERS = `(() => {
  const svg = document.querySelector('svg.jh-map');
  const paint = (el) => { const cs = getComputedStyle(el); return { fill: cs.fill, opacity: Number(cs.fillOpacity) * Number(cs.opacity) }; };
  const touches = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const marks = [...svg.querySelectorAll('.conflict-g .conflict')].map((m) => ({ box: m.getBBox(), sev: m.getAttribute('class'), ...paint(m) }));
  return [...svg.querySelectorAll('.labels .rl')].map((t) => {
    const g = svg.querySelector('.region-g[data-ref="' + t.dataset.ref + '"]');
    const box = t.getBBox();
    const laneBg = [...svg.querySelectorAll('.lane-bg')].find((l) => touches(l.getBBox(), box));
    return {
      text: t.firstChild.textContent,
      label: getComputedStyle(t).fill,
      page: getComputedStyle(svg.querySelector('.bg')).fill,
      lane: laneBg ? paint(laneBg) : undefined,
      region: paint(g.querySelector('.region')),
      marks: marks.filter((m) => touches(m.box, box)).map(({ sev, fill, opacity }) => ({ sev, fill, opacity })),
    };
  });
})()`;

interface LabelLayers {
  text: string;
  label: string;
  page: string;
  lane?: { fill: string; opacity: number };
  region: { fill: string; opacity: number };
  marks: { sev: string; fill: string; opacity: number }[];
}

/** The lowest contrast of each label against what is under it: its region, alone or marked. */
function labelContrasts(layers: LabelLayers[]): { text: string; under: string; ratio: number }[] {
  const paintOver = (under: Rgb, p: { fill: string; opacity: number }): Rgb => {
    const c = parseColour(p.fill);
    return over(under, c.rgb, c.alpha * p.opacity);
  };
  return layers.flatMap((l) => {
    let base = parseColour(l.page).rgb;
    if (l.lane) base = paintOver(base, l.lane);
    const region = paintOver(base, l.region);
    const text = parseColour(l.label).rgb;
    return [
      { text: l.text, under: 'region', ratio: contrast(text, region) },
      ...l.marks.map((m) => ({ text: l.text, under: m.sev, ratio: contrast(text, paintOver(region, m)) })),
    ];
  });
}

// The variables VS Code sets in a webview for its default themes (Dark+ and Light+), and the
// class it puts on the body.
const THEMES: { name: string; body?: string; scheme?: 'dark' | 'light'; vars?: Record<string, string> }[] = [
  { name: 'exported page, light system theme', scheme: 'light' },
  { name: 'exported page, dark system theme', scheme: 'dark' },
  {
    name: 'VS Code Light+',
    body: 'vscode-light',
    vars: { '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#000000', '--vscode-sideBar-background': '#f3f3f3', '--vscode-editorError-foreground': '#e51400', '--vscode-editorWarning-foreground': '#bf8803' },
  },
  {
    name: 'VS Code Dark+',
    body: 'vscode-dark',
    vars: { '--vscode-editor-background': '#1e1e1e', '--vscode-editor-foreground': '#d4d4d4', '--vscode-sideBar-background': '#252526', '--vscode-editorError-foreground': '#f14c4c', '--vscode-editorWarning-foreground': '#cca700' },
  },
];

describe('memory map as a user first sees it', { skip }, () => {
  let browser: Browser;

  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  async function open(width: number, height: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(pathToFileURL(kappaHtml()).href);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
    return page;
  }

  it('opens with the height fitted and labels at least their 1:1 size; the width scrolls', async () => {
    // Narrower than the drawing: fitting the width would shrink the text to about 6 px.
    const page = await open(1280, 900);
    try {
      const o = (await page.evaluate(OPENING)) as Opening;
      assert.ok(o.natural.w * o.scale > o.view.w, `the drawing is wider than the view: ${JSON.stringify(o)}`);
      assert.ok(o.fontPx >= 11, `region labels are ${o.fontPx.toFixed(1)} px at open`);
      assert.ok(o.natural.h * o.scale <= o.view.h + 0.5, `the height fits: ${JSON.stringify(o)}`);
      assert.ok(o.natural.h * o.scale > o.view.h * 0.95, `the height fills the view: ${JSON.stringify(o)}`);
    } finally {
      await page.close();
    }
  });

  it('never opens below 1:1, even when the drawing is taller than the view', async () => {
    const page = await open(1280, 420);
    try {
      const o = (await page.evaluate(OPENING)) as Opening;
      assert.ok(o.natural.h > o.view.h, `the drawing is taller than the view: ${JSON.stringify(o)}`);
      assert.equal(o.scale, 1);
      assert.ok(o.fontPx >= 11, `region labels are ${o.fontPx.toFixed(1)} px at open`);
    } finally {
      await page.close();
    }
  });

  it('gives every cut label a tooltip with the whole name, and only cut labels', async () => {
    const page = await open(1280, 900);
    try {
      const labels = (await page.evaluate(
        `[...document.querySelectorAll('.jh-map text')].map((e) => ({ shown: e.firstChild ? e.firstChild.textContent : '', cls: e.getAttribute('class') || '', title: e.querySelector(':scope > title')?.textContent, pointer: getComputedStyle(e).pointerEvents }))`,
      )) as { shown: string; cls: string; title?: string; pointer: string }[];
      const cut = labels.filter((l) => l.shown.endsWith('…'));
      assert.ok(cut.length >= 5, `the fixture has cut labels: ${cut.map((l) => l.shown)}`);
      for (const l of cut) {
        assert.ok(l.title && l.title.startsWith(l.shown.slice(0, -1)) && l.title.length >= l.shown.length, `"${l.shown}" has the whole name on hover: ${l.title}`);
        assert.notEqual(l.pointer, 'none', `"${l.shown}" takes the pointer, so its tooltip shows`);
      }
      assert.ok(cut.some((l) => l.title === 'GIC distributor (wrong)'));
      for (const l of labels.filter((x) => x.cls.includes('clipped'))) assert.ok(l.shown.endsWith('…'), `"${l.shown}" is marked cut but is whole`);
      // Pointing at a cut label shows its region's details, as pointing at the region does.
      const box = (await page.locator('.rl-name.clipped', { hasText: 'GIC dist' }).last().boundingBox())!;
      await page.mouse.move(box.x + 3, box.y + box.height / 2);
      await page.locator('#info', { hasText: 'GIC distributor (wrong)' }).waitFor({ timeout: 5000 });
      assert.match((await page.textContent('#info')) ?? '', /0x2f000000-0x2f00ffff/);
    } finally {
      await page.close();
    }
  });

  for (const theme of THEMES) {
    it(`keeps every region label at 4.5:1 or more against its fill (${theme.name})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: theme.scheme ?? 'light' });
      try {
        await page.goto(pathToFileURL(kappaHtml()).href);
        await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
        if (theme.body) await page.evaluate(`document.body.classList.add(${JSON.stringify(theme.body)})`);
        for (const [k, v] of Object.entries(theme.vars ?? {})) await page.evaluate(`document.documentElement.style.setProperty(${JSON.stringify(k)}, ${JSON.stringify(v)})`);
        const ratios = labelContrasts((await page.evaluate(LABEL_LAYERS)) as LabelLayers[]);
        assert.ok(ratios.length >= 30, `labels measured: ${ratios.length}`);
        assert.ok(ratios.some((r) => r.under.includes('sev-warning')) && ratios.some((r) => r.under.includes('sev-error')), 'some labels sit on warning and error marks');
        const low = ratios.filter((r) => r.ratio < 4.5).map((r) => `${r.text} on ${r.under}: ${r.ratio.toFixed(2)}`);
        assert.deepEqual(low, []);
        const min = Math.min(...ratios.map((r) => r.ratio));
        process.stderr.write(`map label contrast, ${theme.name}: lowest ${min.toFixed(2)}:1 over ${ratios.length} label/background pairs\n`);
      } finally {
        await page.close();
      }
    });
  }
});
