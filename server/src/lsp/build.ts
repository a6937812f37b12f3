// `jailhouse/buildImage` {uri} → the `.cell` image of a config written beside it, as `jhcell
// build` writes it (binary/buildPolicy.ts decides), or why not. The text built is the one the
// server has: an open buffer as it is (the VS Code command saves it first).
import type { Connection } from 'vscode-languageserver/node';
import { buildImage, refusalReason } from '../binary/buildPolicy';
import { imagePathFor, writeImageFile } from '../binary/imageFile';
import { BuildImageRequest, type BuildImageResult, type UriParams } from '../protocol/methods';
import { pathToUri, toRange, uriToPath } from './convert';
import type { Session } from './session';

export function registerBuild(connection: Connection, session: Session): void {
  connection.onRequest(BuildImageRequest, (p: UriParams): BuildImageResult => {
    try {
      return buildFromServer(session, p?.uri ?? '');
    } catch (e) {
      connection.console.error(`buildImage failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { refused: `internal error: ${e instanceof Error ? e.message : String(e)}`, problems: [], warnings: [] };
    }
  });
}

export function buildFromServer(session: Session, uri: string): BuildImageResult {
  const file = uriToPath(uri);
  if (!file) return { refused: `not a file on disk: ${uri}`, problems: [], warnings: [] };
  const analysis = session.cache.get(file);
  if (!analysis) return { refused: `cannot read ${file}`, problems: [], warnings: [] };
  const r = buildImage(analysis);
  const lookup = (f: string) => session.files.source(f) ?? analysis.files.get(f);
  const problems = r.refusedBy
    .filter((d) => !d.loc.file.startsWith('<'))
    .map((d) => ({ uri: pathToUri(d.loc.file), range: toRange(d.loc, lookup), severity: d.severity, code: d.code, message: d.message }));
  if (!r.bytes) return { refused: refusalReason(r), problems, warnings: [] };
  const out = imagePathFor(file);
  const failed = writeImageFile(out, r.bytes);
  if (failed) return { refused: failed, problems: [], warnings: r.warnings };
  return { written: { file: out, uri: pathToUri(out), bytes: r.bytes.length }, problems: [], warnings: r.warnings };
}
