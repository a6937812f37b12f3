// The C preprocessor, as far as configs and device trees need it, with a source map:
// every output token knows where it came from. A token written in a macro argument keeps its
// own location; one produced by a macro body points at the outermost invocation in the file.
// Hostile input (self-referencing macros, include cycles, huge files) ends in a diagnostic.
// This file reads the files and dispatches directives; the parts live beside it: ppFrame.ts
// (one file's tokens), includes.ts (finding and reading files), conditionals.ts (#if and its
// stack), macros.ts (#define and expansion), headerReplay.ts (built-in headers read once).
import type { IncludeRef, MacroDef, MacroUse } from '../core/analysis';
import type { Diag } from '../core/diagnostics';
import type { SourceFile } from '../util/source';
import { BUILTIN_PREFIX } from './builtinHeaders';
import { Conditionals } from './conditionals';
import { HeaderRecorder } from './headerReplay';
import { includeSpec, resolveInclude } from './includes';
import { lex, locOf, spanLoc, TK, token, withTok, type Token } from './lexer';
import { MacroExpander, parseDefine, type Source } from './macros';
import { Frame, openFile } from './ppFrame';
import { LIMITS, type PreprocessOptions } from './ppOptions';
import { PpReport } from './ppReport';

export { readSourceFile } from './includes';
export { tokensToText } from './macros';
export type { PreprocessOptions } from './ppOptions';

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

const CMDLINE = '<command line>';

/** Tokens lexed at a time from a file when streaming. */
const LEX_CHUNK = 512;

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

class Preprocessor {
  private readonly report = new PpReport();
  private readonly expander: MacroExpander;
  private readonly recorder = new HeaderRecorder();
  private readonly conditionals: Conditionals;
  private readonly includes: IncludeRef[] = [];
  private readonly files = new Map<string, SourceFile>();
  /** The include stack: the file being read is last. */
  private readonly stack: Frame[] = [];
  /** Tokens waiting to be rescanned, in reverse order (the next one is last). */
  private readonly pending: Token[] = [];
  private readonly main: Source = { stack: this.pending, raw: true };
  private mainFile = '';
  private mainLength = 0;

  constructor(
    private readonly opts: PreprocessOptions,
    /** Tokens lexed at a time from a file. */
    private readonly lexChunk: number,
  ) {
    this.expander = new MacroExpander(this.report, opts.assembler === true, () => this.nextRaw());
    this.conditionals = new Conditionals(this.report, this.expander, this.recorder);
  }

  start(file: string, text: string): void {
    this.expander.budget = Math.max(LIMITS.minExpansionBudget, text.length * LIMITS.maxExpansionFactor);
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
      diagnostics: this.report.diagnostics,
      macros: this.expander.defs,
      uses: this.expander.uses,
      includes: this.includes,
      files: this.files,
    };
  }

  private defineFromCommandLine(name: string, value: string): void {
    const text = `#define ${name} ${value}\n`;
    const toks = lex(text, CMDLINE);
    this.files.set(CMDLINE, { path: CMDLINE, text });
    const f = new Frame(CMDLINE, toks, undefined, [], this.lexChunk, this.report);
    f.pos = 1;
    this.directive(f, toks[0]);
  }

  private pushFile(file: string, text: string): void {
    const frame = openFile(file, text, this.opts.assembler === true, this.lexChunk, this.report);
    this.files.set(file, { path: file, text });
    this.stack.push(frame);
  }

  // ---- raw token stream with directives ---------------------------------------------------

  /** Next token from the files (directives handled, inactive code skipped); undefined at the end. */
  private nextRaw(): Token | undefined {
    for (;;) {
      const f = this.stack[this.stack.length - 1];
      if (!f) return undefined;
      let t = f.toks[f.pos];
      if (t === undefined) t = f.lexMore(0);
      if (t.kind === TK.EOF) {
        this.conditionals.unterminated(f);
        this.stack.pop();
        this.recorder.fileEnded(this.stack.length, this.report.diagnostics.length);
        continue;
      }
      if (t.bol && t.kind === TK.Punct && t.text === '#' && !(this.opts.assembler && !this.namesDirective(f))) {
        f.pos++;
        this.directive(f, t);
        continue;
      }
      if (t.bol && this.opts.dtcInclude && this.dtcInclude(f)) continue;
      f.pos++;
      if (!f.active) continue;
      this.recorder.spoil();
      return t;
    }
  }

  /** The `#` at f.pos starts a directive: a directive name or nothing follows on its line. */
  private namesDirective(f: Frame): boolean {
    const name = f.at(1);
    return name.kind === TK.EOF || name.bol || (name.kind === TK.Ident && DIRECTIVES.has(name.text));
  }

  /** Handles `/include/ "FILE"` at f.pos (dtc's include); false when that is not what is there. */
  private dtcInclude(f: Frame): boolean {
    // Each test reads one token further only when the previous one was not the end (EOF).
    if (f.at(0).text !== '/') return false;
    const word = f.at(1);
    if (word.text !== 'include' || word.space || word.bol) return false;
    const slash = f.at(2);
    if (slash.text !== '/' || slash.space || slash.bol) return false;
    const file = f.at(3);
    if (file.kind !== TK.String || file.bol) return false;
    f.pos += 4;
    if (f.active) this.include(f, word, [file]);
    return true;
  }

  private directive(f: Frame, hash: Token): void {
    this.directiveInner(f, hash);
    this.conditionals.updateActive(f);
  }

  private directiveInner(f: Frame, hash: Token): void {
    const nameTok = f.at(0);
    if (nameTok.kind === TK.EOF || nameTok.bol) return; // null directive
    f.pos++;
    const name = nameTok.text;
    const rest = f.lineRest();
    if (this.conditionals.directive(f, name, hash, nameTok, rest)) return;
    if (!f.active) return;
    const report = this.report;
    switch (name) {
      case 'define': {
        const macro = parseDefine(nameTok, rest, this.files, report);
        if (!macro) return;
        this.expander.define(macro, rest[0]);
        this.recorder.noteDefine(macro);
        return;
      }
      case 'undef':
        this.recorder.spoil();
        if (rest[0]?.kind === TK.Ident) this.expander.undefine(rest[0].text);
        else report.error(locOf(nameTok), '#undef needs a macro name');
        return;
      case 'include':
        return this.include(f, nameTok, rest);
      case 'error':
        return report.error(spanLoc(hash, rest[rest.length - 1] ?? nameTok), `#error ${rest.map((t) => t.text).join(' ')}`);
      case 'warning':
        return report.error(spanLoc(hash, rest[rest.length - 1] ?? nameTok), `#warning ${rest.map((t) => t.text).join(' ')}`, 'syntax', 'warning');
      case 'pragma':
      case 'line':
      case 'ident':
        return;
      default:
        report.error(spanLoc(hash, nameTok), `unknown preprocessor directive #${name}`);
    }
  }

  private include(f: Frame, dirTok: Token, rest: Token[]): void {
    const toks = rest[0] && rest[0].kind === TK.Ident ? this.expander.expandList(rest) : rest;
    const named = includeSpec(toks, this.files);
    const loc = rest.length ? spanLoc(rest[0], rest[rest.length - 1]) : locOf(dirTok);
    if (!named) {
      this.report.error(loc, '#include expects "FILE" or <FILE>', 'include');
      return;
    }
    const { spec, angled } = named;
    const ref: IncludeRef = { loc, spec };
    this.includes.push(ref);
    this.recorder.noteInclude(ref);
    if (this.stack.length > LIMITS.maxIncludeDepth) {
      this.report.error(loc, `#include nested more than ${LIMITS.maxIncludeDepth} levels deep`, 'include');
      return;
    }
    const resolved = resolveInclude(this.opts, spec, angled, f.file);
    if (!resolved) {
      this.report.error(loc, `cannot find include file ${angled ? `<${spec}>` : `"${spec}"`}`, 'include');
      return;
    }
    if (this.stack.some((fr) => fr.file === resolved.path)) {
      this.report.error(loc, `cyclic #include of ${angled ? `<${spec}>` : `"${spec}"`}`, 'include');
      return;
    }
    if (resolved.error !== undefined || resolved.text === undefined) {
      this.report.error(loc, resolved.error ?? `cannot read ${spec}`, 'include');
      return;
    }
    ref.target = resolved.path;
    const builtin = resolved.path.startsWith(BUILTIN_PREFIX);
    if (builtin && !this.recorder.recordingNow) {
      if (this.recorder.replay(resolved.path, this.expander, this.includes, this.files)) return;
      this.recorder.start(resolved.path, this.stack.length + 1, this.report.diagnostics.length);
    }
    if (builtin) this.recorder.noteFile(resolved.path, resolved.text);
    this.pushFile(resolved.path, resolved.text);
  }

  // ---- macro expansion of the main stream --------------------------------------------------

  /** Next fully expanded output token of the main stream. */
  private nextExpanded(): Token | undefined {
    const pending = this.pending;
    const expander = this.expander;
    const macros = expander.macros;
    for (;;) {
      const t = pending.length ? pending.pop() : this.nextRaw();
      if (!t) return undefined;
      if (t.kind !== TK.Ident || t.noExpand) return t;
      const m = macros.get(t.text);
      if (!m) return t;
      if (t.hide?.has(t.text)) return withTok(t, { noExpand: true });
      if (!expander.expandAt(t, m, this.main)) return t;
    }
  }
}
