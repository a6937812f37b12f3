// Where the cursor stands in a config's initializer, from tokens alone (no preprocessing, no
// model): which struct's braces enclose it, which designators that struct already has, and
// whether it is typing a field's value. Works on half-typed text where the model is missing.
import { lex, TK, type Token } from '../syntax/lexer';
import { C_INT_TYPES, resolveField, struct as schemaStruct, structByCName, type LaidOutField, type TypeRef } from '../schema';

/** The type of one brace level: the wrapper object, or a schema type. */
export type FrameType = { kind: 'wrapper' } | TypeRef | { kind: 'unknown' };

export interface WrapperDecl {
  name: string;
  type: TypeRef | undefined;
  length?: number;
}

export interface CursorContext {
  /** Type of the innermost braces around the offset; undefined outside the `config` initializer. */
  frame?: FrameType;
  /** Designator path from the wrapper down to the frame (`header`, `platform_info`, `arm`). */
  path: string[];
  /** Struct whose fields are valid here (schema name), when the frame is a struct. */
  structName?: string;
  /** Designators already given in this frame (whole frame, before and after the cursor). */
  given: Set<string>;
  /** The field whose value the cursor is in (`.flags = …|`), with its struct. */
  valueField?: { structName: string; field: LaidOutField };
  /** The value is an element of an integer array field (`.cpus = { …| }`, `.pin_bitmap`). */
  inIntArray?: { structName?: string; field: string };
  /** Wrapper members declared in `struct { … } config`. */
  wrapper: WrapperDecl[];
  /** Start of the identifier (or designator name) being typed at the offset. */
  wordStart: number;
  /** The cursor follows a `.` that starts a designator. */
  afterDot: boolean;
}

interface Frame {
  type: FrameType;
  name: string;
  open: number;
  pending?: string;
  /** Index of the token that opened it. */
  tokenIndex: number;
}

export function tokensOf(text: string): Token[] {
  return lex(text, '<cursor>');
}

/** Finds `config = {`: the wrapper declaration before it and the index of its `{`. */
export function findConfig(toks: Token[]): { wrapper: WrapperDecl[]; open: number } | undefined {
  for (let i = 0; i + 2 < toks.length; i++) {
    if (toks[i].kind === TK.Ident && toks[i].text === 'config' && toks[i + 1].text === '=' && toks[i + 2].text === '{') {
      return { wrapper: wrapperBefore(toks, i), open: i + 2 };
    }
  }
  return undefined;
}

function wrapperBefore(toks: Token[], configIdx: number): WrapperDecl[] {
  // Walk back to the `}` closing the anonymous struct, then to its `{`.
  let close = configIdx - 1;
  while (close >= 0 && toks[close].text !== '}') close--;
  if (close < 0) return [];
  let depth = 0;
  let open = close;
  for (; open >= 0; open--) {
    if (toks[open].text === '}') depth++;
    else if (toks[open].text === '{' && --depth === 0) break;
  }
  const out: WrapperDecl[] = [];
  let decl: Token[] = [];
  for (let i = open + 1; i < close; i++) {
    if (toks[i].text !== ';') {
      decl.push(toks[i]);
      continue;
    }
    const d = parseMember(decl);
    if (d) out.push(d);
    decl = [];
  }
  return out;
}

function parseMember(decl: Token[]): WrapperDecl | undefined {
  const bracket = decl.findIndex((t) => t.text === '[');
  const head = bracket >= 0 ? decl.slice(0, bracket) : decl;
  const nameTok = head[head.length - 1];
  if (!nameTok || nameTok.kind !== TK.Ident) return undefined;
  const typeToks = head.slice(0, -1).map((t) => t.text);
  let elem: TypeRef | undefined;
  if ((typeToks[0] === 'struct' || typeToks[0] === 'union') && typeToks[1]) {
    const s = structByCName(`${typeToks[0]} ${typeToks[1]}`);
    if (s) elem = { kind: 'struct', name: s.name };
  } else if (typeToks.length === 1) {
    elem = C_INT_TYPES[typeToks[0]];
  }
  let length: number | undefined;
  if (bracket >= 0) {
    const n = decl[bracket + 1];
    length = n && n.kind === TK.Number && /^\d+$/.test(n.text) ? Number(n.text) : 0;
  }
  const type = elem && length !== undefined ? ({ kind: 'array', of: elem, length } as TypeRef) : elem;
  return { name: nameTok.text, type, length };
}

function fieldType(frame: FrameType, name: string, wrapper: WrapperDecl[]): FrameType {
  if (frame.kind === 'wrapper') return wrapper.find((m) => m.name === name)?.type ?? { kind: 'unknown' };
  if (frame.kind === 'struct') {
    const chain = resolveField(schemaStruct(frame.name), name);
    return chain ? chain[chain.length - 1].type : { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}

function elementType(frame: FrameType): FrameType {
  return frame.kind === 'array' ? frame.of : { kind: 'unknown' };
}

/** The cursor context at `offset` in `text` (tokens may be passed in to share one lexing). */
export function cursorContext(text: string, offset: number, toks: Token[] = tokensOf(text)): CursorContext {
  const cfg = findConfig(toks);
  const wordStart = identStart(text, offset);
  const afterDot = text[wordStart - 1] === '.' || /\.\s*$/.test(text.slice(Math.max(0, wordStart - 8), wordStart));
  const base: CursorContext = { path: [], given: new Set(), wrapper: cfg?.wrapper ?? [], wordStart, afterDot };
  if (!cfg || toks[cfg.open].start >= offset) return base;

  const stack: Frame[] = [{ type: { kind: 'wrapper' }, name: 'config', open: toks[cfg.open].start, tokenIndex: cfg.open }];
  let parens = 0;
  let i = cfg.open + 1;
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === TK.EOF || t.start >= offset) break;
    // A token the cursor touches from inside (the word being typed) does not count yet.
    if (t.end >= offset && t.kind === TK.Ident) break;
    const top = stack[stack.length - 1];
    if (t.text === '(') parens++;
    else if (t.text === ')') parens = Math.max(0, parens - 1);
    if (parens > 0 || t.text === ')') continue;
    if (t.text === '.' && toks[i + 1]?.kind === TK.Ident && toks[i + 2]?.text === '=' && toks[i + 2].start < offset) {
      top.pending = toks[i + 1].text;
      i += 2;
    } else if (t.text === '[' && toks[i + 2]?.text === ']' && toks[i + 3]?.text === '=') {
      top.pending = '[]';
      i += 3;
    } else if (t.text === '{') {
      const type = top.pending && top.pending !== '[]' ? fieldType(top.type, top.pending, cfg.wrapper) : elementType(top.type);
      stack.push({ type, name: top.pending ?? '[]', open: t.start, tokenIndex: i });
    } else if (t.text === '}') {
      if (stack.length === 1) return base; // past the end of the initializer
      stack.pop();
      stack[stack.length - 1].pending = undefined;
    } else if (t.text === ',') {
      top.pending = undefined;
    }
  }

  const top = stack[stack.length - 1];
  const ctx: CursorContext = { ...base, frame: top.type, path: stack.slice(1).map((f) => f.name) };
  if (top.type.kind === 'struct') ctx.structName = top.type.name;
  ctx.given = givenIn(toks, top.tokenIndex);
  if (top.pending && top.pending !== '[]') {
    const owner = top.type;
    if (owner.kind === 'struct') {
      const chain = resolveField(schemaStruct(owner.name), top.pending);
      if (chain) ctx.valueField = { structName: owner.name, field: chain[chain.length - 1] };
    }
  } else if (top.type.kind === 'array' && top.type.of.kind === 'int' && stack.length >= 2) {
    const parent = stack[stack.length - 2];
    ctx.inIntArray = { structName: parent.type.kind === 'struct' ? parent.type.name : undefined, field: top.name };
  }
  return ctx;
}

/** Designators written directly inside the brace pair opened at token `open`. */
function givenIn(toks: Token[], open: number): Set<string> {
  const out = new Set<string>();
  let depth = 0;
  let parens = 0;
  for (let i = open + 1; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === TK.EOF) break;
    if (t.text === '(') parens++;
    else if (t.text === ')') parens = Math.max(0, parens - 1);
    else if (t.text === '{') depth++;
    else if (t.text === '}') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && parens === 0 && t.text === '.' && toks[i + 1]?.kind === TK.Ident && toks[i + 2]?.text === '=') {
      out.add(toks[i + 1].text);
    }
  }
  return out;
}

function identStart(text: string, offset: number): number {
  let s = Math.min(offset, text.length);
  while (s > 0 && /[A-Za-z0-9_]/.test(text[s - 1])) s--;
  return s;
}

/**
 * The token the cursor at `offset` is on. An offset is the gap before the character at it, so
 * between two adjacent tokens (`.|phys_start`, `0x10|;`) it touches both; the rule is fixed, not
 * left to where a search happens to land: a word (identifier, number, string, character) whose
 * characters include the offset (start <= offset < end) comes first; then a word ending at the
 * offset (the cursor right after a word, as after typing it); then punctuation (or a stray
 * character) holding the offset; then one ending at it. Blanks and comments are on nothing.
 */
export function tokenAt(toks: Token[], offset: number): Token | undefined {
  const n = toks.length > 0 && toks[toks.length - 1].kind === TK.EOF ? toks.length - 1 : toks.length;
  // First token ending after the offset: the only one that can hold it; the one before may end at it.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toks[mid].end > offset) hi = mid;
    else lo = mid + 1;
  }
  const on = lo < n && toks[lo].start <= offset ? toks[lo] : undefined;
  const before = lo > 0 && toks[lo - 1].end === offset ? toks[lo - 1] : undefined;
  if (on && isWord(on)) return on;
  if (before && isWord(before)) return before;
  return on ?? before;
}

function isWord(t: Token): boolean {
  return t.kind === TK.Ident || t.kind === TK.Number || t.kind === TK.String || t.kind === TK.Char;
}
