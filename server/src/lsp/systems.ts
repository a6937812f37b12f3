// Which files form one Jailhouse system (a root plus the cells that run on it), so editing a
// root re-checks its cells. The grouping itself is the workspace layer's (declaration first,
// then folder and file-name rules, then content); this feeds it the configs of the file's
// folder plus the declared files, read through the FileStore so unsaved buffers count. Folder
// listings are cached by mtime.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigModel } from '../core/model';
import { DECLARATION_FILE, diskHost, findDeclaration, groupByContent, groupSystems, readDeclaration, type ConfigKind, type Declaration, type System, type WorkspaceHost } from '../workspace';
import { checkedKind } from '../syntax/configKind';
import { detectFile } from './detect';
import type { FileStore } from './files';


/** A folder with more entries than this is not a configs folder: only the file itself counts. */
const MAX_DIR_ENTRIES = 2000;

export class SystemIndex {
  private dirs = new Map<string, { mtime: number; files: string[] }>();
  private kinds = new Map<string, { key: string; consulted: string[]; kind: ConfigKind | undefined }>();
  private lastGroups = new Map<string, { signature: string; groups: System<string>[] }>();
  /** The cell-set declaration path from the settings ('' = nearest jailhouse-cells.json). */
  declarationSetting = '';
  readonly host: WorkspaceHost;

  /**
   * `modelOf` gives a file's model (from the session's analyses) so cells the names leave
   * without a root are matched to one by content.
   */
  constructor(
    private readonly files: FileStore,
    private readonly modelOf: (file: string) => ConfigModel | undefined = () => undefined,
  ) {
    this.host = {
      readFile: (f) => this.files.read(f),
      readDir: diskHost.readDir,
    };
  }

  private cFilesIn(dir: string): string[] {
    let mtime: number;
    try {
      mtime = fs.statSync(dir).mtimeMs;
    } catch {
      return [];
    }
    const hit = this.dirs.get(dir);
    if (hit && hit.mtime === mtime) return hit.files;
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.c'));
    } catch {
      names = [];
    }
    const files = names.length > MAX_DIR_ENTRIES ? [] : names.map((n) => path.join(dir, n));
    this.dirs.set(dir, { mtime, files });
    return files;
  }

  /** The declaration file that applies to `file` (the setting, else the nearest one), if any. */
  declarationFileFor(file: string): string | undefined {
    return this.declarationSetting || findDeclaration(file, this.host);
  }

  private declarationFor(file: string): Declaration | undefined {
    const declFile = this.declarationFileFor(file);
    if (!declFile) return undefined;
    return readDeclaration(declFile, this.host).declaration;
  }

  systemOf(file: string): System<string> {
    const abs = path.resolve(file);
    const declaration = this.declarationFor(abs);
    const candidates = new Set([abs, ...this.cFilesIn(path.dirname(abs))]);
    for (const d of declaration?.systems ?? []) {
      if ([d.root, ...d.cells].includes(abs)) {
        candidates.add(d.root);
        for (const c of d.cells) candidates.add(c);
      }
    }
    // Grouping depends only on the files, their kinds and the declaration: reuse it while
    // none of these changed (an edit inside a config rarely changes its kind).
    const list = [...candidates].sort();
    const signature = `${declaration?.file ?? ''}\n${list.map((f) => `${f}:${this.kindOf(f) ?? ''}`).join('\n')}`;
    const dirKey = path.dirname(abs);
    let groups = this.lastGroups.get(dirKey)?.signature === signature ? this.lastGroups.get(dirKey)!.groups : undefined;
    if (!groups) {
      groups = groupSystems(list, (f) => this.kindOf(f), declaration);
      this.lastGroups.set(dirKey, { signature, groups });
    }
    // Content decides after the names (models change with every edit: never cached here).
    const g = groupByContent(groups, this.modelOf).find((x) => x.root === abs || x.cells.includes(abs));
    if (!g) return { cells: [abs], grouping: {} };
    return { root: g.root, cells: [...g.cells].sort(), sets: g.sets, declaredIn: g.declaredIn, grouping: g.grouping };
  }

  /** The one detector's kind (a wrapper config has the kind of the config it includes). */
  private kindOf(file: string): ConfigKind | undefined {
    // Stale once the file or any file it included for the answer changes.
    const versions = (files: string[]) => files.map((f) => this.files.versionKey(f)).join('\n');
    const hit = this.kinds.get(file);
    if (hit && hit.key === versions([file, ...hit.consulted])) return hit.kind;
    const d = detectFile(this.files, file);
    const consulted = d?.consulted ?? [];
    const kind = d && checkedKind(d);
    this.kinds.set(file, { key: versions([file, ...consulted]), consulted, kind });
    return kind;
  }

  /** Drops cached listings (after settings change or a workspace scan). */
  reset(): void {
    this.dirs.clear();
    this.lastGroups.clear();
  }
}

export { DECLARATION_FILE };
