// What every feature receives: the analysed document (parsed once, shared) and, when known,
// the other files of its system.
import type { Analysis } from '../core/analysis';
import type { System } from '../workspace/system';
import type { Token } from '../syntax/lexer';
import { tokensOf } from './cursor';


export interface FeatureContext {
  /** The system the document belongs to (root and cells), for cross-file answers. */
  system?: System;
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
