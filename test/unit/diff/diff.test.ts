// The resource differ on the fixtures of test/fixtures/diff: each X.c with X-b.c (X.c with
// DIFF_B defined) must give exactly the lines of X.expected; pairing rules, symmetry, sources
// and images alike, and the JSON form against docs/model-json.md.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diffConfigs } from '../../../server/src/diff/compare';
import { fromText, loadSide, type Loaded } from '../../../server/src/diff/load';
import { changeLine, diffJson, diffText, summaryLine } from '../../../server/src/diff/report';
import { sideFromImage } from '../../../server/src/diff/side';
import type { DiffSide } from '../../../server/src/diff/types';
import { checkDiffJson, diffKeys } from './diffDoc';

const DIR = join(__dirname, '../../fixtures/diff');
const PAIRS = readdirSync(DIR).filter((f) => f.endsWith('.expected')).map((f) => f.slice(0, -'.expected'.length)).sort();

function load(file: string): Loaded {
  const r = loadSide(file);
  assert.ok(!('error' in r), `${file}: ${'error' in r ? r.error : ''}`);
  assert.deepEqual(r.analysis?.diagnostics.filter((d) => d.severity === 'error') ?? [], [], file);
  return r;
}

const side = (name: string) => load(join(DIR, name)).side;
const lines = (a: DiffSide, b: DiffSide) => diffConfigs(a, b).changes.map(changeLine);

/** A source with one edit applied (the fixture's text, replaced in memory). */
function edited(name: string, from: string | RegExp, to: string): DiffSide {
  const file = join(DIR, name);
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(from, to);
  assert.notEqual(changed, text, `${name}: ${String(from)} not found`);
  const r = fromText(name, file, changed, {});
  assert.ok(!('error' in r));
  return r.side;
}

describe('jhcell diff: resource differ', () => {
  it('has fixtures for every resource', () => {
    assert.deepEqual(PAIRS, ['arm64-kestrel', 'arm64-kestrel-rtos', 'x86-heron']);
    const all = PAIRS.flatMap((p) => readFileSync(join(DIR, `${p}.expected`), 'utf8').trim().split('\n'));
    const resources = new Set(all.map((l) => l.slice(0, l.indexOf(':'))));
    assert.deepEqual([...resources].sort(), ['cache', 'cpus', 'header', 'irqchips', 'ivshmem', 'memory', 'pci', 'pio', 'platform', 'stream-ids']);
    for (const kind of ['added', 'removed']) assert.ok(all.some((l) => l.includes(`: ${kind} `)), kind);
  });

  for (const name of PAIRS) {
    it(`${name}.c → ${name}-b.c gives ${name}.expected`, () => {
      const expected = readFileSync(join(DIR, `${name}.expected`), 'utf8').trim().split('\n');
      assert.deepEqual(lines(side(`${name}.c`), side(`${name}-b.c`)), expected);
    });

    it(`${name}: B → A reports the same changes the other way round`, () => {
      const a = side(`${name}.c`);
      const b = side(`${name}-b.c`);
      const fwd = diffConfigs(a, b).changes;
      const back = diffConfigs(b, a).changes;
      assert.equal(back.length, fwd.length);
      const count = (cs: typeof fwd, k: string) => cs.filter((c) => c.change === k).length;
      assert.equal(count(back, 'added'), count(fwd, 'removed'));
      assert.equal(count(back, 'removed'), count(fwd, 'added'));
      for (const c of back.filter((x) => x.change === 'changed')) {
        for (const f of c.fields ?? []) {
          const twin = fwd.find((x) => x.resource === c.resource && x.fields?.some((g) => g.field === f.field && g.from === f.to && g.to === f.from));
          assert.ok(twin, `${c.resource}: ${c.text} has no mirror image`);
        }
      }
    });

    it(`${name}: a config against itself, and against its own image, has no differences`, () => {
      const a = side(`${name}-b.c`);
      const same = diffConfigs(a, side(`${name}-b.c`));
      assert.deepEqual(same.changes, []);
      assert.equal(same.bytesEqual, true);
      assert.equal(summaryLine(same), 'no differences in resources; the images are byte-identical');
      const img = sideFromImage(`${name}.cell`, a.bytes);
      assert.ok(!('error' in img));
      const r = diffConfigs(a, img.side);
      assert.deepEqual(r.changes, []);
      assert.equal(r.bytesEqual, true);
    });
  }

  it('an image side carries no names but the same values: a changed region is named by address only', () => {
    const a = sideFromImage('a.cell', side('arm64-kestrel.c').bytes);
    assert.ok(!('error' in a));
    const got = lines(a.side, side('arm64-kestrel-b.c'));
    // B is a source: its names label the change; A's image alone would print no name.
    assert.ok(got.includes('memory: region "UART2" 0x30890000: size 0x1000 → 0x10000 (4 KiB → 64 KiB)'), got.join('\n'));
    const both = sideFromImage('b.cell', side('arm64-kestrel-b.c').bytes);
    assert.ok(!('error' in both));
    assert.ok(lines(a.side, both.side).includes('memory: region 0x30890000: size 0x1000 → 0x10000 (4 KiB → 64 KiB)'));
  });

  it('a renamed comment and reordered regions are no change; the bytes differ and a note says so', () => {
    const a = side('arm64-kestrel-rtos.c');
    assert.deepEqual(lines(a, edited('arm64-kestrel-rtos.c', '/* UART4 */', '/* console UART */')), []);
    // Swap RAM and the communication region (both after the ivshmem regions, so indices there stay).
    const text = readFileSync(join(DIR, 'arm64-kestrel-rtos.c'), 'utf8');
    const ram = text.slice(text.indexOf('\t\t/* RAM */'), text.indexOf('\t\t/* communication region */'));
    const swapped = text.replace(ram, '').replace('\t},\n\n\t.irqchips', `${ram}\t},\n\n\t.irqchips`);
    const r = fromText('swapped', join(DIR, 'x.c'), swapped, {});
    assert.ok(!('error' in r));
    const res = diffConfigs(a, r.side);
    assert.deepEqual(res.changes, []);
    assert.equal(res.bytesEqual, false);
    assert.match(res.notes.join('\n'), /the images differ in \d+ bytes, in nothing compared here/);
  });

  it('pairs regions by phys_start, then virt_start+size, then name', () => {
    const a = side('arm64-kestrel-rtos.c');
    const b = edited('arm64-kestrel-rtos.c', /\.phys_start = 0xb0000000,\n\t\t\t\.virt_start = 0,\n\t\t\t\.size = 0x1000000,/, '.phys_start = 0xb0000000,\n\t\t\t.virt_start = 0,\n\t\t\t.size = 0x2000000,');
    assert.deepEqual(lines(a, b), ['memory: region "RAM" 0xb0000000: size 0x1000000 → 0x2000000 (16 MiB → 32 MiB)']);
    const moved = edited('arm64-kestrel-rtos.c', '.phys_start = 0xb0000000,', '.phys_start = 0xb8000000,');
    assert.deepEqual(lines(a, moved), ['memory: region "RAM" 0xb0000000: phys 0xb0000000 → 0xb8000000']);
    const all = edited('arm64-kestrel-rtos.c', /\.phys_start = 0xb0000000,\n\t\t\t\.virt_start = 0,\n\t\t\t\.size = 0x1000000,/, '.phys_start = 0xb8000000,\n\t\t\t.virt_start = 0x100000,\n\t\t\t.size = 0x2000000,');
    assert.deepEqual(lines(a, all), ['memory: region "RAM" 0xb0000000: phys 0xb0000000 → 0xb8000000, virt 0x0 → 0x100000, size 0x1000000 → 0x2000000 (16 MiB → 32 MiB)']);
    const unnamed = edited('arm64-kestrel-rtos.c', /\/\* RAM \*\/ \{\n\t\t\t\.phys_start = 0xb0000000,\n\t\t\t\.virt_start = 0,/, '{\n\t\t\t.phys_start = 0xb8000000,\n\t\t\t.virt_start = 0x100000,');
    assert.deepEqual(lines(a, unnamed), [
      'memory: removed region "RAM" 0xb0000000: size 0x1000000 (16 MiB), virt 0x0, flags READ|WRITE|EXECUTE|LOADABLE',
      'memory: added region 0xb8000000: size 0x1000000 (16 MiB), virt 0x100000, flags READ|WRITE|EXECUTE|LOADABLE',
    ]);
  });

  it('a system against a cell: the kind is a change and a note explains what is compared', () => {
    const r = diffConfigs(side('arm64-kestrel.c'), side('arm64-kestrel-rtos.c'));
    assert.equal(changeLine(r.changes[0]), 'kind system → cell');
    assert.match(r.notes.join('\n'), /is a system config and .* a cell config: the cell descriptors .* are compared; the system header and platform are not/);
    assert.ok(!r.changes.some((c) => c.resource === 'platform'));
  });

  it('text: both sides, one line per change, the summary last', () => {
    const a = side('x86-heron.c');
    const b = side('x86-heron-b.c');
    const text = diffText(a, b, diffConfigs(a, b)).trim().split('\n');
    assert.match(text[0], /^--- .*x86-heron\.c \(system "Heron-H2", x86, source\)$/);
    assert.match(text[1], /^\+\+\+ .*x86-heron-b\.c /);
    assert.equal(text.at(-1), '8 changes: cache 1, irqchips 1, pio 3, pci 1, platform 2');
  });

  it('JSON: every key is in docs/model-json.md with its notation, and every listed key is printed by some fixture', () => {
    const keys = diffKeys();
    assert.ok(keys.length > 30, `${keys.length} keys`);
    const seen = new Set<string>();
    for (const name of PAIRS) {
      const a = side(`${name}.c`);
      const b = side(`${name}-b.c`);
      for (const [x, y] of [[a, b], [b, a]]) {
        const json = diffJson(x, y, diffConfigs(x, y));
        for (const k of checkDiffJson(JSON.parse(JSON.stringify(json)), keys)) seen.add(k);
      }
    }
    const cross = diffJson(side('arm64-kestrel.c'), side('x86-heron.c'), diffConfigs(side('arm64-kestrel.c'), side('x86-heron.c')));
    for (const k of checkDiffJson(cross, keys)) seen.add(k);
    assert.deepEqual(keys.map((k) => k.path).filter((p) => !seen.has(p)), [], 'listed keys no fixture printed');
  });

  it('JSON locations are the lines of each side', () => {
    const a = side('arm64-kestrel.c');
    const b = side('arm64-kestrel-b.c');
    const json = diffJson(a, b, diffConfigs(a, b));
    const uart = json.changes.find((c) => c.subject.includes('UART2'))!;
    const src = readFileSync(join(DIR, 'arm64-kestrel.c'), 'utf8').split('\n');
    assert.match(src[uart.a!.line - 1], /UART2/);
    // B's elements are written in the included file: the location names it.
    assert.match(uart.b!.file, /arm64-kestrel\.c$/);
    assert.match(src[uart.b!.line - 1], /UART2/);
    const gic = json.changes.find((c) => c.subject === 'GIC')!;
    assert.match(src[gic.b!.line - 1], /\.arm = \{|gicr_base/);
  });
});
