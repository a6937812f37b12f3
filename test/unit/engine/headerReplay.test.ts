// Built-in headers are read once and their effect replayed afterwards (syntax/headerReplay.ts).
// A replay must leave exactly what reading the header leaves, and must not happen where reading
// it would come out differently (a name it tests or defines is already defined).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinHeader } from '../../../server/src/syntax/builtinHeaders';
import { TK } from '../../../server/src/syntax/lexer';
import { preprocess, type PreprocessResult } from '../../../server/src/syntax/preprocessor';

const MAIN = '/virtual/main.c';
const CONFIG = '#include <jailhouse/types.h>\n#include <jailhouse/cell-config.h>\nint x = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE;\nbool b = true;\n';
const HDR = '/virtual-headers/';

/** The same headers served as ordinary files: read for real every time, never replayed. */
function readForReal(text: string): PreprocessResult {
  return preprocess(MAIN, text, { builtinHeaders: false, includeDirs: [HDR], readFile: (p) => (p.startsWith(HDR) ? builtinHeader(p.slice(HDR.length)) : undefined) });
}

/** What a file sees of its headers: output, macros, include lines and diagnostics. */
function effect(r: PreprocessResult) {
  return {
    out: r.tokens.filter((t) => t.kind !== TK.EOF).map((t) => t.text).join(' '),
    macros: [...r.macros.values()].map((d) => `${d.name}(${d.params?.join(',') ?? ''})=${d.body}`).sort(),
    includes: r.includes.map((i) => i.spec),
    diagnostics: r.diagnostics.map((d) => `${d.severity}: ${d.message}`),
  };
}

test('a built-in header included again leaves what reading it leaves', () => {
  const real = effect(readForReal(CONFIG));
  assert.ok(real.macros.length > 50, 'the headers define their macros');
  assert.deepEqual(real.diagnostics, []);
  // The first run may read (and record) the headers, the later ones replay them.
  for (let i = 0; i < 3; i++) assert.deepEqual(effect(preprocess(MAIN, CONFIG)), real, `run ${i + 1}`);
});

test('a header whose include guard is already defined is not replayed', () => {
  const text = '#define _JAILHOUSE_TYPES_H\n' + CONFIG;
  const real = effect(readForReal(text));
  assert.ok(!real.macros.some((m) => m.startsWith('true(')), 'types.h was skipped by its guard');
  for (let i = 0; i < 3; i++) assert.deepEqual(effect(preprocess(MAIN, text)), real, `run ${i + 1}`);
});

test('a header that would redefine a macro is read for real, with its warning every time', () => {
  const text = '#define JAILHOUSE_MEM_READ 7\n' + CONFIG;
  const real = effect(readForReal(text));
  assert.ok(real.diagnostics.some((d) => d.includes('macro JAILHOUSE_MEM_READ redefined')), 'reading the header warns');
  for (let i = 0; i < 3; i++) assert.deepEqual(effect(preprocess(MAIN, text)), real, `run ${i + 1}`);
});

test('a header recorded where a name it tests was defined is read for real where it is not', () => {
  // cell-config.h defines ARRAY_SIZE only when the config has not: a run that had its own
  // ARRAY_SIZE must not teach the next run to go without one.
  const own = '#define ARRAY_SIZE(a) 1\n' + CONFIG;
  assert.deepEqual(effect(preprocess(MAIN, own)), effect(readForReal(own)));
  const real = effect(readForReal(CONFIG));
  assert.ok(real.macros.some((m) => m.startsWith('ARRAY_SIZE(')), 'cell-config.h defines ARRAY_SIZE');
  assert.deepEqual(effect(preprocess(MAIN, CONFIG)), real);
});
