// Parse once, share the result: one Analysis per file, reused until the file or anything it
// includes changes (open-buffer version or disk mtime), or the settings change.
import { analyze } from '../engine/analyze';
import type { Analysis, EngineOptions } from '../core/analysis';
import type { FileStore } from './files';
import type { Settings } from './settings';

interface Entry {
  analysis: Analysis;
  /** Version keys of every real file that took part, when it was analysed. */
  deps: Map<string, string>;
}

export class AnalysisCache {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly files: FileStore,
    private settings: () => Settings,
  ) {}

  clear(): void {
    this.entries.clear();
  }

  forget(path: string): void {
    this.entries.delete(path);
  }

  private fresh(e: Entry): boolean {
    for (const [p, key] of e.deps) if (this.files.versionKey(p) !== key) return false;
    return true;
  }

  /** The analysis of `path`; undefined when the file cannot be read. */
  get(path: string): Analysis | undefined {
    const e = this.entries.get(path);
    if (e && this.fresh(e)) return e.analysis;
    const text = this.files.read(path);
    if (text === undefined) return undefined;
    const key = this.files.versionKey(path);
    const s = this.settings();
    const options: EngineOptions = {
      defines: s.defines,
      includeDirs: s.includeDirs,
      readFile: (p) => this.files.read(p),
    };
    const analysis = analyze(path, text, options);
    const deps = new Map<string, string>([[path, key]]);
    for (const p of analysis.files.keys()) if (!p.startsWith('<') && p !== path) deps.set(p, this.files.versionKey(p));
    this.entries.set(path, { analysis, deps });
    return analysis;
  }

  /** Cached analysis without re-analysing (for cheap look-ups like the status bar). */
  peek(path: string): Analysis | undefined {
    return this.entries.get(path)?.analysis;
  }
}
