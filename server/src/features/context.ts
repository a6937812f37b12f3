// What every feature receives: the analysed document (parsed once, shared) and, when known,
// the other files of its system.
import type { Analysis } from '../core/analysis';
import type { Grouping } from '../rules/types';
import type { Token } from '../syntax/lexer';
import { tokensOf } from './cursor';

export interface SystemView {
  root?: Analysis;
  cells: Analysis[];
  /** Per cell file: why it is checked with `root` (or without one); for the header hover. */
  grouping?: Record<string, Grouping>;
  declaredIn?: string;
}

export interface FeatureContext {
  /** The system the document belongs to (root and cells), for cross-file answers. */
  system?: SystemView;
}

/** A document as features see it: its analysis plus its raw tokens (lexed once, lazily). */
export class Doc {
  private toks?: Token[];
  constructor(
    readonly analysis: Analysis,
    readonly text: string,
  ) {}
  get file(): string {
    return this.analysis.file;
  }
  get tokens(): Token[] {
    return (this.toks ??= tokensOf(this.text));
  }
}
