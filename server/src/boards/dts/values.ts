// Property values, after `=`: strings, `< … >` cell lists (with `/bits/ N`), `[ … ]` byte
// strings and `&label` path references, separated by ','.
import { evalExpr, ExprError, type ExprToken } from './expr';
import { SyntaxErr, type DtsLexer } from './lexer';
import type { DtCell, DtChunk } from './tree';

const truncate = (value: bigint, bits: number): bigint => (bits < 64 ? value & ((1n << BigInt(bits)) - 1n) : value);

/** After '=': the value's chunks up to and including the closing ';'. */
export function parseValue(lx: DtsLexer): DtChunk[] {
  const chunks: DtChunk[] = [];
  for (;;) {
    let t = lx.next();
    while (t.t === 'label') t = lx.next();
    if (t.t === 'string') chunks.push({ kind: 'string', value: t.v });
    else if (t.t === 'ref') chunks.push({ kind: 'pathref', target: t.v, at: t.at });
    else if (t.t === 'punct' && t.v === '<') chunks.push({ kind: 'cells', bits: 32, cells: parseCells(lx, 32) });
    else if (t.t === 'punct' && t.v === '[') chunks.push({ kind: 'bytes', bytes: parseBytes(lx) });
    else if (t.t === 'keyword' && t.v === '/bits/') {
      const b = lx.cellToken();
      if (b.kind !== 'num' || ![8n, 16n, 32n, 64n].includes(b.value)) throw new SyntaxErr(b.at, '/bits/ takes 8, 16, 32 or 64');
      lx.expectPunct('<');
      chunks.push({ kind: 'cells', bits: Number(b.value), cells: parseCells(lx, Number(b.value)) });
    } else throw new SyntaxErr(t.at, `expected a property value but found '${t.v || t.t}'`);
    const sep = lx.next();
    if (sep.t === 'punct' && sep.v === ';') return chunks;
    if (!(sep.t === 'punct' && sep.v === ',')) throw new SyntaxErr(sep.at, `expected ',' or ';' after a property value`);
  }
}

/** After '<': the cells up to and including '>', each cut to `bits`. */
export function parseCells(lx: DtsLexer, bits: number): DtCell[] {
  const cells: DtCell[] = [];
  for (;;) {
    const t = lx.cellToken();
    if (t.kind === 'eof') throw new SyntaxErr(t.at, "cell list not closed with '>'");
    if (t.kind === 'op' && t.op === '>') return cells;
    if (t.kind === 'label') continue;
    if (t.kind === 'num') cells.push({ kind: 'num', value: truncate(t.value, bits) });
    else if (t.kind === 'ref') cells.push({ kind: 'ref', target: t.target, at: t.at });
    else if (t.kind === 'ident') {
      // An unknown macro, perhaps called: read past its arguments, keep it as unevaluable.
      lx.skipWs();
      if (lx.peek() === '(') {
        lx.pos++;
        parseParenExpr(lx, lx.pos - 1, bits);
      }
      cells.push({ kind: 'bad', text: t.name, at: t.at });
    } else if (t.kind === 'op' && t.op === '(') cells.push(parseParenExpr(lx, t.at, bits));
    else if (t.kind === 'op' && t.op === '-') {
      // dtc accepts a negative literal; wrap it like C would.
      const n = lx.cellToken();
      if (n.kind !== 'num') throw new SyntaxErr(t.at, "expected a number after '-'");
      cells.push({ kind: 'num', value: (-n.value) & ((1n << BigInt(bits)) - 1n) });
    } else throw new SyntaxErr(t.at, `unexpected '${(t as { op?: string }).op ?? '?'}' in a cell list`);
  }
}

/** After '(' at `start`: the expression up to the matching ')', evaluated; 'bad' when it names a macro. */
function parseParenExpr(lx: DtsLexer, start: number, bits: number): DtCell {
  const toks: ExprToken[] = [{ kind: 'op', op: '(' }];
  let depth = 1;
  let unknown: string | undefined;
  while (depth > 0) {
    const t = lx.cellToken(true);
    if (t.kind === 'eof') throw new SyntaxErr(start, "unbalanced '(' in a cell expression");
    if (t.kind === 'label' || t.kind === 'ref') throw new SyntaxErr(t.at, 'a reference cannot be part of an expression');
    if (t.kind === 'op' && t.op === ',') {
      // only inside the argument list of an unknown macro
      unknown ??= ',';
      continue;
    }
    if (t.kind === 'num') toks.push({ kind: 'num', value: t.value });
    else if (t.kind === 'ident') {
      unknown ??= t.name;
      toks.push({ kind: 'num', value: 0n });
    } else {
      if (t.op === '(') depth++;
      if (t.op === ')') depth--;
      toks.push({ kind: 'op', op: t.op });
    }
  }
  if (unknown !== undefined) return { kind: 'bad', text: unknown, at: start };
  try {
    const r = evalExpr(toks, () => 0n);
    if (r.end !== toks.length) throw new ExprError('extra tokens');
    return { kind: 'num', value: truncate(r.value, bits) };
  } catch (e) {
    if (e instanceof ExprError) throw new SyntaxErr(start, `bad cell expression: ${e.message}`);
    throw e;
  }
}

/** After '[': hex byte pairs up to and including ']'. */
function parseBytes(lx: DtsLexer): number[] {
  const out: number[] = [];
  for (;;) {
    lx.skipWs();
    if (lx.peek() === ']') {
      lx.pos++;
      return out;
    }
    const m = /^[0-9a-fA-F]{2}/.exec(lx.text.slice(lx.pos, lx.pos + 2));
    if (!m) throw new SyntaxErr(lx.pos, 'expected hex byte pairs in [ … ]');
    out.push(parseInt(m[0], 16));
    lx.pos += 2;
  }
}
