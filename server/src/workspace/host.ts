// How the workspace reads files and folders: from disk, or from a test's or an editor's view.
import * as fs from 'node:fs';
import { MAX_SOURCE_BYTES } from '../util/source';

export interface WorkspaceHost {
  /** File text, or undefined when it cannot be read. */
  readFile(file: string): string | undefined;
  /** Entries of a folder, or undefined when it is not one. */
  readDir?(dir: string): { name: string; dir: boolean }[] | undefined;
}

export const diskHost: WorkspaceHost = {
  readFile(file) {
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_SOURCE_BYTES) return undefined;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  readDir(dir) {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
    } catch {
      return undefined;
    }
  },
};
