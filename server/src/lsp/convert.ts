// Translation between engine values (paths, offsets, Diag) and LSP values (URIs, ranges, Diagnostic).
import { URI } from 'vscode-uri';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Location, type Range } from 'vscode-languageserver/node';
import type { Diag, Severity } from '../core/diagnostics';
import { rangeOf, type SourceFile } from '../util/source';
import type { Loc } from '../util/source';

export function uriToPath(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return URI.file(path).toString();
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Looks up the text of a file by path (open buffer, analysis, or disk). */
export type FileLookup = (path: string) => SourceFile | undefined;

const ORIGIN: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function toRange(loc: Loc, files: FileLookup): Range {
  const f = files(loc.file);
  return f ? rangeOf(f, loc) : ORIGIN;
}

export function toLocation(loc: Loc, files: FileLookup): Location {
  return { uri: pathToUri(loc.file), range: toRange(loc, files) };
}


export function toDiagnostic(d: Diag, files: FileLookup): Diagnostic {
  const related: DiagnosticRelatedInformation[] | undefined = d.related
    ?.filter((r) => !r.loc.file.startsWith('<'))
    .map((r) => ({ location: toLocation(r.loc, files), message: r.message }));
  const out: Diagnostic = {
    range: toRange(d.loc, files),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'jailhouse',
    message: d.message,
  };
  if (related?.length) out.relatedInformation = related;
  if (d.data !== undefined) out.data = d.data;
  return out;
}
