// Parser for the C subset configs use: the anonymous packed wrapper struct and the `config`
// initializer. Tolerant: a bad token is reported once and skipped to the next `,`/`}`/`;`, so
// half-typed text still yields a tree for everything around it.
import type { Diag } from '../core/diagnostics';
import { Cursor, exprFirst, exprLast, parseTopExpr as parseCond, type Expr, type TokenSource } from './expr';
import { locOf, spanLoc, TK, type Comment, type Token } from './lexer';

export interface MemberDecl {
  /** Type spelling: `struct jailhouse_memory`, `__u64`, … */
  typeName: string;
  typeFirst: Token;
  name?: Token;
  /** The array size expression; `null` for `[]`, undefined when not an array. */
  length?: Expr | null;
  lengthOpen?: Token;
  lengthClose?: Token;
  first: Token;
  last: Token;
}

export interface Designator {
  kind: 'field' | 'index';
  /** `.name` token, or the `[` token. */
  tok: Token;
  name?: Token;
  index?: Expr;
  last: Token;
}

export interface InitItem {
  designators: Designator[];
  value: InitList | Expr;
  first: Token;
  last: Token;
  /** Name from a comment (`/* UART *\/ {`, `{ /* UART *\/`, trailing `/* UART *\/`). */
  name?: string;
}

export interface InitList {
  k: 'list';
  open: Token;
  close: Token;
  closed: boolean;
  items: InitItem[];
  /** `{ /* Name *\/ …`: a comment right after the brace, naming the list. */
  leadName?: string;
  /** Set while a lazy list (see parseConfigStream) has unread items; read them with hasItem/drainList. */
  reader?: ListReader;
}

export interface ConfigDecl {
  /** `struct { … }` of the wrapper. */
  structTok: Token;
  members: MemberDecl[];
  membersClose?: Token;
  /** The declared object name (`config`). */
  nameTok?: Token;
  init?: InitList | Expr;
}

export interface ParseResult {
  decl?: ConfigDecl;
  diagnostics: Diag[];
}

export interface LazyParseResult extends ParseResult {
  /** Parses whatever the consumer of `decl` left unread and the rest of the file. */
  finish(): void;
}

const MAX_BRACE_DEPTH = 200;

export function parseConfig(tokens: Token[]): ParseResult {
  const diagnostics: Diag[] = [];
  const report = reporter(diagnostics);
  return parseWith(new Cursor(tokens, report), report, diagnostics, false);
}

/**
 * Parses tokens as `source` appends them (see Cursor), and the config's initializer only as far
 * as its consumer reads: the top-level list and the lists of its members are lazy (hasItem).
 * An evaluator that reads element after element and lets go of the ones it has read keeps
 * the syntax tree of one element alive at a time, so the tree and its tokens die young.
 * Call `finish()` once done with `decl`; only then are `diagnostics` complete.
 */
export function parseConfigStream(source: TokenSource): LazyParseResult {
  const diagnostics: Diag[] = [];
  const report = reporter(diagnostics);
  return parseWith(new Cursor([], report, source), report, diagnostics, true);
}

/** One `syntax` diagnostic per spot. The closure holds nothing but the list it fills. */
function reporter(diagnostics: Diag[]): (tok: Token, message: string) => void {
  let lastReported = -1;
  return (tok, message) => {
    const l = locOf(tok);
    if (l.start === lastReported) return;
    lastReported = l.start;
    diagnostics.push({ code: 'syntax', severity: 'error', message, loc: { file: l.file, start: l.start, end: Math.max(l.end, l.start) } });
  };
}

function parseWith(c: Cursor, report: (t: Token, m: string) => void, diagnostics: Diag[], lazy: boolean): LazyParseResult {
  // Find `struct {` that opens the anonymous wrapper; everything else at file scope is skipped.
  while (!c.atEnd() && !atWrapper(c)) c.next();
  const decl = c.atEnd() ? undefined : parseWrapper(c, report, lazy ? 1 : -1);
  const result = new ParseRest(c, report, decl, diagnostics);
  if (!lazy) result.finish();
  return result;
}

function atWrapper(c: Cursor): boolean {
  return c.is('struct') && c.is('{', 1);
}

/** A parse whose initializer may still be partly unread (a class, not closures: see ListReader). */
class ParseRest implements LazyParseResult {
  private finished = false;
  constructor(
    private readonly c: Cursor,
    private readonly report: (t: Token, m: string) => void,
    readonly decl: ConfigDecl | undefined,
    readonly diagnostics: Diag[],
  ) {}

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const { c, report, decl } = this;
    if (decl) {
      if (decl.init?.k === 'list') drainList(decl.init);
      wrapperEnd(c, report, decl);
    }
    while (!c.atEnd()) {
      if (atWrapper(c)) {
        const d = parseWrapper(c, report, -1);
        wrapperEnd(c, report, d);
        report(d.structTok, 'a second config object; only the first is used');
        continue;
      }
      c.next();
    }
  }
}

/** The wrapper up to its initializer; lists at depth ≤ lazyDepth are left to be read on demand. */
function parseWrapper(c: Cursor, report: (t: Token, m: string) => void, lazyDepth: number): ConfigDecl {
  const structTok = c.next();
  c.next(); // {
  const members: MemberDecl[] = [];
  let membersClose: Token | undefined;
  while (!c.atEnd()) {
    if (c.is('}')) {
      membersClose = c.next();
      break;
    }
    if (c.is(';')) {
      c.next();
      continue;
    }
    const m = parseMember(c, report);
    if (m) members.push(m);
  }
  if (!membersClose) report(c.peek(), "expected '}' to close the config struct");
  const d: ConfigDecl = { structTok, members, membersClose };
  skipAttributes(c);
  if (c.peek().kind === TK.Ident) d.nameTok = c.next();
  else report(c.peek(), 'expected the object name (config)');
  skipAttributes(c);
  if (c.eat('=')) {
    d.init = c.is('{') ? parseInitList(c, report, 0, lazyDepth) : parseCond(c);
  } else {
    report(c.peek(), `expected '=' and the initializer of ${d.nameTok?.text ?? 'config'}`);
  }
  return d;
}

/** The `;` after the initializer. */
function wrapperEnd(c: Cursor, report: (t: Token, m: string) => void, d: ConfigDecl): void {
  if (!c.eat(';')) {
    if (!c.atEnd() || d.init) report(c.peek(), "expected ';' after the config initializer");
  }
}

function skipAttributes(c: Cursor): void {
  while (c.is('__attribute__') || c.is('__attribute')) {
    c.next();
    let depth = 0;
    while (!c.atEnd()) {
      const t = c.next();
      if (t.text === '(') depth++;
      else if (t.text === ')' && --depth <= 0) break;
    }
  }
}

const STOP_MEMBER = new Set([';', '}']);

function parseMember(c: Cursor, report: (t: Token, m: string) => void): MemberDecl | undefined {
  const first = c.peek();
  const words: Token[] = [];
  while (c.peek().kind === TK.Ident && !(words.length && c.is('[', 1)) && !(words.length && (c.is(';', 1) || c.is('__attribute__', 1)))) {
    words.push(c.next());
    if (words.length > 4) break;
  }
  const nameTok = c.peek().kind === TK.Ident ? c.next() : undefined;
  if (!words.length || !nameTok) {
    report(c.peek(), nameTok || words.length ? 'expected a member name' : `expected a member declaration, found '${c.peek().text || 'end of file'}'`);
    while (!c.atEnd() && !STOP_MEMBER.has(c.peek().text)) c.next();
    c.eat(';');
    return undefined;
  }
  const m: MemberDecl = { typeName: words.map((w) => w.text).join(' '), typeFirst: words[0], name: nameTok, first, last: nameTok };
  if (c.is('[')) {
    m.lengthOpen = c.next();
    m.length = c.is(']') ? null : parseCond(c);
    const close = c.eat(']');
    if (!close) report(c.peek(), "expected ']'");
    m.lengthClose = close ?? c.peek();
    m.last = m.lengthClose;
  }
  skipAttributes(c);
  if (!c.eat(';')) {
    report(c.peek(), "expected ';' after the member declaration");
    while (!c.atEnd() && !STOP_MEMBER.has(c.peek().text)) c.next();
    c.eat(';');
  }
  return m;
}

/** Skips a balanced `{…}` group without recursion (past the nesting bound). */
function skipBraces(c: Cursor): Token {
  let depth = 0;
  let last = c.peek();
  while (!c.atEnd()) {
    last = c.next();
    if (last.text === '{') depth++;
    else if (last.text === '}' && --depth === 0) break;
  }
  return last;
}

/** Whether item `i` of a list exists; a lazy list is parsed up to it. */
export function hasItem(list: InitList, i: number): boolean {
  while (i >= list.items.length) {
    const r = list.reader;
    if (r === undefined || !r.next()) return false;
  }
  return true;
}

/** Parses the rest of a lazy list (and of the lazy lists it holds). */
export function drainList(list: InitList): void {
  for (let r = list.reader; r !== undefined && r.next(); );
}

/**
 * Reads the items of a lazy list, one by one as hasItem asks (an eager list is read at once by
 * parseInitList). A class rather than closures: with a closure per list (over the cursor, so
 * over the whole analysis), young collections kept analyses that had ended alive — measured
 * ~30× more memory promoted to the old generation when analysing many small files.
 */
export class ListReader {
  /** The last item's lazy value, still open: read to its end before the next item. */
  private pending: ListReader | undefined = undefined;
  private done = false;
  /** The item whose value this list is, and where that item started (for recovery). */
  owner: InitItem | undefined = undefined;
  ownerBefore = 0;
  constructor(
    private readonly c: Cursor,
    private readonly report: (t: Token, m: string) => void,
    private readonly depth: number,
    private readonly list: InitList,
    /** Lists at depth ≤ this are lazy (-1: none). */
    private readonly lazyDepth: number,
  ) {}

  /** Reads up to the next item; false (and the list closed) at its end. */
  next(): boolean {
    if (this.done) return false;
    for (;;) {
      const r = this.step();
      if (r === 1) return true;
      if (r === 0) {
        this.done = true;
        this.list.reader = undefined;
        const owner = this.owner;
        if (owner !== undefined) {
          owner.last = this.list.close;
          afterItem(this.c, this.report, owner, this.ownerBefore);
        }
        return false;
      }
    }
  }

  /** One item: 1 when one was added, 2 when text was skipped, 0 at the end. */
  private step(): 0 | 1 | 2 {
    const { c, report, list } = this;
    const p = this.pending;
    if (p !== undefined) {
      this.pending = undefined;
      while (p.next());
    }
    const before = c.index();
    const item = readItem(c, report, this.depth, this.lazyDepth, list);
    if (item === END) return 0;
    if (item === SKIPPED) {
      afterItem(c, report, undefined, before);
      return 2;
    }
    const v = item.value;
    const child = v.k === 'list' ? v.reader : undefined;
    if (child !== undefined) {
      // The value is read when the evaluator asks for it; what follows it, once it is closed.
      child.owner = item;
      child.ownerBefore = before;
      this.pending = child;
    } else {
      afterItem(c, report, item, before);
    }
    return 1;
  }
}

const END = 0;
const SKIPPED = 2;

/**
 * The next item of `list`, added to its items (what follows it is left to the caller); END at
 * the closing brace (or where one is missing), SKIPPED when only text that is no item was read.
 */
function readItem(c: Cursor, report: (t: Token, m: string) => void, depth: number, lazyDepth: number, list: InitList): InitItem | typeof END | typeof SKIPPED {
  if (c.is('}')) {
    list.close = c.next();
    list.closed = true;
    return END;
  }
  if (c.atEnd()) {
    report(c.peek(), "expected '}' to close the initializer list opened here");
    report(list.open, "unclosed '{'");
    list.close = c.prev();
    return END;
  }
  if (c.is(';')) {
    report(c.peek(), "expected '}' before ';'");
    list.close = c.prev();
    return END;
  }
  const item = parseItem(c, report, depth, lazyDepth);
  if (!item) return SKIPPED;
  list.items.push(item);
  return item;
}

function parseInitList(c: Cursor, report: (t: Token, m: string) => void, depth: number, lazyDepth = -1): InitList {
  const open = c.next();
  // Every property is present from the start: one object shape for all lists (and items).
  const list: InitList = { k: 'list', open, close: open, closed: false, items: [], leadName: undefined, reader: undefined };
  if (depth > MAX_BRACE_DEPTH) {
    report(open, `initializer braces nested more than ${MAX_BRACE_DEPTH} deep`);
    c.unread();
    list.close = skipBraces(c);
    list.closed = true;
    return list;
  }
  // `{ /* Name */ .phys_start = …`: the comment names the list, not its first field.
  list.leadName = commentName(c.peek(), 'after-open');
  if (depth <= lazyDepth) {
    list.reader = new ListReader(c, report, depth, list, lazyDepth);
    return list;
  }
  // Read at once (lists inside an eager list are eager too: no item waits for its value).
  for (;;) {
    const before = c.index();
    const item = readItem(c, report, depth, lazyDepth, list);
    if (item === END) break;
    afterItem(c, report, item === SKIPPED ? undefined : item, before);
  }
  // An array that was pushed to holds spare slots (17 for the first item); the tree keeps an
  // exact copy.
  list.items = list.items.slice();
  return list;
}

/** After an item: the `,` (and a name trailing it), or recovery up to the next `,`/`}`. */
function afterItem(c: Cursor, report: (t: Token, m: string) => void, item: InitItem | undefined, before: number): void {
  if (c.eat(',')) {
    if (item && !item.name) item.name = trailingName(c);
    return;
  }
  if (c.is('}')) {
    // `PIO_RANGE(0x80, 1) /* last */` before the closing brace, without a comma.
    if (item && !item.name) {
      const cm = c.peek().comments?.[0];
      if (cm && cm.nlBefore === 0) item.name = cleanComment(cm);
    }
    return;
  }
  if (c.atEnd() || c.is(';')) return;
  report(c.peek(), `expected ',' or '}', found '${c.peek().text}'`);
  // Recover: skip to the next ',' or '}' at this level.
  let d = 0;
  while (!c.atEnd()) {
    const t = c.peek();
    if (d === 0 && (t.text === ',' || t.text === '}' || t.text === ';')) break;
    if (t.text === '{' || t.text === '(' || t.text === '[') d++;
    else if (t.text === '}' || t.text === ')' || t.text === ']') d = Math.max(0, d - 1);
    c.next();
  }
  c.eat(',');
  if (c.index() === before) c.next();
}

/** Shared by every item without designators (positional values); never modified. */
const NO_DESIGNATORS: Designator[] = Object.freeze([]) as unknown as Designator[];

function parseItem(c: Cursor, report: (t: Token, m: string) => void, depth: number, lazyDepth: number): InitItem | undefined {
  const first = c.peek();
  // Nearly every designated item has one designator: no array is grown for it.
  let d0: Designator | undefined;
  let more: Designator[] | undefined;
  while (c.is('.') || c.is('[')) {
    const tok = c.next();
    let d: Designator;
    let stop = false;
    if (tok.text === '.') {
      const name = c.peek();
      if (name.kind !== TK.Ident) {
        report(name, 'expected a field name after \'.\'');
        d = { kind: 'field', tok, name: undefined, index: undefined, last: tok };
        stop = true;
      } else {
        c.next();
        d = { kind: 'field', tok, name, index: undefined, last: name };
      }
    } else {
      const index = parseCond(c);
      const close = c.eat(']');
      if (!close) report(c.peek(), "expected ']' after the array index");
      d = { kind: 'index', tok, name: undefined, index, last: close ?? tok };
    }
    if (!d0) d0 = d;
    else (more ??= [d0]).push(d);
    if (stop) break;
  }
  const ds: Designator[] = more ?? (d0 ? [d0] : NO_DESIGNATORS);
  if (ds.length) {
    if (!c.eat('=')) {
      report(c.peek(), `expected '=' after the designator`);
      if (c.is(',') || c.is('}')) return undefined;
    }
  }
  let value: InitList | Expr;
  if (c.is('{')) value = parseInitList(c, report, depth + 1, lazyDepth);
  else {
    if (c.is(',') || c.is('}')) {
      report(c.peek(), 'expected a value');
      return undefined;
    }
    value = parseCond(c);
  }
  const last = value.k === 'list' ? value.close : exprLast(value);
  // `[2] = /* RAM */ {` names the element as much as `/* RAM */ {` does.
  const name = !ds.length || value.k === 'list' ? elementName(value) : undefined;
  return { designators: ds, value, first, last, name };
}

function elementName(value: InitList | Expr): string | undefined {
  const first = value.k === 'list' ? value.open : exprFirst(value);
  return commentName(first, 'before') ?? (value.k === 'list' ? value.leadName : undefined);
}

/**
 * A name from comments around a token:
 *  - 'before': `/* Name *\/ {` on the same line, or a comment line directly above;
 *  - 'after-open': `{ /* Name *\/` (a comment right after the brace on its line).
 * A comment that trails the previous token on its line belongs to that element, not this one.
 */
function commentName(tok: Token, where: 'before' | 'after-open'): string | undefined {
  const cs = tok.comments;
  if (!cs) return undefined;
  if (where === 'after-open') {
    const c0 = cs[0];
    return c0.nlBefore === 0 ? cleanComment(c0) : undefined;
  }
  for (let i = cs.length - 1; i >= 0; i--) {
    const cm = cs[i];
    if (cm.nlBefore === 0 && i === 0 && !tok.bol && cm.nlAfter > 0) return undefined; // trails the previous token
    if (cm.nlAfter === 0) return cleanComment(cm);
    if (cm.nlAfter === 1 && (cm.nlBefore > 0 || i > 0 || isFirstInFile(cm))) return cleanComment(cm);
    return undefined;
  }
  return undefined;
}

function isFirstInFile(cm: Comment): boolean {
  return cm.start === 0;
}

/** `PIO_RANGE(0x40, 4), /* PIT *\/`: a comment after the comma on the same line. */
function trailingName(c: Cursor): string | undefined {
  const next = c.peek();
  const cm = next.comments?.[0];
  if (cm && cm.nlBefore === 0 && (cm.nlAfter > 0 || next.kind === TK.EOF)) return cleanComment(cm);
  return undefined;
}

export function cleanComment(cm: Comment): string | undefined {
  const raw = cm.text;
  const simple = simpleComment(raw);
  if (simple !== null) return simple;
  // A commented-out field or code is not a name (tested on the raw text: cleaning only drops
  // whitespace and leading `*`s). Licence headers are long and contain `;`: this skips them.
  if (/[;{}]/.test(raw)) return undefined;
  const text = (raw.indexOf('\n') < 0 ? cleanLine(raw) : raw.split(/\r?\n/).map(cleanLine).filter((l) => l.length).join(' '))
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  if (/^\.[a-z_]+\s*=/.test(text)) return undefined;
  return text.length > 100 ? text.slice(0, 99) + '…' : text;
}

/**
 * The name in a one-line comment of printable ASCII without `*`, runs of spaces or `;{}` (most
 * element names: `/* UART *\/`) without regular expressions; null when the general rules apply.
 */
function simpleComment(raw: string): string | undefined | null {
  const n = raw.length;
  let start = 0;
  while (start < n && raw.charCodeAt(start) === 32) start++;
  let end = n;
  while (end > start && raw.charCodeAt(end - 1) === 32) end--;
  if (start === end || raw.charCodeAt(start) === 46 /* . */) return null;
  for (let i = start; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c < 32 || c > 126 || c === 42 /* * */ || c === 59 || c === 123 || c === 125) return null;
    if (c === 32 && raw.charCodeAt(i + 1) === 32) return null;
  }
  const text = start === 0 && end === n ? raw : raw.slice(start, end);
  return text.length > 100 ? text.slice(0, 99) + '…' : text;
}

function cleanLine(l: string): string {
  return l.replace(/^\s*\*+\s?/, '').trim();
}

export { spanLoc };
