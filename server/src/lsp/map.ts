// `jailhouse/memoryMap` {uri} → the memory map of the system the document belongs to: the SVG
// drawing plus the map as JSON (with the source range behind every clickable element). The
// webview asks again after edits; everything comes from the session's current analyses and
// the same diagnostics the Problems view shows.
import type { Connection } from 'vscode-languageserver/node';
import { mapToJson, type JsonLoc } from '../map/json';
import { buildMemoryMap } from '../map/model';
import { renderSvg } from '../map/svg';
import type { System } from '../rules/types';
import { rangeOf, type Loc } from '../util/source';
import { pathToUri, uriToPath } from './convert';
import { isJailhouseConfig } from './detect';
import { MemoryMapRequest, type MemoryMapResult, type UriParams } from '../protocol/methods';
import type { Session } from './session';

export function memoryMapOf(session: Session, uri: string): MemoryMapResult {
  const file = uriToPath(uri);
  if (!file) return { error: `not a file: ${uri}` };
  const text = session.files.read(file);
  if (text === undefined) return { error: `cannot read ${file}` };
  if (!isJailhouseConfig(text, file, session.files)) return { error: `${file} is not a Jailhouse configuration` };
  const checked = session.checkSystemFiles(session.systems.systemOf(file));
  const map = buildMemoryMap(checked.analyses as System, { diagnostics: checked.diags });
  const lookup = (p: string) => session.files.source(p) ?? session.cache.peek(p)?.files.get(p);
  const resolve = (loc: Loc): JsonLoc & { uri: string } => {
    const src = lookup(loc.file);
    return { file: loc.file, uri: pathToUri(loc.file), start: loc.start, end: loc.end, ...(src ? { range: rangeOf(src, loc) } : {}) };
  };
  return { title: map.title, svg: renderSvg(map), map: mapToJson(map, resolve) as MemoryMapResult['map'], uri };
}

export function registerMemoryMap(connection: Connection, session: Session): void {
  connection.onRequest(MemoryMapRequest, (p: UriParams): MemoryMapResult => {
    try {
      return memoryMapOf(session, p?.uri ?? '');
    } catch (e) {
      connection.console.error(`memoryMap failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { error: `the memory map could not be built: ${e instanceof Error ? e.message : String(e)}` };
    }
  });
}
