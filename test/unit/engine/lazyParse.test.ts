// analyze() reads the initializer lazily (the evaluator pulls element after element from the
// parser, see parseConfigStream). It must give exactly what parsing everything first gives:
// the same model, values, ranges, names and diagnostics in the same order — on whole configs,
// on every cut of them, and on the shapes where the evaluator looks ahead or back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diag } from '../../../server/src/core/diagnostics';
import { evaluateConfig } from '../../../server/src/model/evaluate';
import { parseConfig } from '../../../server/src/syntax/parser';
import { preprocess } from '../../../server/src/syntax/preprocessor';
import { looksLikeJailhouseConfig } from '../../../server/src/engine/analyze';
import { analyze, FIXTURES } from './helpers';

const RULES = join(__dirname, '../../fixtures/rules');

/** The engine without laziness: all tokens, then the whole tree, then the evaluation. */
function eager(file: string, text: string) {
  const pp = preprocess(file, text);
  const parsed = parseConfig(pp.tokens);
  const evalDiags: Diag[] = [];
  const model = parsed.decl ? evaluateConfig(parsed.decl, evalDiags, file) : undefined;
  const diagnostics = [...pp.diagnostics, ...parsed.diagnostics, ...evalDiags];
  if (!parsed.decl && looksLikeJailhouseConfig(text)) diagnostics.push(lazyOnly(file, text));
  return { model, diagnostics };
}

/** analyze()'s own message for a file without a config object (not the parser's). */
function lazyOnly(file: string, text: string): Diag {
  const d = analyze(file, text).diagnostics.at(-1);
  assert.ok(d && d.message.startsWith('no config object found'), 'analyze() reports a missing config object');
  return d;
}

const plain = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? Array.from(x) : x));

/** First difference between the lazy and the eager reading of `text`, or undefined. */
function difference(file: string, text: string): string | undefined {
  const lazy = analyze(file, text);
  const ref = eager(file, text);
  // analyze() also drops repeats and caps the count: compare on what both have.
  const key = (d: Diag) => plain([d.code, d.severity, d.message, d.loc, d.related, d.data]);
  const seen = new Set<string>();
  const refDiags = ref.diagnostics.map(key).filter((k) => !seen.has(k) && seen.add(k)).slice(0, 200);
  const lazyDiags = lazy.diagnostics.map(key).slice(0, 200);
  if (plain(lazyDiags) !== plain(refDiags)) return `diagnostics differ:\n  lazy  ${lazyDiags.join('\n        ')}\n  eager ${refDiags.join('\n        ')}`;
  if (plain(lazy.model) !== plain(ref.model)) return 'models differ';
  return undefined;
}

function configsIn(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...configsIn(p));
    else if (e.name.endsWith('.c')) out.push({ path: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

test('lazy and eager reading agree on every engine and rule fixture', () => {
  const files = [...configsIn(FIXTURES), ...configsIn(RULES)];
  assert.ok(files.length > 50);
  for (const f of files) assert.equal(difference(f.path, f.text), undefined, f.path);
});

test('lazy and eager reading agree on every cut of a fixture', () => {
  const path = join(FIXTURES, 'x86-wombat-inmate.c');
  const text = readFileSync(path, 'utf8');
  for (let p = 0; p <= text.length; p++) assert.equal(difference(path, text.slice(0, p)), undefined, `cut at ${p}`);
});

const WRAP = `#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>
#define TWO_REGIONS { .size = 0x1000 }, { .size = 0x2000 }
struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[4];
	struct jailhouse_irqchip irqchips[1];
} __attribute__((packed)) config = `;

const SHAPES: Record<string, string> = {
  'brace elision across elements': '{ .cpus = { 1 }, .mem_regions = { 0x1000, 0x1000, 0x2000, 3, 0, 0, 0, 0, { .size = 1 } }, }',
  'index designators and repeats': '{ .mem_regions = { [2] = { .size = 1 }, { .size = 2 }, [2] = { .size = 3 }, [9] = {} }, .mem_regions[0].size = 4, }',
  'a macro giving two elements, named by the comment above it': '{ .mem_regions = {\n\t\t/* pair */\n\t\tTWO_REGIONS,\n\t\t{ .size = 3 }, /* third */\n\t}, }',
  'too many elements': '{ .mem_regions = { {}, {}, {}, {}, {}, {} }, .irqchips = { { .address = 1 } } }',
  'a scalar member initialized by a list': '{ .cpus = { { 1 } }, .cell = { .name = { "x" }, .num_memory_regions = { 1, 2 } } }',
  'members twice': '{ .mem_regions = { { .size = 1 } }, .mem_regions = { { .size = 2 } }, .cpus = {1}, }',
  'positional members': '{ { .name = "p" }, { 3 }, { { .size = 1 } } }',
  'a zero initializer': '{ 0 }',
  'not a list': '5',
  'unclosed inner list': '{ .mem_regions = { { .size = 1 }, { .size = 2 }, .cpus = { 1 } };',
  'missing commas and stray tokens': '{ .mem_regions = { { .size = 1 } { .size = 2 } ] , }, .cpus = { 1 } }',
  'a second config object after the first': '{ .cpus = { 1 } };\nstruct { __u64 x[1]; } config = { { 1 } };',
  'no semicolon': '{ .cpus = { 1 } }',
};

test('lazy and eager reading agree where the evaluator looks ahead, back or past the end', () => {
  for (const [name, init] of Object.entries(SHAPES)) {
    const text = WRAP + init + ';\n';
    assert.equal(difference('/virtual/shape.c', text), undefined, name);
    for (let p = WRAP.length; p <= text.length; p++) assert.equal(difference('/virtual/shape.c', text.slice(0, p)), undefined, `${name}, cut at ${p}`);
  }
});
