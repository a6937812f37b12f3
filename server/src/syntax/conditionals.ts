// Conditional compilation: the `#if` / `#ifdef` / `#ifndef` / `#elif` / `#else` / `#endif`
// stack of each file, and `#if` arithmetic (intmax_t/uintmax_t, as cpp has it).
import { binary, parseIntLiteral, unary, type CVal, LONG, ULONG } from './cint';
import { Cursor, parseExpr, type Expr } from './expr';
import type { HeaderRecorder } from './headerReplay';
import { locOf, spanLoc, TK, token, withTok, type Token } from './lexer';
import type { MacroExpander } from './macros';
import type { PpReport } from './ppReport';

export interface Cond {
  /** Some branch of this #if chain was taken. */
  taken: boolean;
  /** The current branch is active (and every enclosing one). */
  active: boolean;
  parentActive: boolean;
  sawElse: boolean;
  tok: Token;
}

/** The conditionals opened in one file. */
export interface CondState {
  readonly conds: Cond[];
  /** The innermost conditional is active: cached, as it is read for every token. */
  active: boolean;
}

export class Conditionals {
  constructor(
    private readonly report: PpReport,
    private readonly expander: MacroExpander,
    private readonly recorder: HeaderRecorder,
  ) {}

  /** Handles a conditional directive; false when `name` is another directive. */
  directive(f: CondState, name: string, hash: Token, nameTok: Token, rest: Token[]): boolean {
    const active = f.active;
    const cond = f.conds[f.conds.length - 1];
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        let v = false;
        if (active) {
          if (name === 'if') {
            this.recorder.spoil();
            v = this.evalIf(rest, nameTok);
          } else {
            const id = rest[0];
            if (!id || id.kind !== TK.Ident) this.report.error(locOf(nameTok), `#${name} needs a macro name`);
            else {
              const has = this.expander.macros.has(id.text);
              this.recorder.noteTest(id.text, has);
              v = has === (name === 'ifdef');
            }
            if (rest.length > 1) this.report.error(spanLoc(rest[1], rest[rest.length - 1]), `extra tokens after #${name}`, 'syntax', 'warning');
          }
        }
        f.conds.push({ taken: v, active: active && v, parentActive: active, sawElse: false, tok: nameTok });
        return true;
      }
      case 'elif': {
        this.recorder.spoil();
        if (!cond) {
          this.report.error(spanLoc(hash, nameTok), '#elif without #if');
          return true;
        }
        if (cond.sawElse) this.report.error(spanLoc(hash, nameTok), '#elif after #else');
        let v = false;
        if (cond.parentActive && !cond.taken) v = this.evalIf(rest, nameTok);
        cond.active = cond.parentActive && !cond.taken && v;
        cond.taken ||= v;
        return true;
      }
      case 'else':
        if (!cond) {
          this.report.error(spanLoc(hash, nameTok), '#else without #if');
          return true;
        }
        if (cond.sawElse) this.report.error(spanLoc(hash, nameTok), '#else after #else');
        this.extraTokens(cond, name, rest);
        cond.sawElse = true;
        cond.active = cond.parentActive && !cond.taken;
        cond.taken = true;
        return true;
      case 'endif':
        if (!cond) {
          this.report.error(spanLoc(hash, nameTok), '#endif without #if');
          return true;
        }
        this.extraTokens(cond, name, rest);
        f.conds.pop();
        return true;
    }
    return false;
  }

  /**
   * `#else X` / `#endif X`: gcc warns (-Wendif-labels, on by default) when the conditional itself
   * is read, i.e. its enclosing text is compiled; `-Werror` builds then fail.
   */
  private extraTokens(cond: { parentActive: boolean }, name: string, rest: Token[]): void {
    if (cond.parentActive && rest.length) this.report.error(spanLoc(rest[0], rest[rest.length - 1]), `extra tokens after #${name}`, 'syntax', 'warning');
  }

  /** After a directive: whether the file's text is compiled now. */
  updateActive(f: CondState): void {
    const c = f.conds[f.conds.length - 1];
    f.active = !c || c.active;
  }

  /** At the end of a file: every conditional still open is missing its #endif. */
  unterminated(f: CondState): void {
    for (const c of f.conds) this.report.error(locOf(c.tok), `unterminated #${c.tok.text === '#' ? 'if' : c.tok.text}: missing #endif`);
  }

  private evalIf(rest: Token[], dirTok: Token): boolean {
    if (!rest.length) {
      this.report.error(locOf(dirTok), `#${dirTok.text} with no expression`);
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
          this.report.error(locOf(t), "'defined' needs a macro name");
          pre.push(withTok(t, { kind: TK.Number, text: '0' }));
          continue;
        }
        if (paren && rest[j + 1]?.text !== ')') this.report.error(locOf(id), "missing ')' after 'defined'");
        pre.push(withTok(t, { kind: TK.Number, text: this.expander.macros.has(id.text) ? '1' : '0', noExpand: true }));
        i = paren ? j + 1 : j;
        continue;
      }
      pre.push(t);
    }
    const expanded = this.expander.expandList(pre).map((t) => (t.kind === TK.Ident && t.text !== 'sizeof' ? withTok(t, { kind: TK.Number, text: t.text === 'true' ? '1' : '0' }) : t));
    const last = expanded[expanded.length - 1] ?? dirTok;
    expanded.push(token(TK.EOF, '', last.file, last.end, last.end, true, false, undefined, locOf(last), undefined, undefined, false));
    let failed = false;
    const c = new Cursor(expanded, (tok, message) => {
      if (!failed) this.report.error(locOf(tok), `in #${dirTok.text}: ${message}`);
      failed = true;
    });
    const e = parseExpr(c);
    if (!c.atEnd() && !failed) this.report.error(locOf(c.peek()), `in #${dirTok.text}: unexpected '${c.peek().text}'`);
    const v = this.evalPP(e, dirTok);
    return v.v !== 0n;
  }

  /** `#if` arithmetic: every value is intmax_t/uintmax_t (64 bits). */
  private evalPP(e: Expr, dirTok: Token): CVal {
    const widen = (a: CVal): CVal => ({ v: a.v, t: a.t.unsigned ? ULONG : LONG });
    switch (e.k) {
      case 'num': {
        const r = parseIntLiteral(e.tok.text);
        if (r.error) this.report.error(locOf(e.tok), r.error, 'value-range');
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
        if (r.error) this.report.error(locOf(e.tok), `in #${dirTok.text}: ${r.error}`, 'value-range');
        return widen(r.val);
      }
      case 'cond':
        return this.evalPP(e.c, dirTok).v !== 0n ? this.evalPP(e.t, dirTok) : this.evalPP(e.f, dirTok);
      default:
        return { v: 0n, t: LONG };
    }
  }
}
