// The engine's hand-written fast paths must give exactly what the general code gives: literal
// types at every boundary, field conversion at the edges of each width, bitwise operators on
// signed values, comment names, expression bounds, and macro-use expansion text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binary, convertToField, INT, LONG, parseIntLiteral, UINT, ULONG, type CType } from '../../../server/src/syntax/cint';
import { exprBounds, exprFirst, exprLast, Cursor, parseExpr } from '../../../server/src/syntax/expr';
import { lex } from '../../../server/src/syntax/lexer';
import { cleanComment } from '../../../server/src/syntax/parser';
import { preprocess } from '../../../server/src/syntax/preprocessor';

const typeName = (t: CType) => `${t.unsigned ? 'u' : 's'}${t.bits}`;

test('integer literals take the first C type that holds them, at every boundary', () => {
  const cases: [string, bigint, CType][] = [
    ['0', 0n, INT],
    ['12345', 12345n, INT],
    ['2147483647', 0x7fffffffn, INT],
    ['2147483648', 0x80000000n, LONG], // decimal: never unsigned without a suffix
    ['4294967296', 0x100000000n, LONG],
    ['999999999999999', 999999999999999n, LONG], // 15 digits: the hand-parsed limit
    ['9999999999999999', 9999999999999999n, LONG], // 16 digits: the general parser
    ['0x7fffffff', 0x7fffffffn, INT],
    ['0x80000000', 0x80000000n, UINT],
    ['0xffffffff', 0xffffffffn, UINT],
    ['0x100000000', 0x100000000n, LONG],
    ['0xfffffffffffff', 0xfffffffffffffn, LONG], // 13 hex digits: the hand-parsed limit
    ['0xFFFFFFFFFFFFFFFF', 0xffffffffffffffffn, ULONG],
    ['0X1aB2c', 0x1ab2cn, INT],
    ['0x8000000000000000', 0x8000000000000000n, ULONG],
    ['0x10000u', 0x10000n, UINT],
    ['0x10000UL', 0x10000n, ULONG],
  ];
  for (const [text, v, t] of cases) {
    const r = parseIntLiteral(text);
    assert.equal(r.error, undefined, text);
    assert.equal(r.val.v, v, text);
    assert.equal(typeName(r.val.t), typeName(t), text);
  }
  for (const bad of ['0x', '0xg1', '12a45', '0b', '08']) assert.ok(parseIntLiteral(bad).error, bad);
});

test('conversion to a field keeps values that fit and wraps the others with a message', () => {
  const cases: [bigint, CType, 'u8' | 'u16' | 'u64' | 's8' | 's32', bigint, boolean][] = [
    [255n, INT, 'u8', 255n, false],
    [256n, INT, 'u8', 0n, true],
    [-1n, INT, 'u16', 0xffffn, false], // -2^(N-1) <= v < 2^N is accepted (GCC -Woverflow)
    [-32769n, INT, 'u16', 0x7fffn, true],
    [127n, INT, 's8', 127n, false],
    [128n, INT, 's8', -128n, false],
    [-128n, INT, 's8', -128n, false],
    [-129n, INT, 's8', 127n, true],
    [-1n, LONG, 'u64', 0xffffffffffffffffn, false],
    [0xffffffffffffffffn, ULONG, 'u64', 0xffffffffffffffffn, false],
    [0x80000000n, UINT, 's32', -0x80000000n, false],
  ];
  for (const [v, t, kind, stored, error] of cases) {
    const r = convertToField({ v, t }, kind);
    assert.equal(r.value, stored, `${v} in ${kind}`);
    assert.equal(!!r.error, error, `${v} in ${kind}: ${r.error}`);
  }
});

test('bitwise operators keep C results for signed and mixed operands', () => {
  const v = (x: bigint, t: CType) => ({ v: x, t });
  assert.equal(binary('|', v(-1n, INT), v(5n, INT)).val.v, -1n);
  assert.equal(binary('&', v(-2n, INT), v(7n, INT)).val.v, 6n);
  assert.equal(binary('^', v(-1n, INT), v(1n, INT)).val.v, -2n);
  // int converted to unsigned int first: -1 is 0xffffffff.
  const mixed = binary('|', v(-1n, INT), v(0x10n, UINT)).val;
  assert.equal(mixed.v, 0xffffffffn);
  assert.equal(typeName(mixed.t), 'u32');
  // int widened to unsigned long: sign extension first.
  assert.equal(binary('&', v(-1n, INT), v(0xff00000000n, ULONG)).val.v, 0xff00000000n);
});

test('comment names: one-line names read plainly, everything else by the general rules', () => {
  const name = (text: string) => cleanComment({ text, start: 0, end: 0, nlBefore: 0, nlAfter: 0 });
  assert.equal(name(' UART2 '), 'UART2');
  assert.equal(name('RAM'), 'RAM');
  assert.equal(name(' two  spaces '), 'two spaces');
  assert.equal(name('*  doc comment '), 'doc comment');
  assert.equal(name('\tTabbed\tname '), 'Tabbed name');
  assert.equal(name(' .size = 0x1000, '), undefined); // commented-out field
  assert.equal(name(' a; b '), undefined);
  assert.equal(name('   '), undefined);
  assert.equal(name('\n * Copyright\n * line two\n '), 'Copyright line two');
  assert.equal(name(' ' + 'x'.repeat(120) + ' '), 'x'.repeat(99) + '…');
});

test('first and last token of an expression', () => {
  for (const src of ['a', '(1 + 2) * 3', '-x', 'sizeof(config.cpus)', 'c ? 1 : 2', '(u64)1 << 4', 'config.a[2]', 'f(1, 2)', '"a" "b"']) {
    const c = new Cursor(lex(src, 'e.c'), () => undefined);
    const e = parseExpr(c);
    const [a, b] = exprBounds(e);
    assert.equal(exprFirst(e), a, src);
    assert.equal(exprLast(e), b, src);
    assert.equal(src.slice(a.start, b.end), src, src);
  }
});

test('macro uses show their full expansion, object-like and function-like', () => {
  const text = '#define FLAGS (A | B)\n#define A 1\n#define B 2\n#define R(x) { .size = x, }\n#define SELF (SELF + A)\nint v = FLAGS; R(FLAGS) SELF\n';
  const r = preprocess('/v/m.c', text);
  assert.deepEqual(r.uses.map((u) => u.name), ['FLAGS', 'R', 'FLAGS', 'SELF']);
  assert.equal(r.uses[0].expansion, '(1 | 2)');
  assert.equal(r.uses[2].expansion, '(1 | 2)');
  assert.equal(r.uses[3].expansion, '(SELF + 1)', 'a macro does not expand itself');
  // A definition after the use: the table no longer tells what the compiler saw, so the body as
  // written is shown rather than a wrong expansion.
  const later = preprocess('/v/l.c', '#define A 1\n#define FLAGS (A | 2)\nint v = FLAGS;\n#undef A\n#define A 7\n');
  assert.equal(later.uses[0].expansion, '(A | 2)');
  // The argument is fully expanded and spaced like the parameter it replaces.
  assert.equal(r.uses[1].expansion, '{ .size = (1 | 2), }');
  const tight = preprocess('/v/t.c', '#define REG(a,len) { .phys_start = a, .size = len, }\nREG(0x1000,7) REG( 0x2000 ,  8 )\n');
  assert.deepEqual(tight.uses.map((u) => u.expansion), ['{ .phys_start = 0x1000, .size = 7, }', '{ .phys_start = 0x2000, .size = 8, }']);
});
