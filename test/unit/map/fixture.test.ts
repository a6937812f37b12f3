// The Kappa-4 fixture end to end: engine → checks → map → SVG / HTML / text / JSON, and the CLI.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../../server/src/cli/args';
import { run as runMap } from '../../../server/src/cli/map';
import { renderHtml } from '../../../server/src/map/html';
import { mapRefs, mapToJson } from '../../../server/src/map/json';
import { buildMemoryMap } from '../../../server/src/map/model';
import { renderSvg } from '../../../server/src/map/svg';
import { renderText } from '../../../server/src/map/text';
import { checkSystem } from '../../../server/src/rules';
import { loadSystems } from '../../../server/src/workspace';

const DIR = path.resolve(__dirname, '../../fixtures/map');
const ROOT = path.join(DIR, 'kappa4.c');

function kappa() {
  const { systems } = loadSystems([ROOT]);
  assert.equal(systems.length, 1);
  const system = systems[0];
  const diagnostics = [...checkSystem(system).values()].flat();
  return { system, diagnostics, map: buildMemoryMap(system, { diagnostics }) };
}

describe('memory map of the Kappa-4 fixture', () => {
  const { diagnostics, map } = kappa();

  it('has a lane per owner', () => {
    assert.deepEqual(map.lanes.map((l) => l.label), ['hypervisor', 'platform', 'Kappa-4 (root)', 'kappa-linux', 'kappa-rtos']);
  });

  it('shows every memory-overlap finding of the checks, with its text', () => {
    const overlap = diagnostics.filter((d) => d.code.startsWith('memory-overlap'));
    assert.ok(overlap.length >= 3);
    const shown = new Set(map.conflicts.map((c) => c.message));
    for (const d of overlap) {
      const twin = overlap.some((o) => o !== d && o.code === d.code && shown.has(o.message));
      assert.ok(shown.has(d.message) || twin, `not on the map: ${d.message}`);
    }
    assert.ok(map.conflicts.every((c) => c.fromChecks));
    const hv = map.conflicts.find((c) => c.code === 'memory-overlap-hypervisor');
    assert.deepEqual([hv?.start, hv?.end, hv?.severity], [0x7fe00000n, 0x7ff00000n, 'error']);
  });

  it('marks the shared CPU and interrupt', () => {
    assert.deepEqual(map.cpus.conflicts.map((c) => [c.cpu, c.conflict.code]), [[2, 'cpu-shared']]);
    const irq = map.irqs.columns.find((c) => c.first === 77);
    assert.equal(irq?.conflict?.code, 'irq-shared');
  });

  it('draws lanes, labels, sizes and conflicts in the SVG, styled by class only', () => {
    const svg = renderSvg(map);
    for (const label of ['Kappa-4 (root)', 'kappa-rtos', 'kappa-linux', 'Linux RAM', 'RTOS RAM', '136 MiB', 'GPU aperture', 'hypervisor memory']) {
      assert.ok(svg.includes(`>${label}<`), `label ${label}`);
    }
    assert.equal((svg.match(/class="lane-bg/g) ?? []).length, 5);
    assert.ok(svg.includes('class="conflict sev-error"'));
    assert.ok(svg.includes('the cell could read and write the hypervisor'));
    assert.ok(!/\sstyle="/.test(svg), 'no style attributes (CSP)');
    assert.ok(!/<script|\son[a-z]+="/i.test(svg), 'no scripts, no inline handlers');
    assert.ok(!svg.includes('<style>'), 'no embedded stylesheet unless asked');
    assert.match(svg, /data-errors="\d+"/);
    for (const m of svg.matchAll(/data-ref="([^"]+)"/g)) assert.ok(mapRefs(map).has(m[1]), `ref ${m[1]} resolves`);
  });

  it('writes a self-contained HTML page whose CSP admits exactly its own blocks', () => {
    const html = renderHtml(map);
    assert.ok(!/(src|href)="https?:/i.test(html), 'nothing remote');
    assert.ok(!/\son[a-z]+="/i.test(html), 'no inline handlers');
    const csp = html.match(/Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    const style = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? '';
    const script = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    assert.equal(script.length, 1);
    const hash = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
    assert.ok(csp.includes(`style-src ${hash(style)}`));
    assert.ok(csp.includes(`script-src ${hash(script[0])}`));
    const data = JSON.parse(html.match(/<script type="application\/json" id="jh-map-data">([\s\S]*?)<\/script>/)?.[1] ?? '{}');
    assert.equal(data.title, 'Memory map of Kappa-4');
  });

  it('lists ranges, gaps and conflicts in the text table', () => {
    const text = renderText(map);
    assert.match(text, /^0x7fe00000 +0x7fefffff +1 MiB +kappa-linux +scratch +ERROR #\d+$/m);
    assert.match(text, /^0x80000000 +0xfffffffff +62 GiB +- +\(unmapped\)/m);
    assert.match(text, /kappa-rtos: communication region at 0x80000000 \(4 KiB\)/);
    assert.match(text, /^  kappa-linux +\. +\. +! +x$/m);
  });

  it('serialises to JSON with hex strings and a source location per clickable element', () => {
    const json = mapToJson(map) as { ranges: { start: string; name: string }[]; refs: Record<string, { file: string }> };
    const ram = json.ranges.find((r) => r.name === 'RTOS RAM');
    assert.equal(ram?.start, '0x78000000');
    assert.equal(json.refs[`r${map.ranges.find((r) => r.name === 'RTOS RAM')?.id}`].file, path.join(DIR, 'kappa4-rtos.c'));
    JSON.stringify(json);
  });
});

describe('jhcell map', () => {
  // In-process (a child process per case costs seconds on a loaded machine); output captured.
  async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const saved = [process.stdout.write, process.stderr.write];
    process.stdout.write = ((c: string) => out.push(String(c)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((c: string) => err.push(String(c)) > 0) as typeof process.stderr.write;
    let status: number;
    try {
      status = await runMap(args);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      err.push(e.message);
      status = 2;
    } finally {
      [process.stdout.write, process.stderr.write] = saved;
    }
    return { status, stdout: out.join(''), stderr: err.join('') };
  }

  it('prints the text table for a folder holding one system', async () => {
    const r = await run(DIR);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Memory map of Kappa-4$/m);
  });

  it('writes SVG and HTML files, the format taken from the name or --format', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'jhmap-'));
    const svgFile = path.join(out, 'm.svg');
    assert.equal((await run('-o', svgFile, ROOT)).status, 0);
    const svg = readFileSync(svgFile, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.includes('<style>'), 'a stand-alone SVG carries its stylesheet');
    const htmlFile = path.join(out, 'm.out');
    assert.equal((await run('--format', 'html', '-o', htmlFile, ROOT)).status, 0);
    assert.match(readFileSync(htmlFile, 'utf8'), /^<!DOCTYPE html>/);
  });

  it('answers bad input with a message and an exit code', async () => {
    const missing = await run(path.join(DIR, 'nope.c'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no such file/);
    const fmt = await run('--format', 'png', ROOT);
    assert.equal(fmt.status, 2);
    assert.match(fmt.stderr, /unknown format/);
    assert.equal((await run()).status, 2);
  });
});
