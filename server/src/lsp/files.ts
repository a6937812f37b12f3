// The server's view of files: open editor buffers win over the disk; disk reads are bounded.
import * as fs from 'node:fs';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_SOURCE_BYTES, type SourceFile } from '../util/source';
import { pathToUri } from './convert';

/**
 * How long a closed file's stat result is trusted. Re-checking a system asks for the version of
 * every file of its folder; without this each keystroke would stat them all. Watched-file
 * events invalidate earlier.
 */
const STAT_TTL_MS = 1000;

export class FileStore {
  private disk = new Map<string, { key: string; file: SourceFile }>();
  private stats = new Map<string, { key: string; at: number }>();
  private openSources = new Map<string, { version: number; file: SourceFile }>();

  constructor(private readonly docs: TextDocuments<TextDocument>) {}

  openDoc(path: string): TextDocument | undefined {
    return this.docs.get(pathToUri(path));
  }

  /** A key that changes whenever the file's content may have changed. */
  versionKey(path: string): string {
    const d = this.openDoc(path);
    if (d) return `v${d.version}`;
    const now = Date.now();
    const hit = this.stats.get(path);
    if (hit && now - hit.at < STAT_TTL_MS) return hit.key;
    let key: string;
    try {
      const st = fs.statSync(path);
      key = `m${st.mtimeMs}:${st.size}`;
    } catch {
      key = 'missing';
    }
    this.stats.set(path, { key, at: now });
    return key;
  }

  /** Forget what is known about a file on disk (a watcher saw it change). */
  invalidate(path: string): void {
    this.stats.delete(path);
    this.disk.delete(path);
  }

  read(path: string): string | undefined {
    const d = this.openDoc(path);
    if (d) return d.getText();
    return this.readDisk(path)?.text;
  }

  /** The file as a SourceFile; one object per open-buffer version so its line table is reused. */
  source(path: string): SourceFile | undefined {
    const d = this.openDoc(path);
    if (!d) return this.readDisk(path);
    const hit = this.openSources.get(path);
    if (hit && hit.version === d.version) return hit.file;
    const file = { path, text: d.getText() };
    this.openSources.set(path, { version: d.version, file });
    return file;
  }

  /** Drops what is kept for a closed buffer. */
  closed(path: string): void {
    this.openSources.delete(path);
  }

  private readDisk(path: string): SourceFile | undefined {
    if (path.startsWith('<')) return undefined;
    const key = this.versionKey(path);
    if (key === 'missing') return undefined; // looked for on every check (jailhouse-cells.json above the file)
    const hit = this.disk.get(path);
    if (hit && hit.key === key) return hit.file;
    try {
      const st = fs.statSync(path);
      if (!st.isFile() || st.size > MAX_SOURCE_BYTES) return undefined;
      const file = { path, text: fs.readFileSync(path, 'utf8') };
      this.disk.set(path, { key, file });
      return file;
    } catch {
      return undefined;
    }
  }
}
