// One file being read by the preprocessor: its tokens, lexed a chunk at a time as they are
// needed (or all at once for built-in headers, whose tokens every analysis shares), and the
// conditionals opened in it.
import { BUILTIN_PREFIX } from './builtinHeaders';
import type { Cond, CondState } from './conditionals';
import { lex, Lexer, TK, type LexProblem, type Token } from './lexer';
import type { PpReport } from './ppReport';

/** Lexed built-in headers: tokens are never mutated, so every analysis can share them. */
const builtinTokens = new Map<string, { text: string; toks: Token[] }>();

export class Frame implements CondState {
  /** Tokens read ahead; those before `pos` are dropped as more of the file is lexed. */
  toks: Token[];
  pos = 0;
  /** Lexes the rest of the file (absent once done, and for pre-lexed text). */
  lexer: Lexer | undefined;
  readonly conds: Cond[] = [];
  active = true;

  constructor(
    readonly file: string,
    toks: Token[],
    lexer: Lexer | undefined,
    private readonly problems: LexProblem[],
    /** Tokens lexed at a time. */
    private readonly lexChunk: number,
    private readonly report: PpReport,
  ) {
    this.toks = toks;
    this.lexer = lexer;
  }

  /** The token `k` places after pos (EOF past the end of the file). */
  at(k: number): Token {
    const t = this.toks[this.pos + k];
    return t !== undefined ? t : this.lexMore(k);
  }

  lexMore(k: number): Token {
    const lexer = this.lexer;
    if (lexer) {
      // Nothing looks back in a frame: the tokens before pos are dropped, so that those the
      // syntax tree does not keep can be collected young.
      const toks = this.pos > 0 ? this.toks.slice(this.pos) : this.toks;
      this.toks = toks;
      this.pos = 0;
      while (toks.length <= k && lexer.fill(toks, this.lexChunk));
      if (lexer.done) this.lexer = undefined;
      if (this.problems.length) reportLexProblems(this.report, this.file, this.problems);
    }
    const toks = this.toks;
    const i = this.pos + k;
    return toks[i < toks.length ? i : toks.length - 1];
  }

  /** Tokens of the rest of the directive line (not including the next line's first token). */
  lineRest(): Token[] {
    const out: Token[] = [];
    for (let t = this.at(0); t.kind !== TK.EOF && !t.bol; t = this.at(0)) {
      out.push(t);
      this.pos++;
    }
    return out;
  }
}

/** A frame for a file's text: built-in headers lexed once and shared, other files streamed. */
export function openFile(file: string, text: string, assembler: boolean, lexChunk: number, report: PpReport): Frame {
  const builtin = file.startsWith(BUILTIN_PREFIX);
  const cached = builtin ? builtinTokens.get(file) : undefined;
  const problems: LexProblem[] = [];
  let toks: Token[] = [];
  let lexer: Lexer | undefined;
  if (cached && cached.text === text) toks = cached.toks;
  else if (builtin) {
    toks = lex(text, file, problems, !assembler);
    reportLexProblems(report, file, problems);
    builtinTokens.set(file, { text, toks });
  } else lexer = new Lexer(text, file, problems, !assembler);
  return new Frame(file, toks, lexer, problems, lexChunk, report);
}

function reportLexProblems(report: PpReport, file: string, problems: LexProblem[]): void {
  for (const p of problems) report.error({ file, start: p.start, end: p.end }, p.message, 'syntax', p.severity ?? 'error');
  problems.length = 0;
}
