// The DTS tokenizer is context sensitive like dtc's: the same characters are a node or
// property name outside `< … >` and numbers and operators inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtsLexer, SyntaxErr } from '../../../server/src/boards/dts/lexer';

/** Every token next() reads, as `kind:value`. */
function names(text: string): string[] {
  const lx = new DtsLexer(text);
  const out: string[] = [];
  for (let t = lx.next(); t.t !== 'eof'; t = lx.next()) out.push(`${t.t}:${t.v}`);
  return out;
}

/** Every token cellToken() reads, as `kind:value`. */
function cells(text: string): string[] {
  const lx = new DtsLexer(text);
  const out: string[] = [];
  for (let t = lx.cellToken(); t.kind !== 'eof'; t = lx.cellToken()) {
    out.push(t.kind === 'num' ? `num:${t.value}` : t.kind === 'op' ? `op:${t.op}` : t.kind === 'ident' ? `ident:${t.name}` : t.kind === 'ref' ? `ref:${t.target}` : 'label');
  }
  return out;
}

test('outside a cell list: names with dtc name characters, labels, references, keywords', () => {
  assert.deepEqual(names('/dts-v1/; / { uart0: serial@1000 { #address-cells = <1>; linux,phandle; }; };'), [
    'keyword:/dts-v1/', 'punct:;', 'name:/', 'punct:{', 'label:uart0', 'name:serial@1000', 'punct:{',
    'name:#address-cells', 'punct:=', 'punct:<', 'name:1', 'punct:>', 'punct:;', 'name:linux,phandle', 'punct:;',
    'punct:}', 'punct:;', 'punct:}', 'punct:;',
  ]);
  assert.deepEqual(names('&uart0 { }; &{/soc/bus@0} { };'), ['ref:uart0', 'punct:{', 'punct:}', 'punct:;', 'ref:/soc/bus@0', 'punct:{', 'punct:}', 'punct:;']);
  // A name that is no C identifier cannot be a label: the ':' after it is an error.
  assert.throws(() => names('cpu@0: x'), (e) => e instanceof SyntaxErr && e.at === 5 && /unexpected character ':'/.test(e.message));
});

test('inside a cell list: numbers, characters, operators, macro names, references, labels', () => {
  assert.deepEqual(cells("0x10 'a' (1 << 2) FOO &gic l: >"), [
    'num:16', 'num:97', 'op:(', 'num:1', 'op:<<', 'num:2', 'op:)', 'ident:FOO', 'ref:gic', 'label', 'op:>',
  ]);
  // In parentheses '&' is the operator, not a reference.
  const lx = new DtsLexer('& 1');
  assert.deepEqual(lx.cellToken(true), { kind: 'op', op: '&', at: 0 });
  assert.throws(() => cells('0x'), (e) => e instanceof SyntaxErr && e.at === 0 && /bad number '0x'/.test(e.message));
});

test('strings keep escapes decoded and may span lines; an open one is an error at its quote', () => {
  const lx = new DtsLexer('"a\\"b\nc" x');
  assert.deepEqual(lx.next(), { t: 'string', v: 'a"b\nc', at: 0 });
  assert.throws(() => new DtsLexer('  "open').next(), (e) => e instanceof SyntaxErr && e.at === 2 && /unterminated string/.test(e.message));
});

test('recovery skips one statement: to after its ";", after a whole "{ … };", or up to an unmatched "}"', () => {
  const at = (text: string) => {
    const lx = new DtsLexer(text);
    lx.skipStatement();
    return text.slice(lx.pos);
  };
  assert.equal(at('bad = "x;y" ; next;'), ' next;');
  assert.equal(at('bad { a; b { c; }; } ; next;'), ' next;');
  assert.equal(at('bad = 1 }; next;'), '}; next;');
});
