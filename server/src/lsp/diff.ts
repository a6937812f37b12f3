// `jailhouse/diffConfig` {uri, against}: the editor's text of a config (unsaved changes and
// all) compared in resource terms with the saved file, a git revision of it or another file
// (a `.cell` image from the target). B is always the editor's text; its includes are read as
// the editor has them. Locations get URIs only where the editor shows that very text.
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { diffConfigs } from '../diff/compare';
import { displayPath } from '../util/paths';
import { fromBytes, fromText, loadRevision, loadSide, readBytes, type Loaded, type LoadResult } from '../diff/load';
import { diffJson, diffText, locOf } from '../diff/report';
import type { Change, DiffSide } from '../diff/types';
import { MAX_SOURCE_BYTES, rangeOf, type Loc } from '../util/source';
import { DiffConfigRequest, type DiffAgainst, type DiffConfigChange, type DiffConfigLoc, type DiffConfigParams, type DiffConfigResult } from '../protocol/methods';
import { pathToUri, uriToPath } from './convert';
import { isJailhouseConfig } from './detect';
import type { Session } from './session';

export function diffConfigOf(session: Session, params: DiffConfigParams): DiffConfigResult {
  const file = uriToPath(params?.uri ?? '');
  if (!file) return { error: `not a file: ${params?.uri}` };
  const text = session.files.read(file);
  if (text === undefined) return { error: `cannot read ${file}` };
  if (!isJailhouseConfig(text, file, session.files)) return { error: `${path.basename(file)} is not a Jailhouse configuration` };
  const { defines, includeDirs } = session.settings;
  const base = path.basename(file);
  const dir = path.dirname(file);
  const editor = fromText(`${base} (editor)`, file, text, { defines, includeDirs, readFile: (p) => session.files.read(p) });
  if ('error' in editor) return { error: `${base}: ${editor.error}` };

  let against: DiffAgainst = params.against ?? 'auto';
  const disk = readBytes(file, MAX_SOURCE_BYTES);
  if (against === 'auto') {
    const saved = typeof disk === 'string' ? undefined : Buffer.from(disk).toString('utf8');
    against = saved !== undefined && saved !== text ? 'saved' : 'head';
  }
  let other: LoadResult;
  let words: string;
  // Which side's locations point into text the editor shows (and may link to).
  let otherLinks = false;
  if (against === 'saved') {
    words = 'the saved file';
    // Includes from the disk too: the saved state as the compiler would see it.
    other = typeof disk === 'string' ? { error: disk } : fromBytes(`${base} (saved)`, file, disk, { defines, includeDirs });
  } else if (against === 'head' || 'revision' in against) {
    const rev = against === 'head' ? 'HEAD' : against.revision.trim();
    words = rev;
    other = rev ? loadRevision(rev, file, { defines, includeDirs, cwd: dir }, `${rev}:${base}`) : { error: 'no revision given' };
  } else {
    words = against.file;
    other = loadSide(displayPath(path.resolve(dir, against.file), dir), { defines, includeDirs, cwd: dir });
    otherLinks = true;
  }
  if ('error' in other) return { against: words, error: other.error };
  if ('side' in other && !other.side.fileName) other.side.fileName = (p) => displayPath(p, dir);
  editor.side.fileName = (p) => displayPath(p, dir);

  const a = other as Loaded;
  const result = diffConfigs(a.side, editor.side);
  result.notes.unshift(...a.notes, ...editor.notes);
  const json = diffJson(a.side, editor.side, result);
  const loc = (side: DiffSide, l: Loc | undefined, linkable: boolean): DiffConfigLoc | undefined => {
    const at = locOf(side, l);
    if (!at || !l) return undefined;
    const src = linkable ? (session.files.source(l.file) ?? side.files?.get(l.file)) : undefined;
    return src ? { ...at, uri: pathToUri(l.file), range: rangeOf(src, l) } : at;
  };
  const changes: DiffConfigChange[] = result.changes.map((c: Change, k) => {
    const { a: _a, b: _b, ...rest } = json.changes[k];
    const la = loc(a.side, c.a, otherLinks);
    const lb = loc(editor.side, c.b, true);
    return { ...rest, ...(la ? { a: la } : {}), ...(lb ? { b: lb } : {}) };
  });
  return {
    against: words,
    a: a.side.label,
    b: editor.side.label,
    text: diffText(a.side, editor.side, result),
    changes,
    equal: json.equal,
    bytesEqual: json.bytesEqual,
    notes: result.notes,
  };
}

export function registerDiff(connection: Connection, session: Session): void {
  connection.onRequest(DiffConfigRequest, (p: DiffConfigParams): DiffConfigResult => {
    try {
      return diffConfigOf(session, p);
    } catch (e) {
      connection.console.error(`diffConfig failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { error: `the comparison failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  });
}
