// The DTS tokenizer. Context sensitive like dtc's: outside `< … >` it reads node and property
// names such as `cpu@0`, `#address-cells`, `linux,phandle` (next()); inside a cell list it reads
// numbers and C operators (cellToken()). The parser decides which one it wants.
import { charValue, parseCInt } from './expr';

/** A syntax error at an offset of the preprocessed text; the parser reports it and recovers. */
export class SyntaxErr extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

export type Tok =
  | { t: 'punct'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'keyword'; v: string; at: number }
  | { t: 'ref'; v: string; at: number }
  | { t: 'label'; v: string; at: number }
  | { t: 'name'; v: string; at: number }
  | { t: 'eof'; v: ''; at: number };

/** One token inside `< … >`: a number (or character), operator, identifier (an unknown macro), reference or label. */
export type CellTok =
  | { kind: 'num'; value: bigint; at: number }
  | { kind: 'op'; op: string; at: number }
  | { kind: 'ident'; name: string; at: number }
  | { kind: 'ref'; target: string; at: number }
  | { kind: 'label'; at: number }
  | { kind: 'eof'; at: number };

const NAME_CHARS = /[A-Za-z0-9,._+*#?@-]/;
const KEYWORDS = ['/dts-v1/', '/plugin/', '/memreserve/', '/delete-node/', '/delete-property/', '/omit-if-no-ref/', '/bits/'];
const CELL_OPS = [',', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '~', '!', '(', ')', '?', ':'];

export class DtsLexer {
  /** Offset of the next unread character. */
  pos = 0;

  constructor(readonly text: string) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** The next unread character ('' at the end). */
  peek(): string {
    return this.text[this.pos] ?? '';
  }

  skipWs(): void {
    const text = this.text;
    while (this.pos < text.length && /\s/.test(text[this.pos])) this.pos++;
  }

  /** At '"': the string's value, escapes decoded. */
  readString(): string {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    let s = '';
    // A string may span lines: dtc's lexer takes everything up to the closing quote, newlines
    // included (upstream's inmate-emtrion-emconrzg1*.dts split `bootargs` that way).
    while (this.pos < text.length && text[this.pos] !== '"') {
      if (text[this.pos] === '\\') {
        s += String.fromCharCode(charValue(text.slice(this.pos, this.pos + 2)));
        this.pos += 2;
      } else s += text[this.pos++];
    }
    if (this.pos >= text.length) throw new SyntaxErr(start, 'unterminated string');
    this.pos++;
    return s;
  }

  /** At '&': the label, or the path of `&{/path}`. */
  readRef(): string {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    if (text[this.pos] === '{') {
      const end = text.indexOf('}', this.pos);
      if (end < 0) throw new SyntaxErr(start, 'unterminated &{…} path reference');
      const path = text.slice(this.pos + 1, end).trim();
      this.pos = end + 1;
      if (!path) throw new SyntaxErr(start, 'empty &{} path reference');
      return path;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(this.pos, this.pos + 256));
    if (!m) throw new SyntaxErr(start, "expected a label after '&'");
    this.pos += m[0].length;
    return m[0];
  }

  /** The next token outside a cell list. */
  next(): Tok {
    const text = this.text;
    this.skipWs();
    const at = this.pos;
    if (this.pos >= text.length) return { t: 'eof', v: '', at };
    const ch = text[this.pos];
    if ('{};=<>[],'.includes(ch)) {
      this.pos++;
      return { t: 'punct', v: ch, at };
    }
    if (ch === '"') return { t: 'string', v: this.readString(), at };
    if (ch === '&') return { t: 'ref', v: this.readRef(), at };
    if (ch === '/') {
      const kw = KEYWORDS.find((k) => text.startsWith(k, this.pos));
      if (kw) {
        this.pos += kw.length;
        return { t: 'keyword', v: kw, at };
      }
      this.pos++;
      return { t: 'name', v: '/', at };
    }
    if (NAME_CHARS.test(ch)) {
      let end = this.pos;
      while (end < text.length && NAME_CHARS.test(text[end])) end++;
      const v = text.slice(this.pos, end);
      this.pos = end;
      if (text[this.pos] === ':' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) {
        this.pos++;
        return { t: 'label', v, at };
      }
      return { t: 'name', v, at };
    }
    this.pos++;
    throw new SyntaxErr(at, `unexpected character '${ch}'`);
  }

  expectPunct(v: string): Tok {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== v) throw new SyntaxErr(t.at, `expected '${v}'${t.t === 'eof' ? ' before the end of the file' : ` but found '${t.v}'`}`);
    return t;
  }

  /** The next token inside a cell list; in parentheses '&' is an operator, not a reference. */
  cellToken(inParens = false): CellTok {
    const text = this.text;
    this.skipWs();
    const at = this.pos;
    if (this.pos >= text.length) return { kind: 'eof', at };
    const ch = text[this.pos];
    if (/[0-9]/.test(ch)) {
      const m = /^[0-9][0-9a-zA-Z_]*/.exec(text.slice(this.pos, this.pos + 64))!;
      const v = parseCInt(m[0]);
      if (v === undefined) throw new SyntaxErr(at, `bad number '${m[0]}'`);
      this.pos += m[0].length;
      return { kind: 'num', value: v, at };
    }
    if (ch === "'") {
      const m = /^'(\\.|[^\\'])'/.exec(text.slice(this.pos, this.pos + 8));
      if (!m) throw new SyntaxErr(at, 'bad character literal');
      this.pos += m[0].length;
      return { kind: 'num', value: BigInt(charValue(m[1])), at };
    }
    if (ch === '&' && !inParens && text[this.pos + 1] !== '&') return { kind: 'ref', target: this.readRef(), at };
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(this.pos, this.pos + 256));
    if (id) {
      this.pos += id[0].length;
      if (text[this.pos] === ':') {
        this.pos++;
        return { kind: 'label', at };
      }
      return { kind: 'ident', name: id[0], at };
    }
    const op = CELL_OPS.find((o) => text.startsWith(o, this.pos));
    if (!op) throw new SyntaxErr(at, `unexpected '${ch}' in a cell list`);
    this.pos += op.length;
    return { kind: 'op', op, at };
  }

  /** Error recovery: skips to just after the next ';' at this nesting level, or before an unmatched '}'. */
  skipStatement(): void {
    const text = this.text;
    let depth = 0;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (ch === '"') {
        try {
          this.readString();
        } catch {
          this.pos++;
        }
        continue;
      }
      if (ch === '{') depth++;
      else if (ch === '}') {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          this.pos++;
          this.skipWs();
          if (text[this.pos] === ';') this.pos++;
          return;
        }
      } else if (ch === ';' && depth === 0) {
        this.pos++;
        return;
      }
      this.pos++;
    }
  }
}
