// Where every part of the preprocessor puts its diagnostics, in the order they are found.
import type { Diag } from '../core/diagnostics';
import type { Loc } from '../util/source';

export class PpReport {
  readonly diagnostics: Diag[] = [];

  error(loc: Loc, message: string, code = 'syntax', severity: Diag['severity'] = 'error'): void {
    this.diagnostics.push({ code, severity, message, loc: { file: loc.file, start: loc.start, end: loc.end } });
  }
}
