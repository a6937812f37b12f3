// C lexer for config sources (and the DTS importer). Never throws: anything it cannot
// classify becomes an `Other` token, unterminated comments/strings are reported.
import type { Loc } from '../util/source';

export const enum TK {
  Ident,
  Number,
  String,
  Char,
  Punct,
  Other,
  EOF,
}

export interface Comment {
  text: string;
  start: number;
  end: number;
  /** Newlines between the previous token (or file start) and this comment. */
  nlBefore: number;
  /** Newlines between this comment and what follows (next comment or token). */
  nlAfter: number;
}

export interface Token {
  kind: TK;
  text: string;
  file: string;
  start: number;
  end: number;
  /** First token on its line (directives start with a `#` that is). */
  bol: boolean;
  /** Whitespace or a comment precedes it on the same line. */
  space: boolean;
  /** Comments between the previous token and this one. */
  comments?: Comment[];
  /** Where diagnostics about this token point when it is not the token itself: the macro
   * invocation that produced it. Absent for tokens read from a file (use `locOf`). */
  loc?: Loc;
  /** Macros that must not expand this token again (C's "painted blue" rule). */
  hide?: ReadonlySet<string>;
  /** Index into the preprocessor's macro-use list when the token comes from a macro body. */
  use?: number;
  /** Set on a token that can never be expanded (an identifier painted blue). */
  noExpand?: boolean;
}

export interface LexProblem {
  message: string;
  start: number;
  end: number;
  severity?: 'error' | 'warning';
}

const PUNCT1 = new Uint8Array(128);
for (const ch of '{}[]()<>;:,.?!~+-*/%&|^=#') PUNCT1[ch.charCodeAt(0)] = 1;

/**
 * The punctuator at `i` (undefined when there is none), longest match first. The texts are
 * string constants, so a token's text allocates nothing (two-thirds of all tokens are these).
 */
function punctAt(text: string, i: number, c: number): string | undefined {
  if (c >= 128 || !PUNCT1[c]) return undefined;
  const d = text.charCodeAt(i + 1);
  switch (c) {
    case 60: // <
      if (d === 60) return text.charCodeAt(i + 2) === 61 ? '<<=' : '<<';
      return d === 61 ? '<=' : '<';
    case 62: // >
      if (d === 62) return text.charCodeAt(i + 2) === 61 ? '>>=' : '>>';
      return d === 61 ? '>=' : '>';
    case 46: // .
      return d === 46 && text.charCodeAt(i + 2) === 46 ? '...' : '.';
    case 38: // &
      return d === 38 ? '&&' : d === 61 ? '&=' : '&';
    case 124: // |
      return d === 124 ? '||' : d === 61 ? '|=' : '|';
    case 43: // +
      return d === 43 ? '++' : d === 61 ? '+=' : '+';
    case 45: // -
      return d === 45 ? '--' : d === 61 ? '-=' : d === 62 ? '->' : '-';
    case 35: // #
      return d === 35 ? '##' : '#';
    case 61: // =
      return d === 61 ? '==' : '=';
    case 33: // !
      return d === 61 ? '!=' : '!';
    case 42: // *
      return d === 61 ? '*=' : '*';
    case 47: // /
      return d === 61 ? '/=' : '/';
    case 37: // %
      return d === 61 ? '%=' : '%';
    case 94: // ^
      return d === 61 ? '^=' : '^';
    default:
      return PUNCT_TEXT[c];
  }
}

const PUNCT_TEXT: string[] = [];
for (const ch of '{}[]()<>;:,.?!~+-*/%&|^=#') PUNCT_TEXT[ch.charCodeAt(0)] = ch;

// Identifier characters (ASCII letters, `_`, `$`; digits after the first) as tables: a cold run
// reads every character of every config through them, and a table load costs less than a call.
const IDENT_START = new Uint8Array(128);
const IDENT_PART = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  IDENT_START[c] = +((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36);
  IDENT_PART[c] = +(IDENT_START[c] === 1 || (c >= 48 && c <= 57));
}
function isIdentStart(c: number): boolean {
  return c < 128 && IDENT_START[c] === 1;
}
function isIdentPart(c: number): boolean {
  return c < 128 && IDENT_PART[c] === 1;
}

/**
 * Tokenizes `text`. A backslash-newline is treated as a space that does not end the line, which
 * is how the configs (and headers) use line continuations. `reportStray: false` is for text that
 * is not C (device trees use `@` in node names): such characters are tokens, not problems.
 */
export function lex(text: string, file: string, problems: LexProblem[] = [], reportStray = true): Token[] {
  const out: Token[] = [];
  new Lexer(text, file, problems, reportStray).fill(out, Infinity);
  return out;
}

/**
 * A resumable lexer: `fill` appends up to `max` tokens (the last one EOF), so that the
 * preprocessor can read a file a chunk at a time and the tokens it is done with die young
 * instead of all living until the file ends.
 */
export class Lexer {
  private i = 0;
  private bol = true;
  private space = false;
  private nl = 0;
  private comments: Comment[] | undefined = undefined;
  private stray = 0;
  /** The EOF token was produced. */
  done = false;
  // Identifiers repeat (field names, flag macros): one string per spelling keeps the token
  // stream from holding a copy per occurrence.
  private readonly names = new Map<string, string>();

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly problems: LexProblem[],
    private readonly reportStray: boolean,
  ) {}

  /** Appends up to `max` tokens to `out`; false once the EOF token has been appended. */
  fill(out: Token[], max: number): boolean {
    if (this.done) return false;
    // The loop works on locals (state is saved back at the end): fields on the hot path
    // would be read and written for every character.
    const text = this.text;
    const file = this.file;
    const problems = this.problems;
    const reportStray = this.reportStray;
    const names = this.names;
    const n = text.length;
    let i = this.i;
    let bol = this.bol;
    let space = this.space;
    let nl = this.nl; // newlines since the last token or comment
    let comments = this.comments;
    let stray = this.stray;
    let left = max;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        i++;
        bol = true;
        space = false;
        nl++;
        if (comments) comments[comments.length - 1].nlAfter++;
        continue;
      }
      if (c === 32 || c === 9 || c === 12 || c === 11) {
        i++;
        space = true;
        continue;
      }
      if (c === 0) {
        // GCC ignores NUL characters with a warning; so do we, once per run of them.
        let j = i;
        while (j < n && text.charCodeAt(j) === 0) j++;
        problems.push({ message: 'null character(s) ignored', start: i, end: j, severity: 'warning' });
        i = j;
        space = true;
        continue;
      }
      if (c === 92 /* \ */) {
        let j = i + 1;
        while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
        if (j < n && (text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13)) {
          if (text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10) j++;
          i = j + 1;
          space = true;
          continue;
        }
      }
      if (c === 47 /* / */) {
        const d = text.charCodeAt(i + 1);
        if (d === 42 /* * */ || d === 47) {
          let cm: Comment;
          if (d === 42) {
            const endIdx = text.indexOf('*/', i + 2);
            const end = endIdx < 0 ? n : endIdx + 2;
            if (endIdx < 0) problems.push({ message: 'unterminated comment', start: i, end: Math.min(n, i + 2) });
            cm = { text: text.slice(i + 2, endIdx < 0 ? n : endIdx), start: i, end, nlBefore: nl, nlAfter: 0 };
          } else {
            let end = text.indexOf('\n', i);
            if (end < 0) end = n;
            if (text.charCodeAt(end - 1) === 13) end--;
            cm = { text: text.slice(i + 2, end), start: i, end, nlBefore: nl, nlAfter: 0 };
          }
          // Most tokens have one comment at most: `[c]` holds one slot, a pushed-to `[]` seventeen.
          if (comments) comments.push(cm);
          else comments = [cm];
          nl = 0;
          i = cm.end;
          space = true;
          continue;
        }
      }
      const start = i;
      let kind: TK;
      let tokText: string;
      if (isIdentStart(c)) {
        i++;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d >= 128 || IDENT_PART[d] === 0) break;
          i++;
        }
        const raw = text.slice(start, i);
        const name = names.get(raw);
        if (name === undefined) names.set(raw, (tokText = raw));
        else tokText = name;
        kind = TK.Ident;
      } else if ((c >= 48 && c <= 57) || (c === 46 && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57)) {
        // pp-number: digits, letters, '.', and e+/p+ exponents
        i++;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (isIdentPart(d) || d === 46) {
            i++;
          } else if ((d === 43 || d === 45) && /[eEpP]/.test(text[i - 1]) && !/^0[xX]/.test(text.slice(start, i))) {
            i++;
          } else break;
        }
        kind = TK.Number;
        tokText = text.slice(start, i);
      } else if (c === 34 || c === 39) {
        i++;
        let closed = false;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === 92) {
            i += 2;
            continue;
          }
          if (d === 10 || d === 13) break;
          i++;
          if (d === c) {
            closed = true;
            break;
          }
        }
        if (i > n) i = n;
        if (!closed) problems.push({ message: c === 34 ? 'unterminated string' : 'unterminated character constant', start, end: i });
        const bad = text.indexOf('\uFFFD', start);
        if (bad >= 0 && bad < i) problems.push({ message: 'invalid UTF-8 byte sequence in string', start: bad, end: bad + 1 });
        kind = c === 34 ? TK.String : TK.Char;
        tokText = text.slice(start, i);
      } else {
        const punct = punctAt(text, i, c);
        if (punct !== undefined) {
          i += punct.length;
          kind = TK.Punct;
          tokText = punct;
        } else {
          // Anything else (stray bytes, non-ASCII): one token per run, reported once.
          while (i < n) {
            const d = text.charCodeAt(i);
            if (d < 128 && (isIdentPart(d) || PUNCT1[d] || d <= 32 || d === 34 || d === 39 || d === 92)) break;
            i++;
          }
          if (i === start) i++;
          const run = text.slice(start, i);
          if (reportStray && ++stray === 50) problems.push({ message: 'more stray characters follow; not reported one by one', start, end: i });
          else if (reportStray && stray < 50) {
            problems.push({
              message: run.includes('\uFFFD') ? 'invalid UTF-8 byte sequence' : `stray '${printable(run.length > 8 ? run.slice(0, 8) + '…' : run)}' in program`,
              start,
              end: i,
            });
          }
          kind = TK.Other;
          tokText = run;
        }
      }
      out.push(fileToken(kind, tokText, file, start, i, bol, space, comments));
      comments = undefined;
      bol = false;
      space = false;
      nl = 0;
      if (--left === 0) break;
    }
    this.i = i;
    this.bol = bol;
    this.space = space;
    this.nl = nl;
    this.comments = comments;
    this.stray = stray;
    if (i < n) return true;
    out.push(fileToken(TK.EOF, '', file, n, n, true, false, comments));
    this.done = true;
    return false;
  }
}

/** Where a token points for diagnostics. */
export function locOf(t: Token): Loc {
  return t.loc ?? t;
}

/** A plain location spanning two tokens (same file), or the first one's. */
export function spanLoc(a: Token, b: Token): Loc {
  const la = locOf(a);
  const lb = locOf(b);
  if (la.file !== lb.file) return { file: la.file, start: la.start, end: la.end };
  return { file: la.file, start: Math.min(la.start, lb.start), end: Math.max(la.end, lb.end) };
}

/**
 * Every token of a macro expansion is built here with all properties in one order, so that V8
 * keeps a single object shape for them (object spread on the hot expansion path was a quarter
 * of the time); tokens read from files have the other shape, `fileToken`.
 */
export function token(
  kind: TK, text: string, file: string, start: number, end: number, bol: boolean, space: boolean,
  comments: Comment[] | undefined, loc: Loc | undefined, hide: ReadonlySet<string> | undefined, use: number | undefined, noExpand: boolean,
): Token {
  return { kind, text, file, start, end, bol, space, comments, loc, hide, use, noExpand };
}

/**
 * A token as read from a file: the same properties minus the macro-expansion ones, which are
 * optional. Two-thirds of the size of an expanded token, and most tokens are these.
 */
function fileToken(kind: TK, text: string, file: string, start: number, end: number, bol: boolean, space: boolean, comments: Comment[] | undefined): Token {
  return { kind, text, file, start, end, bol, space, comments };
}

/** A copy of `t` with some properties changed. */
export function withTok(t: Token, o: Partial<Token>): Token {
  return token(
    o.kind ?? t.kind, o.text ?? t.text, t.file, t.start, t.end, o.bol ?? t.bol, o.space ?? t.space,
    'comments' in o ? o.comments : t.comments, 'loc' in o ? o.loc : t.loc, 'hide' in o ? o.hide : t.hide,
    'use' in o ? o.use : t.use, o.noExpand ?? t.noExpand ?? false,
  );
}

/** Control characters shown as \xNN, so that a message never carries raw bytes. */
function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
