// C expression parser (precedence climbing) shared by `#if` and the initializer parser.
// It never throws: a token it cannot use becomes an `error` node and is reported once.
import { C_INT_TYPES } from '../schema';
import { TK, type Token } from './lexer';

export type Expr =
  | { k: 'num'; tok: Token }
  | { k: 'str'; toks: Token[] }
  | { k: 'char'; tok: Token }
  | { k: 'ident'; tok: Token }
  | { k: 'unary'; op: string; tok: Token; arg: Expr }
  | { k: 'binary'; op: string; tok: Token; l: Expr; r: Expr }
  | { k: 'cond'; tok: Token; c: Expr; t: Expr; f: Expr }
  | { k: 'paren'; open: Token; close: Token; e: Expr }
  | { k: 'sizeof'; tok: Token; close: Token; type?: TypeName; e?: Expr }
  | { k: 'cast'; open: Token; type: TypeName; e: Expr }
  | { k: 'member'; obj: Expr; tok: Token; name: Token }
  | { k: 'index'; obj: Expr; idx: Expr; close: Token }
  | { k: 'call'; callee: Token; close: Token }
  | { k: 'error'; tok: Token; message: string };

export interface TypeName {
  /** `struct jailhouse_memory`, `__u64`, `unsigned long`, … */
  text: string;
  first: Token;
  last: Token;
}

/** Where a streaming Cursor gets its tokens: `pull` appends at least one (EOF last). */
export interface TokenSource {
  pull(out: Token[]): void;
}

/**
 * A cursor over tokens that end with EOF: an array, or a stream that a TokenSource appends to.
 * Over a stream, tokens already read are dropped now and then, so that the ones the syntax tree
 * does not keep die young; `prev()` and one `unread()` stay possible.
 */
export class Cursor {
  private toks: Token[];
  private pos = 0;
  /** Tokens dropped before toks[0]. */
  private base = 0;
  /** Nesting depth of parentheses/unary operators, bounded so that hostile input cannot overflow the stack. */
  depth = 0;
  /** Binary operators seen in the current top-level expression (reset by parseCond callers). */
  operators = 0;
  constructor(
    toks: Token[],
    readonly report: (tok: Token, message: string) => void,
    private readonly source?: TokenSource,
  ) {
    this.toks = toks;
  }
  // `pos` never passes the EOF token.
  peek(o = 0): Token {
    const t = this.toks[this.pos + o];
    return t !== undefined ? t : this.more(this.pos + o);
  }
  /** toks[i] after reading ahead (the EOF token when i is past it). */
  private more(i: number): Token {
    let toks = this.toks;
    const source = this.source;
    if (source !== undefined && (toks.length === 0 || toks[toks.length - 1].kind !== TK.EOF)) {
      if (this.pos > 1024) {
        // Keep the previous token (prev, unread).
        const drop = this.pos - 1;
        toks = this.toks = toks.slice(drop);
        this.base += drop;
        this.pos -= drop;
        i -= drop;
      }
      while (toks.length <= i && (toks.length === 0 || toks[toks.length - 1].kind !== TK.EOF)) source.pull(toks);
    }
    return toks[i < toks.length ? i : toks.length - 1];
  }
  next(): Token {
    let t = this.toks[this.pos];
    if (t === undefined) t = this.more(this.pos);
    if (t.kind !== TK.EOF) this.pos++;
    return t;
  }
  /** The token before the current one (the first token at the start). */
  prev(): Token {
    return this.pos > 0 ? this.toks[this.pos - 1] : this.peek();
  }
  /** Steps back over the token just read. */
  unread(): void {
    if (this.pos > 0) this.pos--;
  }
  /** How many tokens have been read: compare two to see whether the cursor moved. */
  index(): number {
    return this.base + this.pos;
  }
  is(text: string, o = 0): boolean {
    let t = this.toks[this.pos + o];
    if (t === undefined) t = this.more(this.pos + o);
    return t.text === text && (t.kind === TK.Punct || t.kind === TK.Ident);
  }
  eat(text: string): Token | undefined {
    let t = this.toks[this.pos];
    if (t === undefined) t = this.more(this.pos);
    if (t.text === text && (t.kind === TK.Punct || t.kind === TK.Ident)) {
      this.pos++;
      return t;
    }
    return undefined;
  }
  atEnd(): boolean {
    let t = this.toks[this.pos];
    if (t === undefined) t = this.more(this.pos);
    return t.kind === TK.EOF;
  }
}

/** Precedence of a binary operator (higher binds tighter); 0 for any other punctuator. */
function binaryPrec(op: string): number {
  switch (op) {
    case '||': return 1;
    case '&&': return 2;
    case '|': return 3;
    case '^': return 4;
    case '&': return 5;
    case '==': case '!=': return 6;
    case '<': case '>': case '<=': case '>=': return 7;
    case '<<': case '>>': return 8;
    case '+': case '-': return 9;
    case '*': case '/': case '%': return 10;
    default: return 0;
  }
}

const TYPE_WORDS = new Set([
  'struct', 'union', 'unsigned', 'signed', 'int', 'long', 'short', 'char', 'void', 'const', 'volatile', 'size_t', 'bool',
  ...Object.keys(C_INT_TYPES),
]);

export function startsTypeName(c: Cursor, o = 0): boolean {
  const t = c.peek(o);
  return t.kind === TK.Ident && TYPE_WORDS.has(t.text);
}

/** Reads a type name (`struct x`, `unsigned long`, `__u64`, optionally followed by `*`s). */
export function parseTypeName(c: Cursor): TypeName {
  const first = c.peek();
  const words: string[] = [];
  let last = first;
  while (startsTypeName(c) || (words.length && (words[words.length - 1] === 'struct' || words[words.length - 1] === 'union') && c.peek().kind === TK.Ident)) {
    last = c.next();
    words.push(last.text);
  }
  while (c.is('*')) {
    last = c.next();
    words.push('*');
  }
  return { text: words.join(' '), first, last };
}

export function parseExpr(c: Cursor): Expr {
  return parseCond(c);
}

/** A top-level expression: the operator budget starts afresh. */
export function parseTopExpr(c: Cursor): Expr {
  c.operators = 0;
  return parseCond(c);
}

/** An assignment-expression without the assignment: what an initializer element holds. */
export function parseCond(c: Cursor): Expr {
  const e = parseBinary(c, 1);
  if (c.is('?')) {
    const tok = c.next();
    const t = parseExpr(c);
    if (!c.eat(':')) {
      c.report(c.peek(), "expected ':' in conditional expression");
      return { k: 'cond', tok, c: e, t, f: { k: 'error', tok: c.peek(), message: "expected ':'" } };
    }
    if (c.depth > MAX_EXPR_DEPTH) {
      c.report(c.peek(), 'expression nested too deeply');
      skipNested(c);
      return { k: 'cond', tok, c: e, t, f: { k: 'error', tok, message: 'expression nested too deeply' } };
    }
    c.depth++;
    const f = parseCond(c);
    c.depth--;
    return { k: 'cond', tok, c: e, t, f };
  }
  return e;
}

/** Binary operators per expression; far above any real config, low enough for recursion. */
export const MAX_OPERATORS = 1000;

function parseBinary(c: Cursor, minPrec: number): Expr {
  let l = parseUnary(c);
  for (;;) {
    const t = c.peek();
    if (t.kind !== TK.Punct) return l;
    const prec = binaryPrec(t.text);
    if (prec === 0 || prec < minPrec) return l;
    if (++c.operators > MAX_OPERATORS) {
      c.report(t, `expression has more than ${MAX_OPERATORS} operators; the rest is ignored`);
      skipNested(c);
      return { k: 'error', tok: t, message: 'expression too long' };
    }
    c.next();
    const r = parseBinary(c, prec + 1);
    l = { k: 'binary', op: t.text, tok: t, l, r };
  }
}

export const MAX_EXPR_DEPTH = 256;

function parseUnary(c: Cursor): Expr {
  const t = c.peek();
  if (c.depth > MAX_EXPR_DEPTH) {
    c.report(t, 'expression nested too deeply');
    skipNested(c);
    return { k: 'error', tok: t, message: 'expression nested too deeply' };
  }
  c.depth++;
  try {
    return parseUnaryInner(c, t);
  } finally {
    c.depth--;
  }
}

/** Skips a run of nested parentheses/operators iteratively (used past the depth bound). */
function skipNested(c: Cursor): void {
  let d = 0;
  while (!c.atEnd()) {
    const t = c.peek();
    if (t.text === '(') d++;
    else if (t.text === ')') {
      if (d === 0) return;
      d--;
    } else if (d === 0 && (t.text === ',' || t.text === '}' || t.text === ';')) return;
    c.next();
  }
}

function parseUnaryInner(c: Cursor, t: Token): Expr {
  if (t.kind === TK.Punct && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!')) {
    c.next();
    return { k: 'unary', op: t.text, tok: t, arg: parseUnary(c) };
  }
  if (t.kind === TK.Ident && t.text === 'sizeof') {
    c.next();
    if (c.is('(') && startsTypeName(c, 1)) {
      c.next();
      const type = parseTypeName(c);
      const close = c.eat(')') ?? reportClose(c);
      return { k: 'sizeof', tok: t, close, type };
    }
    const e = parseUnary(c);
    return { k: 'sizeof', tok: t, close: c.prev(), e };
  }
  if (t.kind === TK.Punct && t.text === '(' && startsTypeName(c, 1)) {
    c.next();
    const type = parseTypeName(c);
    if (!c.eat(')')) reportClose(c);
    return { k: 'cast', open: t, type, e: parseUnary(c) };
  }
  return parsePostfix(c, parsePrimary(c));
}

function reportClose(c: Cursor): Token {
  c.report(c.peek(), "expected ')'");
  return c.prev();
}

function parsePostfix(c: Cursor, e: Expr): Expr {
  for (;;) {
    if (c.is('.') || c.is('->')) {
      const tok = c.next();
      const name = c.peek();
      if (name.kind !== TK.Ident) {
        c.report(name, 'expected a member name');
        return e;
      }
      c.next();
      e = { k: 'member', obj: e, tok, name };
      continue;
    }
    if (c.is('[')) {
      c.next();
      const idx = parseExpr(c);
      const close = c.eat(']') ?? (c.report(c.peek(), "expected ']'"), c.peek());
      e = { k: 'index', obj: e, idx, close };
      continue;
    }
    if (c.is('(') && e.k === 'ident') {
      // A call: configs have none; GCC would reject it in a static initializer.
      c.next();
      let d = 1;
      let close = e.tok;
      while (!c.atEnd() && d > 0) {
        const t = c.next();
        close = t;
        if (t.text === '(') d++;
        else if (t.text === ')') d--;
      }
      return { k: 'call', callee: e.tok, close };
    }
    return e;
  }
}

function parsePrimary(c: Cursor): Expr {
  const t = c.peek();
  switch (t.kind) {
    case TK.Number:
      c.next();
      return { k: 'num', tok: t };
    case TK.Char:
      c.next();
      return { k: 'char', tok: t };
    case TK.String: {
      const toks = [c.next()];
      while (c.peek().kind === TK.String) toks.push(c.next());
      return { k: 'str', toks };
    }
    case TK.Ident:
      c.next();
      return { k: 'ident', tok: t };
    case TK.Punct:
      if (t.text === '(') {
        c.next();
        const e = parseExpr(c);
        const close = c.eat(')');
        if (!close) {
          c.report(c.peek(), "expected ')'");
          return { k: 'paren', open: t, close: c.prev(), e };
        }
        return { k: 'paren', open: t, close, e };
      }
      break;
  }
  c.report(t, t.kind === TK.EOF ? 'expected an expression, found end of file' : `expected an expression, found '${t.text}'`);
  return { k: 'error', tok: t, message: 'expected an expression' };
}

/** First and last token of an expression (for its source range). */
export function exprBounds(e: Expr): [Token, Token] {
  return [exprFirst(e), exprLast(e)];
}

/** First token of an expression. */
export function exprFirst(e: Expr): Token {
  for (;;) {
    switch (e.k) {
      case 'num':
      case 'char':
      case 'ident':
      case 'error':
      case 'unary':
        return e.tok;
      case 'str':
        return e.toks[0];
      case 'binary':
        e = e.l;
        continue;
      case 'cond':
        e = e.c;
        continue;
      case 'paren':
      case 'cast':
        return e.open;
      case 'sizeof':
        return e.tok;
      case 'member':
      case 'index':
        e = e.obj;
        continue;
      case 'call':
        return e.callee;
    }
  }
}

/** Last token of an expression. */
export function exprLast(e: Expr): Token {
  for (;;) {
    switch (e.k) {
      case 'num':
      case 'char':
      case 'ident':
      case 'error':
        return e.tok;
      case 'str':
        return e.toks[e.toks.length - 1];
      case 'unary':
        e = e.arg;
        continue;
      case 'binary':
        e = e.r;
        continue;
      case 'cond':
        e = e.f;
        continue;
      case 'paren':
      case 'sizeof':
      case 'index':
      case 'call':
        return e.close;
      case 'cast':
        e = e.e;
        continue;
      case 'member':
        return e.name;
    }
  }
}
