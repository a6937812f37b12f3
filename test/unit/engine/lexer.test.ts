// Lexer: token kinds and ranges, comments kept for naming, continuations, and problems
// reported (never thrown) for unterminated comments and strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, TK, type LexProblem, type Token } from '../../../server/src/syntax/lexer';

const texts = (toks: Token[]) => toks.filter((t) => t.kind !== TK.EOF).map((t) => t.text);

test('numbers, identifiers and punctuators, with exact offsets', () => {
  const src = '.flags = 0b1011 | 0x1f << 2;';
  const toks = lex(src, 'a.c');
  assert.deepEqual(texts(toks), ['.', 'flags', '=', '0b1011', '|', '0x1f', '<<', '2', ';']);
  const bin = toks[3];
  assert.equal(bin.kind, TK.Number);
  assert.equal(src.slice(bin.start, bin.end), '0b1011');
  assert.equal(toks[6].kind, TK.Punct);
  assert.equal(toks[toks.length - 1].kind, TK.EOF);
  assert.equal(toks[toks.length - 1].start, src.length);
});

test('a chain designator lexes as separate dots and names', () => {
  assert.deepEqual(texts(lex('.mmu500.id = 0x860', 'a.c')), ['.', 'mmu500', '.', 'id', '=', '0x860']);
});

test('strings keep their quotes and range', () => {
  const src = '.name = "Quokka-Q2",';
  const s = lex(src, 'a.c').find((t) => t.kind === TK.String)!;
  assert.equal(s.text, '"Quokka-Q2"');
  assert.equal(src.slice(s.start, s.end), '"Quokka-Q2"');
});

test('comments are not tokens but are attached to the next token with line counts', () => {
  const src = '{\n\t/* RAM */\n\t{ /* inner */ .a = 1 }, /* trailing */\n}';
  const toks = lex(src, 'a.c');
  assert.deepEqual(texts(toks), ['{', '{', '.', 'a', '=', '1', '}', ',', '}']);
  const second = toks[1];
  assert.equal(second.comments?.length, 1);
  assert.equal(second.comments![0].text, ' RAM ');
  assert.equal(second.comments![0].nlBefore, 1);
  assert.equal(second.comments![0].nlAfter, 1);
  const dot = toks[2];
  assert.equal(dot.comments?.[0].text, ' inner ');
  assert.equal(dot.comments?.[0].nlBefore, 0);
  const close = toks[8];
  assert.equal(close.comments?.[0].text, ' trailing ');
  assert.equal(close.comments?.[0].nlAfter, 1);
  assert.equal(src.slice(close.comments![0].start, close.comments![0].end), '/* trailing */');
});

test('line comments are comments too', () => {
  const toks = lex('a // x y z\nb', 'a.c');
  assert.deepEqual(texts(toks), ['a', 'b']);
  assert.equal(toks[1].comments?.[0].text, ' x y z');
  assert.equal(toks[1].bol, true);
});

test('backslash-newline continues a line: the next token is not at the beginning of a line', () => {
  const toks = lex('#define A 1 \\\n  + 2\nB', 'a.c');
  const plus = toks.find((t) => t.text === '+')!;
  assert.equal(plus.bol, false);
  assert.equal(toks.find((t) => t.text === 'B')!.bol, true);
});

test('CRLF line ends count as one line end', () => {
  const toks = lex('a\r\n/* c */\r\nb', 'a.c');
  assert.equal(toks[1].text, 'b');
  assert.equal(toks[1].bol, true);
  assert.equal(toks[1].comments?.[0].nlBefore, 1);
  assert.equal(toks[1].comments?.[0].nlAfter, 1);
});

test('an unterminated comment at end of file is a problem, not an exception', () => {
  const problems: LexProblem[] = [];
  const src = '.a = 1, /* never closed';
  const toks = lex(src, 'a.c', problems);
  assert.equal(toks[toks.length - 1].kind, TK.EOF);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /unterminated comment/);
  assert.equal(problems[0].start, src.indexOf('/*'));
});

test('an unterminated string is a problem with its range', () => {
  const problems: LexProblem[] = [];
  const src = '.name = "abc';
  lex(src, 'a.c', problems);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /unterminated string/);
  assert.equal(problems[0].start, src.indexOf('"'));
  assert.equal(problems[0].end, src.length);
});

test('a string does not run past the end of its line', () => {
  const problems: LexProblem[] = [];
  const toks = lex('"abc\n.size = 1', 'a.c', problems);
  assert.equal(problems.length, 1);
  assert.deepEqual(texts(toks).slice(1), ['.', 'size', '=', '1']);
});

test('stray characters become single Other tokens at their offsets', () => {
  const src = 'a @ \u00e9 b';
  const toks = lex(src, 'a.c');
  const other = toks.filter((t) => t.kind === TK.Other);
  assert.deepEqual(other.map((t) => [t.text, t.start]), [['@', 2], ['\u00e9', 4]]);
});

test('a surrogate pair is one Other token', () => {
  const toks = lex('x \u{1F600} y', 'a.c');
  const other = toks.filter((t) => t.kind === TK.Other);
  assert.equal(other.length, 1);
  assert.equal(other[0].end - other[0].start, 2);
});

test('every offset is inside the text for arbitrary input', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const alphabet = 'ab09x_ {}[]()"\'/*\\\n\r\t.,;=<>|&#\u0000\u00ff';
  for (let n = 0; n < 200; n++) {
    let s = '';
    const len = Math.floor(rnd() * 80);
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    const toks = lex(s, 'r.c');
    let prevEnd = 0;
    for (const t of toks) {
      assert.ok(t.start >= prevEnd && t.end >= t.start && t.end <= s.length, `bad token range in ${JSON.stringify(s)}`);
      prevEnd = t.end;
    }
    assert.equal(toks[toks.length - 1].kind, TK.EOF);
  }
});
