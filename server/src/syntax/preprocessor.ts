// The C preprocessor, as far as configs and device trees need it, with a source map:
// every output token knows where it came from. A token written in a macro argument keeps its
// own location; one produced by a macro body points at the outermost invocation in the file.
// Hostile input (self-referencing macros, include cycles, huge files) ends in a diagnostic.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diag } from '../core/diagnostics';
import type { IncludeRef, MacroDef, MacroUse } from '../core/analysis';
import { binary, parseIntLiteral, unary, type CVal, LONG, ULONG } from './cint';
import { MAX_SOURCE_BYTES, type Loc, type SourceFile } from '../util/source';
import { BUILTIN_PREFIX, builtinHeader } from './builtinHeaders';
import { Cursor, parseExpr, type Expr } from './expr';
import { lex, Lexer, locOf, spanLoc, TK, token, withTok, type LexProblem, type Token } from './lexer';

export interface PreprocessOptions {
  defines?: Record<string, string>;
  includeDirs?: string[];
  readFile?: (path: string) => string | undefined;
  /** Serve `<jailhouse/…>` from the built-in header model (default true). */
  builtinHeaders?: boolean;
  /** Extra built-in headers (the DTS importer's dt-bindings). */
  extraHeaders?: (spec: string) => string | undefined;
  /**
   * cpp's assembler-with-cpp mode, which dtc runs on device trees: a `#` line that names no
   * directive (`#address-cells = <1>;`) is text, and characters C does not use (`@` of
   * `cpu@0`) are tokens, not errors.
   */
  assembler?: boolean;
  /** dtc's `/include/ "FILE"` at the start of a line includes like `#include "FILE"`. */
  dtcInclude?: boolean;
}

/** Directive names; in assembler mode any other `#` line is text. */
const DIRECTIVES = new Set(['if', 'ifdef', 'ifndef', 'elif', 'else', 'endif', 'define', 'undef', 'include', 'error', 'warning', 'pragma', 'line', 'ident']);

export interface PreprocessResult {
  tokens: Token[];
  diagnostics: Diag[];
  macros: Map<string, MacroDef>;
  uses: MacroUse[];
  includes: IncludeRef[];
  files: Map<string, SourceFile>;
}

interface Macro {
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

/** Where expansion reads its next token: a stack of tokens to rescan (the next one last), then
 * (for the main stream only) the files. */
interface Source {
  stack: Token[];
  raw: boolean;
}

interface Frame {
  file: string;
  /** Tokens read ahead; those before `pos` are dropped as more of the file is lexed. */
  toks: Token[];
  pos: number;
  /** Lexes the rest of the file (absent once done, and for pre-lexed text). */
  lexer: Lexer | undefined;
  problems: LexProblem[];
  /** Conditional stack entries opened in this file. */
  conds: Cond[];
  /** The innermost conditional is active: cached, as it is read for every token. */
  active: boolean;
}

interface Cond {
  /** Some branch of this #if chain was taken. */
  taken: boolean;
  /** The current branch is active (and every enclosing one). */
  active: boolean;
  parentActive: boolean;
  sawElse: boolean;
  tok: Token;
}

/** Bounds that keep hostile input finite. */
export const LIMITS = {
  maxFileBytes: MAX_SOURCE_BYTES,
  maxIncludeDepth: 64,
  /** Output tokens per input token (macro bombs). */
  maxExpansionFactor: 64,
  minExpansionBudget: 200_000,
  /** Macro calls nested inside macro arguments (each level re-expands its argument). */
  maxArgNesting: 32,
};

const CMDLINE = '<command line>';

/** Tokens lexed at a time from a file when streaming. */
const LEX_CHUNK = 512;

interface HeaderEffect {
  /** Names the header tested with #ifdef/#ifndef, and whether they were defined. */
  tests: Map<string, boolean>;
  defines: Macro[];
  includes: IncludeRef[];
  files: { path: string; text: string }[];
}

/** Recorded effects of built-in headers (macro objects are immutable once defined). */
const headerMemo = new Map<string, HeaderEffect>();

/** Lexed built-in headers: tokens are never mutated, so every analysis can share them. */
const builtinTokens = new Map<string, { text: string; toks: Token[] }>();

export function preprocess(file: string, text: string, options: PreprocessOptions = {}): PreprocessResult {
  // Every token is kept anyway: each file is lexed in one go.
  const p = new Preprocessor(options, Infinity);
  p.start(file, text);
  const tokens: Token[] = [];
  while (p.readTokens(tokens, Infinity));
  return { tokens, ...p.result() };
}

/** The preprocessed tokens a chunk at a time (for a parser that pulls them), then the rest. */
export interface PreprocessStream {
  /** Appends at least one token to `out`; the last one is EOF (call no more after it). */
  pull(out: Token[]): void;
  /** Everything but the tokens; complete once EOF was pulled. */
  result(): Omit<PreprocessResult, 'tokens'>;
}

/** Tokens pulled at a time by a streaming reader. */
const PULL_CHUNK = 256;

export function preprocessStream(file: string, text: string, options: PreprocessOptions = {}): PreprocessStream {
  const p = new Preprocessor(options, LEX_CHUNK);
  p.start(file, text);
  return new TokenStream(p);
}

/** A class, not closures over the preprocessor: see ListReader in parser.ts for why. */
class TokenStream implements PreprocessStream {
  constructor(private readonly p: Preprocessor) {}
  pull(out: Token[]): void {
    this.p.readTokens(out, PULL_CHUNK);
  }
  result(): Omit<PreprocessResult, 'tokens'> {
    return this.p.result();
  }
}

/** Reads a file for the engine: regular files only, bounded size; undefined when unreadable. */
export function readSourceFile(p: string): { text?: string; error?: string } {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return { error: `'${p}' is not a regular file` };
    if (st.size > LIMITS.maxFileBytes) return { error: `'${p}' is too large (${st.size} bytes; the limit is ${LIMITS.maxFileBytes})` };
    const fd = fs.openSync(p, 'r');
    try {
      const buf = Buffer.alloc(Math.min(st.size, LIMITS.maxFileBytes) + 1);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      if (n > LIMITS.maxFileBytes) return { error: `'${p}' is too large` };
      return { text: buf.subarray(0, n).toString('utf8') };
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    return { error: `cannot read '${p}': ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

/** A file's macros, and how often they changed (a use's expansion is known while that stays). */
interface MacroTable {
  readonly macros: ReadonlyMap<string, Macro>;
  version: number;
}

class Preprocessor {
  private readonly macros = new Map<string, Macro>();
  private readonly table: MacroTable = { macros: this.macros, version: 0 };
  /** The same table as the API exposes it (kept in step, so no copy is made per file). */
  private readonly defs = new Map<string, MacroDef>();
  private readonly diagnostics: Diag[] = [];
  private readonly uses: MacroUse[] = [];
  private readonly includes: IncludeRef[] = [];
  private readonly files = new Map<string, SourceFile>();
  private readonly stack: Frame[] = [];
  /** Tokens waiting to be rescanned, in reverse order (the next one is last). */
  private pending: Token[] = [];
  private readonly main: Source = { stack: this.pending, raw: true };
  private budget = 0;
  private budgetExceeded = false;
  private argDepth = 0;
  private argDepthReported = false;
  private recording: (HeaderEffect & { path: string; depth: number; diags: number; ok: boolean }) | undefined;

  constructor(
    private readonly opts: PreprocessOptions,
    /** Tokens lexed at a time from a file. */
    private readonly lexChunk: number,
  ) {}

  private mainFile = '';
  private mainLength = 0;

  /** Takes in the macros of another file's preprocessor, to expand with them (expansion itself never defines any). */
  useTable(table: ReadonlyMap<string, Macro>): void {
    for (const [name, m] of table) this.macros.set(name, m);
    this.budget = LIMITS.minExpansionBudget;
  }

  expandTokens(toks: Token[]): Token[] {
    return this.expandList(toks);
  }

  start(file: string, text: string): void {
    this.budget = Math.max(LIMITS.minExpansionBudget, text.length * LIMITS.maxExpansionFactor);
    for (const [name, value] of Object.entries(this.opts.defines ?? {})) this.defineFromCommandLine(name, value);
    this.pushFile(file, text);
    this.mainFile = file;
    this.mainLength = (this.files.get(file)?.text ?? text).length;
  }

  /** Appends up to `max` expanded tokens to `out`, then EOF at the end; false once EOF was appended. */
  readTokens(out: Token[], max: number): boolean {
    for (let k = 0; k < max; k++) {
      const t = this.nextExpanded();
      if (!t) {
        const n = this.mainLength;
        out.push(token(TK.EOF, '', this.mainFile, n, n, true, false, undefined, undefined, undefined, undefined, false));
        return false;
      }
      out.push(t);
    }
    return true;
  }

  result(): Omit<PreprocessResult, 'tokens'> {
    return {
      diagnostics: this.diagnostics,
      macros: this.defs,
      uses: this.uses,
      includes: this.includes,
      files: this.files,
    };
  }

  private error(loc: Loc, message: string, code = 'syntax', severity: Diag['severity'] = 'error'): void {
    this.diagnostics.push({ code, severity, message, loc: { file: loc.file, start: loc.start, end: loc.end } });
  }

  private defineFromCommandLine(name: string, value: string): void {
    const text = `#define ${name} ${value}\n`;
    const toks = lex(text, CMDLINE);
    this.files.set(CMDLINE, { path: CMDLINE, text });
    const f: Frame = { file: CMDLINE, toks, pos: 1, lexer: undefined, problems: [], conds: [], active: true };
    this.directive(f, toks[0]);
  }

  private pushFile(file: string, text: string): void {
    const builtin = file.startsWith(BUILTIN_PREFIX);
    const cached = builtin ? builtinTokens.get(file) : undefined;
    const problems: LexProblem[] = [];
    let toks: Token[] = [];
    let lexer: Lexer | undefined;
    if (cached && cached.text === text) toks = cached.toks;
    else if (builtin) {
      toks = lex(text, file, problems, !this.opts.assembler);
      this.reportLexProblems(file, problems);
      builtinTokens.set(file, { text, toks });
    } else lexer = new Lexer(text, file, problems, !this.opts.assembler);
    this.files.set(file, { path: file, text });
    this.stack.push({ file, toks, pos: 0, lexer, problems, conds: [], active: true });
  }

  private reportLexProblems(file: string, problems: LexProblem[]): void {
    for (const p of problems) this.error({ file, start: p.start, end: p.end }, p.message, 'syntax', p.severity ?? 'error');
    problems.length = 0;
  }

  /** The token `k` places after f.pos (EOF past the end of the file). */
  private at(f: Frame, k: number): Token {
    const t = f.toks[f.pos + k];
    return t !== undefined ? t : this.lexMore(f, k);
  }

  private lexMore(f: Frame, k: number): Token {
    const lexer = f.lexer;
    if (lexer) {
      // Nothing looks back in a frame: the tokens before pos are dropped, so that those the
      // syntax tree does not keep can be collected young.
      const toks = f.pos > 0 ? f.toks.slice(f.pos) : f.toks;
      f.toks = toks;
      f.pos = 0;
      while (toks.length <= k && lexer.fill(toks, this.lexChunk));
      if (lexer.done) f.lexer = undefined;
      if (f.problems.length) this.reportLexProblems(f.file, f.problems);
    }
    const toks = f.toks;
    const i = f.pos + k;
    return toks[i < toks.length ? i : toks.length - 1];
  }

  // ---- raw token stream with directives ---------------------------------------------------

  private active(f: Frame): boolean {
    return f.active;
  }

  private updateActive(f: Frame): void {
    const c = f.conds[f.conds.length - 1];
    f.active = !c || c.active;
  }

  /** Next token from the files (directives handled, inactive code skipped); undefined at the end. */
  private nextRaw(): Token | undefined {
    for (;;) {
      const f = this.stack[this.stack.length - 1];
      if (!f) return undefined;
      let t = f.toks[f.pos];
      if (t === undefined) t = this.lexMore(f, 0);
      if (t.kind === TK.EOF) {
        for (const c of f.conds) this.error(locOf(c.tok), `unterminated #${c.tok.text === '#' ? 'if' : c.tok.text}: missing #endif`);
        this.stack.pop();
        if (this.recording && this.stack.length < this.recording.depth) this.finishRecording();
        continue;
      }
      if (t.bol && t.kind === TK.Punct && t.text === '#' && !(this.opts.assembler && !this.namesDirective(f))) {
        f.pos++;
        this.directive(f, t);
        continue;
      }
      if (t.bol && this.opts.dtcInclude && this.dtcInclude(f)) continue;
      f.pos++;
      if (!this.active(f)) continue;
      if (this.recording) this.recording.ok = false;
      return t;
    }
  }

  /** The `#` at f.pos starts a directive: a directive name or nothing follows on its line. */
  private namesDirective(f: Frame): boolean {
    const name = this.at(f, 1);
    return name.kind === TK.EOF || name.bol || (name.kind === TK.Ident && DIRECTIVES.has(name.text));
  }

  /** Handles `/include/ "FILE"` at f.pos (dtc's include); false when that is not what is there. */
  private dtcInclude(f: Frame): boolean {
    // Each test reads one token further only when the previous one was not the end (EOF).
    if (this.at(f, 0).text !== '/') return false;
    const word = this.at(f, 1);
    if (word.text !== 'include' || word.space || word.bol) return false;
    const slash = this.at(f, 2);
    if (slash.text !== '/' || slash.space || slash.bol) return false;
    const file = this.at(f, 3);
    if (file.kind !== TK.String || file.bol) return false;
    f.pos += 4;
    if (this.active(f)) this.include(f, word, [file]);
    return true;
  }

  /** Tokens of the rest of the directive line (not including the next line's first token). */
  private lineRest(f: Frame): Token[] {
    const out: Token[] = [];
    for (let t = this.at(f, 0); t.kind !== TK.EOF && !t.bol; t = this.at(f, 0)) {
      out.push(t);
      f.pos++;
    }
    return out;
  }

  private directive(f: Frame, hash: Token): void {
    this.directiveInner(f, hash);
    this.updateActive(f);
  }

  private directiveInner(f: Frame, hash: Token): void {
    const nameTok = this.at(f, 0);
    if (nameTok.kind === TK.EOF || nameTok.bol) return; // null directive
    f.pos++;
    const name = nameTok.text;
    const rest = this.lineRest(f);
    const active = this.active(f);
    const cond = f.conds[f.conds.length - 1];
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        let v = false;
        if (active) {
          if (name === 'if') {
            if (this.recording) this.recording.ok = false;
            v = this.evalIf(rest, nameTok);
          } else {
            const id = rest[0];
            if (!id || id.kind !== TK.Ident) this.error(locOf(nameTok), `#${name} needs a macro name`);
            else {
              const has = this.macros.has(id.text);
              if (this.recording && !this.recording.tests.has(id.text)) this.recording.tests.set(id.text, has);
              v = has === (name === 'ifdef');
            }
            if (rest.length > 1) this.error(spanLoc(rest[1], rest[rest.length - 1]), `extra tokens after #${name}`, 'syntax', 'warning');
          }
        }
        f.conds.push({ taken: v, active: active && v, parentActive: active, sawElse: false, tok: nameTok });
        return;
      }
      case 'elif': {
        if (this.recording) this.recording.ok = false;
        if (!cond) return this.error(spanLoc(hash, nameTok), '#elif without #if');
        if (cond.sawElse) this.error(spanLoc(hash, nameTok), '#elif after #else');
        let v = false;
        if (cond.parentActive && !cond.taken) v = this.evalIf(rest, nameTok);
        cond.active = cond.parentActive && !cond.taken && v;
        cond.taken ||= v;
        return;
      }
      case 'else':
        if (!cond) return this.error(spanLoc(hash, nameTok), '#else without #if');
        if (cond.sawElse) this.error(spanLoc(hash, nameTok), '#else after #else');
        cond.sawElse = true;
        cond.active = cond.parentActive && !cond.taken;
        cond.taken = true;
        return;
      case 'endif':
        if (!cond) return this.error(spanLoc(hash, nameTok), '#endif without #if');
        f.conds.pop();
        return;
    }
    if (!active) return;
    switch (name) {
      case 'define':
        return this.define(nameTok, rest);
      case 'undef':
        if (this.recording) this.recording.ok = false;
        if (rest[0]?.kind === TK.Ident) {
          this.macros.delete(rest[0].text);
          this.defs.delete(rest[0].text);
          this.table.version++;
        }
        else this.error(locOf(nameTok), '#undef needs a macro name');
        return;
      case 'include':
        return this.include(f, nameTok, rest);
      case 'error':
        return this.error(spanLoc(hash, rest[rest.length - 1] ?? nameTok), `#error ${rest.map((t) => t.text).join(' ')}`);
      case 'warning':
        return this.error(spanLoc(hash, rest[rest.length - 1] ?? nameTok), `#warning ${rest.map((t) => t.text).join(' ')}`, 'syntax', 'warning');
      case 'pragma':
      case 'line':
      case 'ident':
        return;
      default:
        this.error(spanLoc(hash, nameTok), `unknown preprocessor directive #${name}`);
    }
  }

  private define(dirTok: Token, rest: Token[]): void {
    const nameTok = rest[0];
    if (!nameTok || nameTok.kind !== TK.Ident) return this.error(locOf(dirTok), '#define needs a macro name');
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
          this.error(locOf(t), `unexpected '${t.text}' in macro parameter list`);
        }
      }
      if (!ok) return this.error(locOf(nameTok), `missing ')' in parameter list of macro ${nameTok.text}`);
    }
    const body = rest.slice(i);
    const file = this.files.get(nameTok.file);
    const bodyText = body.length && file ? file.text.slice(body[0].start, body[body.length - 1].end) : body.map((t) => t.text).join(' ');
    const def: MacroDef = {
      name: nameTok.text,
      params,
      body: bodyText.replace(/\\\s*\n\s*/g, ' '),
      loc: { file: nameTok.file, start: nameTok.start, end: nameTok.end },
      builtin: nameTok.file.startsWith(BUILTIN_PREFIX),
    };
    const old = this.macros.get(nameTok.text);
    if (old && !sameDefinition(old, params, body)) {
      this.error(locOf(nameTok), `macro ${nameTok.text} redefined (previous definition ${old.def.builtin ? 'in the Jailhouse headers' : 'earlier'})`, 'syntax', 'warning');
    }
    let bodyParams: Int32Array | undefined;
    if (params?.length) {
      bodyParams = new Int32Array(body.length);
      for (let j = 0; j < body.length; j++) bodyParams[j] = body[j].kind === TK.Ident ? params.indexOf(body[j].text) : -1;
    }
    const pastes = body.some((t) => t.kind === TK.Punct && t.text === '##');
    const macro: Macro = { def, params, variadic, body, bodyParams, pastes };
    this.macros.set(nameTok.text, macro);
    this.defs.set(nameTok.text, def);
    this.table.version++;
    if (this.recording) this.recording.defines.push(macro);
  }

  private include(f: Frame, dirTok: Token, rest: Token[]): void {
    let toks = rest;
    if (toks[0] && toks[0].kind === TK.Ident) toks = this.expandList(toks);
    let spec: string | undefined;
    let angled = false;
    const first = toks[0];
    if (first?.kind === TK.String) spec = first.text.slice(1, -1);
    else if (first?.text === '<') {
      const close = toks.findIndex((t) => t.text === '>');
      if (close > 0) {
        const fileText = this.files.get(first.file)?.text;
        spec = fileText && toks[close].file === first.file ? fileText.slice(first.end, toks[close].start) : toks.slice(1, close).map((t) => t.text).join('');
        angled = true;
      }
    }
    const loc = rest.length ? spanLoc(rest[0], rest[rest.length - 1]) : locOf(dirTok);
    if (spec === undefined) {
      this.error(loc, '#include expects "FILE" or <FILE>', 'include');
      return;
    }
    const ref: IncludeRef = { loc, spec };
    this.includes.push(ref);
    if (this.recording) this.recording.includes.push(ref);
    if (this.stack.length > LIMITS.maxIncludeDepth) {
      this.error(loc, `#include nested more than ${LIMITS.maxIncludeDepth} levels deep`, 'include');
      return;
    }
    const resolved = this.resolveInclude(spec, angled, f.file);
    if (!resolved) {
      this.error(loc, `cannot find include file ${angled ? `<${spec}>` : `"${spec}"`}`, 'include');
      return;
    }
    if (this.stack.some((fr) => fr.file === resolved.path)) {
      this.error(loc, `cyclic #include of ${angled ? `<${spec}>` : `"${spec}"`}`, 'include');
      return;
    }
    if (resolved.error !== undefined || resolved.text === undefined) {
      this.error(loc, resolved.error ?? `cannot read ${spec}`, 'include');
      return;
    }
    ref.target = resolved.path;
    if (resolved.path.startsWith(BUILTIN_PREFIX) && !this.recording) {
      if (this.replayHeader(resolved.path)) return;
      this.recording = { path: resolved.path, depth: this.stack.length + 1, tests: new Map(), defines: [], includes: [], files: [], diags: this.diagnostics.length, ok: true };
    }
    if (this.recording && resolved.path.startsWith(BUILTIN_PREFIX)) this.recording.files.push({ path: resolved.path, text: resolved.text });
    this.pushFile(resolved.path, resolved.text);
  }

  // ---- memoized built-in headers ----------------------------------------------------------
  // Every config includes the same two headers; what they define depends only on which of the
  // names they test are already defined. Their effect is recorded once and replayed.

  private replayHeader(p: string): boolean {
    const memo = headerMemo.get(p);
    if (!memo) return false;
    for (const [name, was] of memo.tests) if (this.macros.has(name) !== was) return false;
    for (const m of memo.defines) if (this.macros.has(m.def.name)) return false;
    for (const m of memo.defines) {
      this.macros.set(m.def.name, m);
      this.defs.set(m.def.name, m.def);
    }
    this.table.version++;
    for (const inc of memo.includes) this.includes.push({ ...inc });
    for (const f of memo.files) if (!this.files.has(f.path)) this.files.set(f.path, { path: f.path, text: f.text });
    return true;
  }

  private finishRecording(): void {
    const r = this.recording!;
    this.recording = undefined;
    if (r.ok && this.diagnostics.length === r.diags) {
      headerMemo.set(r.path, { tests: r.tests, defines: r.defines, includes: r.includes, files: r.files });
    }
  }

  private resolveInclude(spec: string, angled: boolean, from: string): { path: string; text?: string; error?: string } | undefined {
    const builtin = this.opts.builtinHeaders !== false;
    if (angled && builtin) {
      const text = builtinHeader(spec) ?? this.opts.extraHeaders?.(spec);
      if (text !== undefined) return { path: BUILTIN_PREFIX + spec, text };
    }
    const dirs: string[] = [];
    if (!angled && !from.startsWith('<')) dirs.push(path.dirname(from));
    dirs.push(...(this.opts.includeDirs ?? []));
    for (const dir of dirs) {
      const p = path.resolve(dir, spec);
      const viaReader = this.opts.readFile?.(p);
      if (viaReader !== undefined) return { path: p, text: viaReader };
      if (fs.existsSync(p)) {
        const r = readSourceFile(p);
        return { path: p, text: r.text, error: r.error };
      }
    }
    if (!angled) {
      const text = (builtin ? builtinHeader(spec) : undefined) ?? this.opts.extraHeaders?.(spec);
      if (text !== undefined) return { path: BUILTIN_PREFIX + spec, text };
    }
    if (angled && !builtin) {
      const text = this.opts.extraHeaders?.(spec);
      if (text !== undefined) return { path: BUILTIN_PREFIX + spec, text };
    }
    return undefined;
  }

  // ---- #if ------------------------------------------------------------------------------

  private evalIf(rest: Token[], dirTok: Token): boolean {
    if (!rest.length) {
      this.error(locOf(dirTok), `#${dirTok.text} with no expression`);
      return false;
    }
    // `defined X` / `defined(X)` first, then macro expansion, then leftover identifiers are 0.
    const pre: Token[] = [];
    for (let i = 0; i < rest.length; i++) {
      const t = rest[i];
      if (t.kind === TK.Ident && t.text === 'defined') {
        let j = i + 1;
        const paren = rest[j]?.text === '(';
        if (paren) j++;
        const id = rest[j];
        if (!id || id.kind !== TK.Ident) {
          this.error(locOf(t), "'defined' needs a macro name");
          pre.push(withTok(t, { kind: TK.Number, text: '0' }));
          continue;
        }
        if (paren && rest[j + 1]?.text !== ')') this.error(locOf(id), "missing ')' after 'defined'");
        pre.push(withTok(t, { kind: TK.Number, text: this.macros.has(id.text) ? '1' : '0', noExpand: true }));
        i = paren ? j + 1 : j;
        continue;
      }
      pre.push(t);
    }
    const expanded = this.expandList(pre).map((t) => (t.kind === TK.Ident && t.text !== 'sizeof' ? withTok(t, { kind: TK.Number, text: t.text === 'true' ? '1' : '0' }) : t));
    const last = expanded[expanded.length - 1] ?? dirTok;
    expanded.push(token(TK.EOF, '', last.file, last.end, last.end, true, false, undefined, locOf(last), undefined, undefined, false));
    let failed = false;
    const c = new Cursor(expanded, (tok, message) => {
      if (!failed) this.error(locOf(tok), `in #${dirTok.text}: ${message}`);
      failed = true;
    });
    const e = parseExpr(c);
    if (!c.atEnd() && !failed) this.error(locOf(c.peek()), `in #${dirTok.text}: unexpected '${c.peek().text}'`);
    const v = this.evalPP(e, dirTok);
    return v.v !== 0n;
  }

  /** `#if` arithmetic: every value is intmax_t/uintmax_t (64 bits). */
  private evalPP(e: Expr, dirTok: Token): CVal {
    const widen = (a: CVal): CVal => ({ v: a.v, t: a.t.unsigned ? ULONG : LONG });
    switch (e.k) {
      case 'num': {
        const r = parseIntLiteral(e.tok.text);
        if (r.error) this.error(locOf(e.tok), r.error, 'value-range');
        return widen(r.val);
      }
      case 'char':
        return { v: BigInt(e.tok.text.charCodeAt(1) || 0), t: LONG };
      case 'paren':
        return this.evalPP(e.e, dirTok);
      case 'unary': {
        const r = unary(e.op, this.evalPP(e.arg, dirTok));
        return widen(r.val);
      }
      case 'binary': {
        const a = this.evalPP(e.l, dirTok);
        if (e.op === '&&' && a.v === 0n) return { v: 0n, t: LONG };
        if (e.op === '||' && a.v !== 0n) return { v: 1n, t: LONG };
        const r = binary(e.op, a, this.evalPP(e.r, dirTok));
        if (r.error) this.error(locOf(e.tok), `in #${dirTok.text}: ${r.error}`, 'value-range');
        return widen(r.val);
      }
      case 'cond':
        return this.evalPP(e.c, dirTok).v !== 0n ? this.evalPP(e.t, dirTok) : this.evalPP(e.f, dirTok);
      default:
        return { v: 0n, t: LONG };
    }
  }

  // ---- macro expansion ------------------------------------------------------------------

  /** Next fully expanded output token of the main stream. */
  private nextExpanded(): Token | undefined {
    const pending = this.pending;
    for (;;) {
      const t = pending.length ? pending.pop() : this.nextRaw();
      if (!t) return undefined;
      if (t.kind !== TK.Ident || t.noExpand) return t;
      const m = this.macros.get(t.text);
      if (!m) return t;
      if (t.hide?.has(t.text)) return withTok(t, { noExpand: true });
      if (!this.expandAt(t, m, this.main)) return t;
    }
  }

  private read(src: Source): Token | undefined {
    return src.stack.length ? src.stack.pop() : src.raw ? this.nextRaw() : undefined;
  }

  /** Fully expands a finite token list (macro arguments, #if and #include lines). */
  private expandList(toks: Token[]): Token[] {
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
  private expandAt(nameTok: Token, m: Macro, src: Source): boolean {
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
        this.error(spanLoc(nameTok, last), `macro ${m.def.name} expects ${m.params.length} argument${m.params.length === 1 ? '' : 's'}, got ${args.length}`);
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
      this.error(invLoc, `macro expansion of ${m.def.name} produces too many tokens; stopped expanding`, 'syntax');
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
        this.error(spanLoc(nameTok, open), `unterminated argument list of macro ${nameTok.text}`);
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
        const asText = this.opts.assembler === true;
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
      if (!this.argDepthReported) this.error(invLoc, `macro arguments nested more than ${LIMITS.maxArgNesting} deep; not expanded further`);
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
        const asText = this.opts.assembler === true;
        if (joined.length !== 2 && !asText) this.error(invLoc, `pasting "${left.text}" and "${right.text}" does not give a valid token`);
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
  const p = new Preprocessor({}, Infinity);
  p.useTable(table);
  const hide = new Set([name]);
  return tokensToText(p.expandTokens(body.map((t) => withTok(t, { hide }))), true);
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
