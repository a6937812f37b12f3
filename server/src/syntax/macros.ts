// Macro definitions and their expansion, with a source map: a token written in a macro
// argument keeps its own location; one produced by a macro body points at the outermost
// invocation in the file. Self-reference ends through hide sets, macro bombs through a budget.
import type { MacroDef, MacroUse } from '../core/analysis';
import type { Loc, SourceFile } from '../util/source';
import { BUILTIN_PREFIX } from './builtinHeaders';
import { lex, locOf, spanLoc, TK, token, withTok, type Token } from './lexer';
import { LIMITS } from './ppOptions';
import { PpReport } from './ppReport';

export interface Macro {
  def: MacroDef;
  /** `{name}`: the hide set of every expansion invoked from source text, shared. */
  selfHide?: ReadonlySet<string>;
  params?: string[];
  variadic: boolean;
  body: Token[];
  /** For each body token, the index of the parameter it names (-1: none). */
  bodyParams?: Int32Array;
  /** The body has a `##` operator. */
  pastes: boolean;
}

/** A file's macros, and how often they changed (a use's expansion is known while that stays). */
interface MacroTable {
  readonly macros: ReadonlyMap<string, Macro>;
  version: number;
}

/** Where expansion reads its next token: a stack of tokens to rescan (the next one last), then
 * (for the main stream only) the files. */
export interface Source {
  stack: Token[];
  raw: boolean;
}

/** A `#define` line (the tokens after `define`) as a macro; undefined, reported, when malformed. */
export function parseDefine(dirTok: Token, rest: Token[], files: ReadonlyMap<string, SourceFile>, report: PpReport): Macro | undefined {
  const nameTok = rest[0];
  if (!nameTok || nameTok.kind !== TK.Ident) {
    report.error(locOf(dirTok), '#define needs a macro name');
    return undefined;
  }
  let i = 1;
  let params: string[] | undefined;
  let variadic = false;
  if (rest[1] && rest[1].text === '(' && !rest[1].space) {
    params = [];
    i = 2;
    let ok = false;
    while (i < rest.length) {
      const t = rest[i++];
      if (t.text === ')') {
        ok = true;
        break;
      }
      if (t.text === ',') continue;
      if (t.text === '...' && rest[i - 2].kind === TK.Ident && i - 2 > 1) {
        // GNU `x...`: the last parameter, named, takes the rest (the kernel's DTS headers use it).
        variadic = true;
      } else if (t.text === '...') {
        variadic = true;
        params.push('__VA_ARGS__');
      } else if (t.kind === TK.Ident) params.push(t.text);
      else {
        report.error(locOf(t), `unexpected '${t.text}' in macro parameter list`);
      }
    }
    if (!ok) {
      report.error(locOf(nameTok), `missing ')' in parameter list of macro ${nameTok.text}`);
      return undefined;
    }
  }
  const body = rest.slice(i);
  const file = files.get(nameTok.file);
  const bodyText = body.length && file ? file.text.slice(body[0].start, body[body.length - 1].end) : body.map((t) => t.text).join(' ');
  const def: MacroDef = {
    name: nameTok.text,
    params,
    body: bodyText.replace(/\\\s*\n\s*/g, ' '),
    loc: { file: nameTok.file, start: nameTok.start, end: nameTok.end },
    builtin: nameTok.file.startsWith(BUILTIN_PREFIX),
  };
  let bodyParams: Int32Array | undefined;
  if (params?.length) {
    bodyParams = new Int32Array(body.length);
    for (let j = 0; j < body.length; j++) bodyParams[j] = body[j].kind === TK.Ident ? params.indexOf(body[j].text) : -1;
  }
  const pastes = body.some((t) => t.kind === TK.Punct && t.text === '##');
  return { def, params, variadic, body, bodyParams, pastes };
}

export class MacroExpander {
  readonly macros = new Map<string, Macro>();
  private readonly table: MacroTable = { macros: this.macros, version: 0 };
  /** The same table as the API exposes it (kept in step, so no copy is made per file). */
  readonly defs = new Map<string, MacroDef>();
  readonly uses: MacroUse[] = [];
  /** Output tokens left before expansion stops (see LIMITS). */
  budget = LIMITS.minExpansionBudget;
  private budgetExceeded = false;
  private argDepth = 0;
  private argDepthReported = false;

  constructor(
    private readonly report: PpReport,
    /** Assembler mode: tokens are text (see PreprocessOptions.assembler). */
    private readonly asText: boolean,
    /** The files' next token, for a macro call whose arguments run past the pending tokens. */
    private readonly raw: () => Token | undefined = () => undefined,
  ) {}

  /** Defines a macro, warning when it replaces a different definition. */
  define(macro: Macro, nameTok: Token): void {
    const old = this.macros.get(macro.def.name);
    if (old && !sameDefinition(old, macro.params, macro.body)) {
      this.report.error(locOf(nameTok), `macro ${nameTok.text} redefined (previous definition ${old.def.builtin ? 'in the Jailhouse headers' : 'earlier'})`, 'syntax', 'warning');
    }
    this.macros.set(macro.def.name, macro);
    this.defs.set(macro.def.name, macro.def);
    this.table.version++;
  }

  /** Defines macros known to be new (a replayed header). */
  addAll(ms: readonly Macro[]): void {
    for (const m of ms) {
      this.macros.set(m.def.name, m);
      this.defs.set(m.def.name, m.def);
    }
    this.table.version++;
  }

  undefine(name: string): void {
    this.macros.delete(name);
    this.defs.delete(name);
    this.table.version++;
  }

  /** Takes in another file's macros, to expand with them (expansion itself never defines any). */
  useTable(table: ReadonlyMap<string, Macro>): void {
    for (const [name, m] of table) this.macros.set(name, m);
  }

  private read(src: Source): Token | undefined {
    return src.stack.length ? src.stack.pop() : src.raw ? this.raw() : undefined;
  }

  /** Fully expands a finite token list (macro arguments, #if and #include lines). */
  expandList(toks: Token[]): Token[] {
    let i = 0;
    // Most arguments are plain numbers: nothing to expand, nothing to copy.
    for (; i < toks.length; i++) {
      const t = toks[i];
      if (t.kind === TK.Ident && !t.noExpand && this.macros.has(t.text)) break;
    }
    if (i === toks.length) return toks;
    const out: Token[] = toks.slice(0, i);
    const input: Token[] = [];
    for (let j = toks.length - 1; j >= i; j--) input.push(toks[j]);
    const src: Source = { stack: input, raw: false };
    while (input.length) {
      const t = input.pop()!;
      if (t.kind !== TK.Ident || t.noExpand) {
        out.push(t);
        continue;
      }
      const m = this.macros.get(t.text);
      if (!m) {
        out.push(t);
        continue;
      }
      if (t.hide?.has(t.text)) {
        out.push(withTok(t, { noExpand: true }));
        continue;
      }
      if (!this.expandAt(t, m, src)) out.push(t);
    }
    return out;
  }

  /**
   * Expands macro `m` invoked by `nameTok`, reading arguments from `src` and pushing the
   * result back onto it for rescanning. Returns false when `nameTok` is not an invocation (a
   * function-like macro name without arguments).
   */
  expandAt(nameTok: Token, m: Macro, src: Source): boolean {
    if (this.budgetExceeded) return false;
    let args: Token[][] | undefined;
    let last = nameTok;
    if (m.params) {
      const open = this.read(src);
      if (!open || open.text !== '(' || open.kind !== TK.Punct) {
        if (open) src.stack.push(open);
        return false;
      }
      const collected = this.collectArgs(nameTok, open, src);
      if (!collected) return true; // reported; the invocation is dropped
      args = collected.args;
      last = collected.close;
      if (args.length === 1 && args[0].length === 0 && m.params.length === 0) args = [];
      if (args.length !== m.params.length && !(m.variadic && args.length >= m.params.length - 1)) {
        this.report.error(spanLoc(nameTok, last), `macro ${m.def.name} expects ${m.params.length} argument${m.params.length === 1 ? '' : 's'}, got ${args.length}`);
        return true;
      }
      if (m.variadic && args.length > m.params.length) {
        const extra = args.splice(m.params.length - 1);
        const joined: Token[] = [];
        extra.forEach((a, i) => {
          if (i && a[0]) joined.push(withTok(a[0], { kind: TK.Punct, text: ',' }));
          for (const x of a) joined.push(x);
        });
        args.push(joined);
      }
    }
    const fromSource = nameTok.use === undefined;
    let invLoc: Loc;
    if (!fromSource) invLoc = locOf(nameTok);
    else if (last !== nameTok) invLoc = spanLoc(nameTok, last);
    else {
      const l = locOf(nameTok);
      invLoc = { file: l.file, start: l.start, end: l.end };
    }
    let hide: ReadonlySet<string>;
    if (nameTok.hide) {
      const h = new Set(nameTok.hide);
      h.add(m.def.name);
      hide = h;
    } else hide = (m.selfHide ??= new Set([m.def.name]));
    // Reserve the use slot first: expanding the arguments records their own (nested) uses.
    const use = fromSource ? new Use(m.def, invLoc, this.table) : undefined;
    const useIdx = use ? this.uses.push(use) - 1 : nameTok.use!;
    const result = args ? this.substitute(m, args, invLoc, hide, useIdx) : this.substituteObject(m, invLoc, hide, useIdx, nameTok);
    this.budget -= result.length + 1;
    if (this.budget < 0) {
      this.budgetExceeded = true;
      this.report.error(invLoc, `macro expansion of ${m.def.name} produces too many tokens; stopped expanding`, 'syntax');
      return true;
    }
    if (use) use.setExpansion(args || m.pastes ? undefined : m.body, result);
    if (result.length && (args || m.pastes)) {
      // The expansion inherits the comments written before the invocation (element names).
      const r = result[0];
      result[0] = token(r.kind, r.text, r.file, r.start, r.end, nameTok.bol, nameTok.space, r.comments ?? nameTok.comments, r.loc, r.hide, r.use, r.noExpand ?? false);
    }
    const stack = src.stack;
    for (let i = result.length - 1; i >= 0; i--) stack.push(result[i]);
    return true;
  }

  private collectArgs(nameTok: Token, open: Token, src: Source): { args: Token[][]; close: Token } | undefined {
    let cur: Token[] = [];
    const args: Token[][] = [cur];
    let depth = 0;
    for (;;) {
      const t = this.read(src);
      if (!t) {
        this.report.error(spanLoc(nameTok, open), `unterminated argument list of macro ${nameTok.text}`);
        return undefined;
      }
      if (t.kind === TK.Punct) {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) return { args, close: t };
          depth--;
        } else if (t.text === ',' && depth === 0) {
          args.push((cur = []));
          continue;
        }
      }
      cur.push(t);
    }
  }

  /**
   * The body of an object-like macro, each token pointing at the invocation; without `##`, the
   * first one inherits what the invocation had before it (see expandAt).
   */
  private substituteObject(m: Macro, invLoc: Loc, hide: ReadonlySet<string>, useIdx: number, nameTok: Token): Token[] {
    const body = m.body;
    if (m.pastes) {
      const out: Token[] = [];
      for (let i = 0; i < body.length; i++) {
        const t = body[i];
        out.push(token(t.kind, t.text, t.file, t.start, t.end, false, t.space, undefined, invLoc, hide, useIdx, false));
      }
      return this.paste(out, invLoc);
    }
    const out = new Array<Token>(body.length);
    for (let i = 0; i < body.length; i++) {
      const t = body[i];
      out[i] = i === 0
        ? token(t.kind, t.text, t.file, t.start, t.end, nameTok.bol, nameTok.space, nameTok.comments, invLoc, hide, useIdx, false)
        : token(t.kind, t.text, t.file, t.start, t.end, false, t.space, undefined, invLoc, hide, useIdx, false);
    }
    return out;
  }

  private substitute(m: Macro, args: Token[][], invLoc: Loc, hide: ReadonlySet<string>, useIdx: number): Token[] {
    const out: Token[] = [];
    const expanded: (Token[] | undefined)[] = [];
    const body = m.body;
    const bodyParams = m.bodyParams;
    for (let i = 0; i < body.length; i++) {
      const t = body[i];
      // # param: stringize
      if (t.kind === TK.Punct && t.text === '#' && bodyParams && i + 1 < body.length && bodyParams[i + 1] >= 0) {
        const s = '"' + tokensToText(args[bodyParams[i + 1]]).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
        out.push(token(TK.String, s, t.file, t.start, t.end, false, t.space, undefined, invLoc, hide, useIdx, false));
        i++;
        continue;
      }
      const pi = bodyParams ? bodyParams[i] : -1;
      if (pi >= 0) {
        let src: Token[];
        if (m.pastes && (body[i + 1]?.text === '##' || body[i - 1]?.text === '##')) {
          src = args[pi];
          // An empty argument next to `##` pastes as nothing (C's placemarker), not as the `##`.
          if (src.length === 0) src = [token(TK.Other, '', t.file, t.start, t.start, false, false, undefined, invLoc, hide, useIdx, false)];
        } else src = expanded[pi] ??= this.expandArg(args[pi], invLoc);
        // An argument's first token is spaced like the parameter it replaces, as cpp does: as
        // text (assembler mode) `GIC_SPI n` with n = 178 is `0 178`, not `0178`, and a hover
        // shows `.size = 7` for `.size = len` however the 7 was written. Only as text does it
        // also stop starting a line (in C, that is what names elements from comments).
        const asText = this.asText;
        for (let j = 0; j < src.length; j++) {
          const a = src[j];
          const lead = j === 0;
          out.push(token(a.kind, a.text, a.file, a.start, a.end, lead && asText ? false : a.bol, lead ? t.space : a.space, a.comments, a.loc, a.hide ? mergeHide(a.hide, hide) : hide, a.use, a.noExpand ?? false));
        }
        continue;
      }
      out.push(token(t.kind, t.text, t.file, t.start, t.end, false, t.space, undefined, invLoc, hide, useIdx, false));
    }
    return m.pastes ? this.paste(out, invLoc) : out;
  }

  private expandArg(arg: Token[], invLoc: Loc): Token[] {
    if (this.argDepth >= LIMITS.maxArgNesting) {
      if (!this.argDepthReported) this.report.error(invLoc, `macro arguments nested more than ${LIMITS.maxArgNesting} deep; not expanded further`);
      this.argDepthReported = true;
      return arg;
    }
    this.argDepth++;
    const e = this.expandList(arg);
    this.argDepth--;
    return e;
  }

  /** Applies `##`: concatenates neighbours and re-lexes the result. */
  private paste(toks: Token[], invLoc: Loc): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.text === '##' && t.kind === TK.Punct && out.length && i + 1 < toks.length) {
        const left = out.pop()!;
        const right = toks[++i];
        if (isPlacemarker(left) || isPlacemarker(right)) {
          out.push(isPlacemarker(left) ? right : left);
          continue;
        }
        const joined = lex(left.text + right.text, '<paste>');
        // cpp lets assembler text paste into several tokens (`pin- ## 0` is `pin-0`): they stay adjacent.
        const asText = this.asText;
        if (joined.length !== 2 && !asText) this.report.error(invLoc, `pasting "${left.text}" and "${right.text}" does not give a valid token`);
        for (let k = 0; k < joined.length - 1; k++) {
          const j = joined[k];
          out.push(k > 0 && asText ? withTok(left, { kind: j.kind, text: j.text, bol: false, space: false }) : withTok(left, { kind: j.kind, text: j.text }));
        }
        continue;
      }
      out.push(t);
    }
    return out.filter((t) => !isPlacemarker(t));
  }
}

function isPlacemarker(t: Token): boolean {
  return t.kind === TK.Other && t.text === '';
}

const NO_TOKENS: Token[] = [];

/**
 * A macro use. Hover shows its full expansion as text: a function-like macro's is built when
 * the expansion is done (the use keeps a string, not tokens); an object-like macro's only when
 * asked, by expanding its body with the file's macro table then (tens of thousands of flag
 * macros in a big config need no text of their own). Should a macro be defined or undefined
 * after the use, the table no longer says what the compiler saw there: the body as written is
 * shown instead.
 */
class Use implements MacroUse, Loc {
  readonly name: string;
  // The invocation's range is held here rather than in a Loc object of its own: a config has
  // tens of thousands of uses, and they live as long as its analysis.
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** The body of an object-like macro, or undefined once `text` is set. */
  private body: Token[] | undefined = NO_TOKENS;
  private text: string | undefined = undefined;
  private readonly version: number;
  constructor(
    readonly def: MacroDef,
    loc: Loc,
    /** The file's macro table (shared by all uses). */
    private readonly table: MacroTable,
  ) {
    this.version = table.version;
    this.name = def.name;
    this.file = loc.file;
    this.start = loc.start;
    this.end = loc.end;
  }
  get loc(): Loc {
    return this;
  }
  /** Set once the expansion is known (the use is recorded before its arguments expand). */
  setExpansion(body: Token[] | undefined, result: Token[]): void {
    if (body) this.body = body;
    else {
      this.body = undefined;
      this.text = tokensToText(result, true);
    }
  }
  get expansion(): string {
    if (this.text !== undefined) return this.text;
    const body = this.body ?? NO_TOKENS;
    return (this.text = this.table.version === this.version ? expandBody(this.def.name, body, this.table.macros) : tokensToText(body));
  }
}

/** The full expansion of an object-like macro's body, as text (the macro itself not re-expanded). */
function expandBody(name: string, body: Token[], table: ReadonlyMap<string, Macro>): string {
  // Diagnostics of this expansion were reported when the file was read.
  const x = new MacroExpander(new PpReport(), false);
  x.useTable(table);
  const hide = new Set([name]);
  return tokensToText(x.expandList(body.map((t) => withTok(t, { hide }))), true);
}

function mergeHide(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (a === b) return a;
  for (const x of b) if (!a.has(x)) return new Set([...a, ...b]);
  return a;
}

function sameDefinition(old: Macro, params: string[] | undefined, body: Token[]): boolean {
  if ((old.params ?? []).join(',') !== (params ?? []).join(',') || !!old.params !== !!params) return false;
  if (old.body.length !== body.length) return false;
  return old.body.every((t, i) => t.text === body[i].text);
}

/** Tokens as text, a space where one was written. `flat`: one string, not a rope of pieces (for text that is kept). */
export function tokensToText(toks: Token[], flat = false): string {
  if (flat) {
    const parts: string[] = [];
    for (const t of toks) {
      if (parts.length && (t.space || t.bol)) parts.push(' ');
      parts.push(t.text);
    }
    return parts.join('');
  }
  let s = '';
  for (const t of toks) {
    if (s && (t.space || t.bol)) s += ' ';
    s += t.text;
  }
  return s;
}
