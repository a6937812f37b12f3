// Preprocessor: macro expansion rules, conditionals, includes and the source map (where each
// output token points).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preprocess, tokensToText, type PreprocessOptions } from '../../../server/src/syntax/preprocessor';
import { lex, locOf, TK, type Token } from '../../../server/src/syntax/lexer';

const MAIN = '/virtual/main.c';

function pp(text: string, options: PreprocessOptions = {}) {
  const r = preprocess(MAIN, text, options);
  const toks = r.tokens.filter((t) => t.kind !== TK.EOF);
  // Token texts joined by single spaces: spacing is not what these tests are about.
  return { ...r, toks, out: toks.map((t) => t.text).join(' ') };
}

/** Token texts of C text, single-spaced: the form `pp().out` is in. */
const norm = (s: string) => lex(s, 'expected.c').filter((t) => t.kind !== TK.EOF).map((t) => t.text).join(' ');

/** The source text a token maps to (through macro expansion). */
function origin(r: ReturnType<typeof pp>, t: Token): string {
  const l = locOf(t);
  return r.files.get(l.file)!.text.slice(l.start, l.end);
}

test('object-like macros expand, nested ones too', () => {
  const r = pp('#define A B + 1\n#define B (2 * C)\n#define C 3\nA');
  assert.equal(r.out, norm('(2 * 3) + 1'));
  assert.deepEqual(r.diagnostics, []);
});

test('function-like macros substitute arguments; a name without ( is left alone', () => {
  const r = pp('#define KB(x) ((x) * 1024)\n#define MB(x) KB(KB(x))\nMB(2) KB');
  assert.equal(r.out, norm('((((2) * 1024)) * 1024) KB'));
});

test('arguments may hold parenthesised commas; braces do not protect commas', () => {
  const ok = pp('#define SECOND(a, b) b\nSECOND((1, 2), f(3, 4))');
  assert.equal(ok.out, norm('f(3, 4)'));
  const bad = pp('#define ONE(a) a\nONE({ .size = 1, .flags = 2 })');
  assert.equal(bad.diagnostics.length, 1);
  assert.match(bad.diagnostics[0].message, /argument/);
  const src = bad.files.get(MAIN)!.text;
  const d = bad.diagnostics[0].loc;
  assert.equal(src.slice(d.start, d.end), 'ONE({ .size = 1, .flags = 2 })');
});

test('a macro is not re-expanded inside its own expansion', () => {
  // A self-referencing name stays as it is: this is how `#define phys_start phys_start` works.
  assert.equal(pp('#define phys_start phys_start\n.phys_start = 1').out, norm('. phys_start = 1'));
  assert.equal(pp('#define FOO (4 + FOO)\nFOO').out, norm('(4 + FOO)'));
  // Mutual recursion stops after one round.
  assert.equal(pp('#define A B\n#define B A\nA B').out, norm('A B'));
  // ... but the name expands again once its expansion is over.
  assert.equal(pp('#define F(x) x + 1\nF(F(1))').out, norm('1 + 1 + 1'));
});

test('a function-like macro whose name comes from an argument still expands', () => {
  assert.equal(pp('#define APPLY(f, x) f(x)\n#define DBL(x) (2 * (x))\nAPPLY(DBL, 5)').out, norm('(2 * (5))'));
});

test('stringizing and token pasting', () => {
  assert.equal(pp('#define STR(x) #x\nSTR(hello world)').out, norm('"hello world"'));
  assert.equal(pp('#define CAT(a, b) a##b\nCAT(0x, 10) CAT(JAILHOUSE_, MEM_READ)').out, norm('0x10 JAILHOUSE_MEM_READ'));
});

test('#undef removes a macro; redefinition with a different body warns', () => {
  const r = pp('#define N 2\n#undef N\nN\n#define M 1\n#define M 2\nM');
  assert.equal(r.out, norm('N 2'));
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].severity, 'warning');
  const src = r.files.get(MAIN)!.text;
  assert.equal(src.slice(r.diagnostics[0].loc.start, r.diagnostics[0].loc.end), 'M');
  assert.equal(r.diagnostics[0].loc.start, src.lastIndexOf('#define M 2') + 8);
  // An identical redefinition is allowed silently.
  assert.deepEqual(pp('#define M (1)\n#define M (1)\nM').diagnostics, []);
});

test('#if arithmetic, defined() in both spellings, #elif chains and #else', () => {
  const src = (cond: string) => `#if ${cond}\nyes\n#else\nno\n#endif`;
  for (const c of ['(2 + 3) * 4 == 20', '7 / 2 == 3', '-1 < 0', '0x10 == 16', '0b101 == 5', '1 ? 2 : 0', '(1 << 40) > 0',
    '!defined(NOPE)', '!defined NOPE', 'UNDEFINED_NAME == 0', '10 % 4 == 2', '(3 > 2) + (2 > 3) == 1', '~0 == -1', '-1 > 0u']) {
    assert.equal(pp(src(c)).out, norm('yes'), c);
  }
  for (const c of ['0', 'UNDEFINED_NAME', 'defined(NOPE)', '1 && 0', '2 < 1']) assert.equal(pp(src(c)).out, norm('no'), c);
  const chain = '#if defined(CONFIG_X) && CONFIG_X > 1\nbig\n#elif defined CONFIG_X\nsmall\n#else\nnone\n#endif';
  assert.equal(pp(chain).out, norm('none'));
  assert.equal(pp(chain, { defines: { CONFIG_X: '1' } }).out, norm('small'));
  assert.equal(pp(chain, { defines: { CONFIG_X: '2' } }).out, norm('big'));
});

test('#ifdef / #ifndef, nesting, and directives inside skipped blocks are ignored', () => {
  const text = '#ifndef BASE\n#define BASE 0x0\n#endif\n#ifdef NOPE\n#if garbage (((\n#include "nowhere.h"\n#error not taken\n#endif\n#else\nBASE\n#endif';
  const r = pp(text);
  assert.equal(r.out, norm('0x0'));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(pp(text, { defines: { BASE: '0x80000000' } }).out, norm('0x80000000'));
});

test('conditionals in the middle of an expression', () => {
  const text = '1 << 8\n#ifdef EXTRA\n| 1 << 11\n#endif\n,';
  assert.equal(pp(text).out, norm('1 << 8 ,'));
  assert.equal(pp(text, { defines: { EXTRA: '' } }).out, norm('1 << 8 | 1 << 11 ,'));
});

test('a -D without value is 1 and comes from the command line', () => {
  const r = pp('#if FLAG == 1\nFLAG\n#endif', { defines: { FLAG: '1' } });
  assert.equal(r.out, norm('1'));
  assert.equal(r.macros.get('FLAG')?.loc.file, '<command line>');
});

test('unbalanced conditionals are reported where they are', () => {
  const r = pp('#if 1\na\n');
  assert.equal(r.diagnostics.length, 1);
  assert.match(r.diagnostics[0].message, /#endif/);
  assert.equal(r.diagnostics[0].loc.start, 1);
  const e = pp('a\n#endif\n#else\n');
  assert.equal(e.diagnostics.length, 2);
  assert.deepEqual(e.diagnostics.map((d) => d.loc.start), [2, 9]);
});

test('#if with a broken expression is a syntax diagnostic on the directive line', () => {
  const r = pp('#if (1 +\nx\n#endif');
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].code, 'syntax');
  assert.ok(r.diagnostics[0].loc.start >= 4 && r.diagnostics[0].loc.end <= 8, JSON.stringify(r.diagnostics[0]));
});

test('origins: argument tokens map to the argument, body tokens to the invocation', () => {
  const text = '#define REGION(base) { .phys_start = base, .size = 0x1000 }\nx = REGION(0x7f800000);';
  const r = pp(text);
  const byText = (s: string) => r.toks.find((t) => t.text === s)!;
  assert.equal(origin(r, byText('0x7f800000')), '0x7f800000');
  assert.equal(locOf(byText('0x7f800000')).start, text.indexOf('0x7f800000'));
  assert.equal(origin(r, byText('0x1000')), 'REGION(0x7f800000)');
  assert.equal(origin(r, byText('phys_start')), 'REGION(0x7f800000)');
  // The invocation is recorded once, with its full expansion for hover.
  assert.equal(r.uses.length, 1);
  assert.equal(r.uses[0].name, 'REGION');
  assert.equal(text.slice(r.uses[0].loc.start, r.uses[0].loc.end), 'REGION(0x7f800000)');
  assert.equal(r.uses[0].expansion.replace(/\s+/g, ''), '{.phys_start=0x7f800000,.size=0x1000}');
});

test('origins through nested macros point at the outermost invocation in the file', () => {
  const text = '#define INNER 0x40\n#define OUTER(x) (INNER + x)\nv = OUTER(2);';
  const r = pp(text);
  const inner = r.toks.find((t) => t.text === '0x40')!;
  assert.equal(origin(r, inner), 'OUTER(2)');
  const two = r.toks.find((t) => t.text === '2')!;
  assert.equal(origin(r, two), '2');
});

test('an argument that is itself a macro maps to where it is written', () => {
  const text = '#define BASE 0x1c28000\n#define R(a) { .address = a }\nR(BASE)';
  const r = pp(text);
  const v = r.toks.find((t) => t.text === '0x1c28000')!;
  assert.equal(origin(r, v), 'BASE');
  assert.equal(locOf(v).start, text.lastIndexOf('BASE'));
});

test('built-in Jailhouse headers: constants, brace lists, multi-element macros', () => {
  const r = pp('#include <jailhouse/types.h>\n#include <jailhouse/cell-config.h>\nJAILHOUSE_MEM_READ JAILHOUSE_IVSHMEM_BAR_MASK_INTX ARRAY_SIZE(config.x)');
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.out, /^0x0*1 \{ 0xfffff000 , 0x0+ , 0x0+ , 0x0+ , 0x0+ , 0x0+ (, )?\} sizeof \( config \. x \) \/ sizeof \( config \. x \[ 0 \] \)$/);
  const net = pp('#include <jailhouse/cell-config.h>\nJAILHOUSE_SHMEM_NET_REGIONS(0x100, 1)');
  const braces = net.toks.filter((t) => t.text === '{').length;
  assert.equal(braces, 4);
  for (const name of ['PIO_RANGE', 'JAILHOUSE_SHMEM_NET_REGIONS', 'JAILHOUSE_IVSHMEM_BAR_MASK_MSIX_64K', 'JAILHOUSE_CON_TYPE_PL011', 'PCI_EXT_CAP_ID_DSN', 'JAILHOUSE_CELL_NAME_MAXLEN']) {
    assert.ok(net.macros.has(name), name);
    assert.equal(net.macros.get(name)!.builtin, true, name);
  }
  assert.ok(net.includes.every((i) => i.target !== undefined));
});

test('includes resolve relative to the including file, then the -I directories', () => {
  const root = mkdtempSync(join(tmpdir(), 'jh-pp-'));
  mkdirSync(join(root, 'board', 'sub'), { recursive: true });
  mkdirSync(join(root, 'inc'));
  writeFileSync(join(root, 'board', 'sub', 'part.h'), '#include "sibling.h"\nPART SIBLING\n');
  writeFileSync(join(root, 'board', 'sub', 'sibling.h'), '#define SIBLING from_sub\n');
  // A decoy next to the main file: the nested include must not pick it.
  writeFileSync(join(root, 'board', 'sibling.h'), '#define SIBLING from_board\n');
  writeFileSync(join(root, 'inc', 'lib.h'), '#define PART from_inc\n');
  const main = join(root, 'board', 'main.c');
  const r = preprocess(main, '#include "lib.h"\n#include "sub/part.h"\n', { includeDirs: [join(root, 'inc')] });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(tokensToText(r.tokens.filter((t) => t.kind !== TK.EOF)), 'from_inc from_sub');
  assert.deepEqual(r.includes.map((i) => i.target), [join(root, 'inc', 'lib.h'), join(root, 'board', 'sub', 'part.h'), join(root, 'board', 'sub', 'sibling.h')]);
  // A token read from an included file points into that file.
  const part = r.tokens.find((t) => t.text === 'from_sub')!;
  assert.equal(locOf(part).file, join(root, 'board', 'sub', 'part.h'));
  assert.ok(r.files.has(join(root, 'board', 'sub', 'sibling.h')));
  // Angle-bracket includes search only the -I directories (and the built-in headers).
  const angled = preprocess(main, '#include <lib.h>\nPART', { includeDirs: [join(root, 'inc')] });
  assert.deepEqual(angled.diagnostics, []);
  const missing = preprocess(main, '#include <part.h>\n', {});
  assert.equal(missing.diagnostics[0]?.code, 'include');
});

test('the readFile hook serves unsaved buffers before the disk', () => {
  const r = preprocess('/nowhere/main.c', '#include "other.c"\nX', { readFile: (p) => (p === '/nowhere/other.c' ? '#define X 42\n' : undefined) });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(tokensToText(r.tokens.filter((t) => t.kind !== TK.EOF)), '42');
});

test('a missing include is an include diagnostic on the file name', () => {
  const text = '#include "missing-board.c"\n';
  const r = pp(text);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.code, 'include');
  assert.equal(text.slice(d.loc.start, d.loc.end), '"missing-board.c"');
  assert.equal(r.includes[0].target, undefined);
});

test('an include cycle is reported once and ends', () => {
  const files: Record<string, string> = { '/v/a.c': '#include "b.c"\nA', '/v/b.c': '#include "a.c"\nB' };
  const r = preprocess('/v/a.c', files['/v/a.c'], { readFile: (p) => files[p] });
  const inc = r.diagnostics.filter((d) => d.code === 'include');
  assert.equal(inc.length, 1);
  assert.match(inc[0].message, /cycl/);
  assert.equal(inc[0].loc.file, '/v/b.c');
  assert.equal(tokensToText(r.tokens.filter((t) => t.kind !== TK.EOF)), 'B A');
});

test('a file including itself is a cycle', () => {
  const r = preprocess('/v/self.c', '#include "self.c"\nS', { readFile: (p) => (p === '/v/self.c' ? '#include "self.c"\nS' : undefined) });
  assert.equal(r.diagnostics.filter((d) => d.code === 'include').length, 1);
});

test('unknown directives are syntax errors; #pragma is ignored', () => {
  const r = pp('#pragma once\n#frobnicate 1\n');
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].code, 'syntax');
  assert.equal(r.diagnostics[0].loc.start, 13);
});

test('#error is an error diagnostic carrying its text', () => {
  const r = pp('#error board not supported\n');
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].severity, 'error');
  assert.match(r.diagnostics[0].message, /board not supported/);
});

test('GNU named variadic parameters and empty arguments beside ## (placemarkers)', () => {
  const r = pp('#define F(x, rest...) x rest\n#define P(a, b) a ## b\nF(1, 2, 3) P(, y) P(x, ) P(, ) end');
  assert.equal(r.out, norm('1 2, 3 y x end'));
  assert.deepEqual(r.diagnostics, []);
});

test('extra tokens after #else / #endif warn where gcc does (-Wendif-labels): not inside skipped text', () => {
  const r = pp('#if 0\n#if 1\n#endif X\n#else Y\n#endif Z\nint a;\n#ifdef Q\n#else W\n#endif\n');
  const got = r.diagnostics.map((d) => [d.message, d.severity, r.files.get(d.loc.file)!.text.slice(d.loc.start, d.loc.end)]);
  assert.deepEqual(got, [
    ['extra tokens after #else', 'warning', 'Y'],
    ['extra tokens after #endif', 'warning', 'Z'],
    ['extra tokens after #else', 'warning', 'W'],
  ]);
});
