// Hostile input, one case each: every one must end, in bounded time, with a clear diagnostic
// (and never with an exception). Cases run in a worker so that a hang fails the test instead
// of blocking the run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hardFailures, runBounded, type Outcome, type Task } from './bounded';
import { cellSource, RAM } from './template';

// Generous for a loaded machine (a sound engine needs well under a second for each case);
// only a hang should ever reach it.
const TIMEOUT_MS = 30000;
let dir = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jh-patho-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function one(task: Task): Promise<Outcome> {
  const [o] = await runBounded([task], TIMEOUT_MS);
  assert.deepEqual(hardFailures(o), []);
  return o;
}

const text = (t: string, path = '/virtual/patho.c'): Task => ({ kind: 'text', path, text: t });

/** The outcome has a diagnostic whose message matches `re` (and, if given, code and range start). */
function expectDiag(o: Outcome, re: RegExp, where?: { code?: string; start?: number }): void {
  const list = o.diags.map((d) => `${d.code} @${d.start}: ${d.message}`).join('\n');
  const d = o.diags.find((x) => re.test(x.message) && (!where?.code || x.code === where.code) && (where?.start === undefined || x.start === where.start));
  assert.ok(d, `no diagnostic matching ${re}${where ? ` ${JSON.stringify(where)}` : ''}; got:\n${list}`);
  assert.ok(o.diags.length < 100, `a bounded number of diagnostics, got ${o.diags.length}`);
}

test('a macro that expands to itself', async () => {
  const src = cellSource({ pre: '#define SELF SELF', mem: '{ .size = SELF, },' });
  const o = await one(text(src));
  expectDiag(o, /SELF/, { code: 'unknown-macro', start: src.lastIndexOf('SELF') });
});

test('mutually recursive macros', async () => {
  const src = cellSource({ pre: '#define PING(x) PONG(x)\n#define PONG(x) PING(x)', mem: '{ .size = PING(1), },' });
  const o = await one(text(src));
  expectDiag(o, /PING|PONG/);
});

test('a macro bomb (each level doubles) is cut off', async () => {
  const defs = ['#define B0 1'];
  for (let i = 1; i <= 40; i++) defs.push(`#define B${i} B${i - 1} + B${i - 1}`);
  const o = await one(text(cellSource({ pre: defs.join('\n'), mem: '{ .size = B40, },' })));
  expectDiag(o, /too many|expansion|limit/i);
});

test('an include cycle between two files', async () => {
  writeFileSync(join(dir, 'a.c'), '#include "b.c"\n');
  writeFileSync(join(dir, 'b.c'), '#include "a.c"\n');
  const o = await one({ kind: 'file', path: join(dir, 'a.c') });
  expectDiag(o, /cycl|recurs/i, { code: 'include' });
});

test('#include "/dev/zero" (not a regular file)', async () => {
  const src = cellSource({ pre: '#include "/dev/zero"' });
  const o = await one(text(src));
  expectDiag(o, /regular file|device|cannot/i, { code: 'include', start: src.indexOf('"/dev/zero"') });
});

test('a directory given as include', async () => {
  mkdirSync(join(dir, 'subdir'), { recursive: true });
  const o = await one(text(cellSource({ pre: '#include "subdir"' }), join(dir, 'main.c')));
  expectDiag(o, /regular file|directory|cannot/i, { code: 'include' });
});

test('a huge included file is refused without reading it', async () => {
  const huge = join(dir, 'huge.h');
  const fd = openSync(huge, 'w');
  ftruncateSync(fd, 2 * 1024 * 1024 * 1024); // sparse: no disk space used
  closeSync(fd);
  const o = await one(text(cellSource({ pre: '#include "huge.h"' }), join(dir, 'main.c')));
  expectDiag(o, /too large|limit|size/i, { code: 'include' });
});

test('analyzeFile on a device and on a huge file', async () => {
  expectDiag(await one({ kind: 'file', path: '/dev/zero' }), /regular file|device|cannot/i);
  const huge = join(dir, 'huge.c');
  const fd = openSync(huge, 'w');
  ftruncateSync(fd, 64 * 1024 * 1024);
  closeSync(fd);
  expectDiag(await one({ kind: 'file', path: huge }), /too large|limit|size/i);
});

test('a 10 MB source', async () => {
  // A real config whose regions carry long comments: 10 MB that must all be read.
  const count = 4000;
  const filler = ` ${'padding '.repeat(320)}`;
  const mem = Array.from({ length: count }, (_, i) => `\t\t/* region ${i}${filler} */ { .phys_start = 0x${(i * 0x1000).toString(16)}, .size = 0x1000, .flags = JAILHOUSE_MEM_READ, },`).join('\n');
  const src = cellSource({ memLength: count, mem });
  assert.ok(src.length > 10_000_000, `${src.length} bytes`);
  const o = await one(text(src));
  assert.equal(o.hasModel, true);
  assert.deepEqual(o.diags, []);
});

test('a megabyte of junk inside the initializer gives few diagnostics', async () => {
  const src = cellSource({ mem: `${RAM}, ${'@ '.repeat(500_000)}` });
  const o = await one(text(src));
  expectDiag(o, /./, { code: 'syntax' });
});

test('10,000 nested braces', async () => {
  const o = await one(text(cellSource({ mem: `${'{'.repeat(10000)}0${'}'.repeat(10000)},` })));
  expectDiag(o, /nest|deep/i, { code: 'syntax' });
});

test('10,000 nested parentheses', async () => {
  const o = await one(text(cellSource({ mem: `{ .size = ${'('.repeat(10000)}1${')'.repeat(10000)}, },` })));
  expectDiag(o, /nest|deep|complex/i);
});

test('10,000 nested macro calls', async () => {
  const o = await one(text(cellSource({ pre: '#define ID(x) x', mem: `{ .size = ${'ID('.repeat(10000)}1${')'.repeat(10000)}, },` })));
  // Either evaluated (the value is 1) or refused with a diagnostic; never a crash.
  assert.ok(o.diags.length < 100);
  if (!o.diags.length) assert.equal(o.hasModel, true);
});

test('an expression of 100,000 terms', async () => {
  const o = await one(text(cellSource({ mem: `{ .size = ${Array(100000).fill('1').join(' + ')}, },` })));
  assert.ok(o.diags.length < 100);
});

test('NUL bytes in a file', async () => {
  const src = cellSource({ mem: RAM.replace('.size', '\u0000\u0000.size') });
  const p = join(dir, 'nul.c');
  writeFileSync(p, Buffer.from(src, 'utf8'));
  const o = await one({ kind: 'file', path: p });
  expectDiag(o, /null|NUL|\\0|control/i, { start: src.indexOf('\u0000') });
});

test('invalid UTF-8 in code and in a string', async () => {
  const src = cellSource();
  const at = Buffer.byteLength(src.slice(0, src.indexOf('.cpus')), 'utf8');
  const bytes = Buffer.from(src, 'utf8');
  const code = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xfe, 0x20]), bytes.subarray(at)]);
  const p1 = join(dir, 'bad-utf8.c');
  writeFileSync(p1, code);
  const o1 = await one({ kind: 'file', path: p1 });
  expectDiag(o1, /UTF-8|encoding|stray|unexpected|character/i, { start: src.indexOf('.cpus') });

  const nameAt = Buffer.byteLength(src.slice(0, src.indexOf('"template"') + 1), 'utf8');
  const str = Buffer.concat([bytes.subarray(0, nameAt), Buffer.from([0xc3, 0x28]), bytes.subarray(nameAt)]);
  const p2 = join(dir, 'bad-utf8-string.c');
  writeFileSync(p2, str);
  const o2 = await one({ kind: 'file', path: p2 });
  expectDiag(o2, /UTF-8|encoding|character/i);
});

test('integer literals wider than 64 bits', async () => {
  const lit = `0x${'f'.repeat(1000)}`;
  const src = cellSource({ mem: `{ .size = ${lit}, .phys_start = ${'9'.repeat(40)}, },` });
  const o = await one(text(src));
  expectDiag(o, /large|wide|range|fit|64/i, { start: src.indexOf(lit) });
  expectDiag(o, /large|wide|range|fit|64/i, { start: src.indexOf('9'.repeat(40)) });
});

test('an unterminated comment at end of file', async () => {
  const src = `${cellSource()}\n/* trailing remark`;
  expectDiag(await one(text(src)), /unterminated comment/i, { start: src.lastIndexOf('/*') });
  const mid = cellSource({ mem: `/* cut ${RAM}` });
  expectDiag(await one(text(mid)), /unterminated comment/i, { start: mid.indexOf('/* cut') });
});

test('an unterminated string at end of file', async () => {
  const src = `${cellSource().replace(/\};\s*$/, '')}, .x = "abc`;
  expectDiag(await one(text(src)), /unterminated string/i, { start: src.lastIndexOf('"abc') });
});
