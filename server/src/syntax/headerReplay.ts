// Memoized built-in headers. Every config includes the same two headers; what they define
// depends only on which of the names they test are already defined. Their effect is recorded
// once (while nothing else can disturb it) and replayed in later analyses.
import type { IncludeRef } from '../core/analysis';
import type { Macro, MacroExpander } from './macros';
import type { SourceFile } from '../util/source';

interface HeaderEffect {
  /** Names the header tested with #ifdef/#ifndef, and whether they were defined. */
  tests: Map<string, boolean>;
  defines: Macro[];
  includes: IncludeRef[];
  files: { path: string; text: string }[];
}

interface Recording extends HeaderEffect {
  path: string;
  /** Include stack depth of the header's frame: the recording ends when it is popped. */
  depth: number;
  /** Diagnostics before the header: one more means the effect is not clean. */
  diags: number;
  /** Nothing but #ifdef/#ifndef/#define/#include happened (no output, no #if, no #undef). */
  ok: boolean;
}

/** Recorded effects of built-in headers (macro objects are immutable once defined). */
const headerMemo = new Map<string, HeaderEffect>();

export class HeaderRecorder {
  private recording: Recording | undefined;

  get recordingNow(): boolean {
    return this.recording !== undefined;
  }

  /** Something happened that a replay would not repeat: the header is not memoized this time. */
  spoil(): void {
    if (this.recording) this.recording.ok = false;
  }

  noteTest(name: string, defined: boolean): void {
    const r = this.recording;
    if (r && !r.tests.has(name)) r.tests.set(name, defined);
  }

  noteDefine(m: Macro): void {
    this.recording?.defines.push(m);
  }

  noteInclude(ref: IncludeRef): void {
    this.recording?.includes.push(ref);
  }

  noteFile(path: string, text: string): void {
    this.recording?.files.push({ path, text });
  }

  start(path: string, depth: number, diagnostics: number): void {
    this.recording = { path, depth, tests: new Map(), defines: [], includes: [], files: [], diags: diagnostics, ok: true };
  }

  /** After a file ended: keeps the effect once the recorded header's frame is gone, if it was clean. */
  fileEnded(stackDepth: number, diagnostics: number): void {
    const r = this.recording;
    if (!r || stackDepth >= r.depth) return;
    this.recording = undefined;
    if (r.ok && diagnostics === r.diags) {
      headerMemo.set(r.path, { tests: r.tests, defines: r.defines, includes: r.includes, files: r.files });
    }
  }

  /** Applies a recorded header instead of reading it; false when there is none or it would differ now. */
  replay(p: string, expander: MacroExpander, includes: IncludeRef[], files: Map<string, SourceFile>): boolean {
    const memo = headerMemo.get(p);
    if (!memo) return false;
    for (const [name, was] of memo.tests) if (expander.macros.has(name) !== was) return false;
    for (const m of memo.defines) if (expander.macros.has(m.def.name)) return false;
    expander.addAll(memo.defines);
    for (const inc of memo.includes) includes.push({ ...inc });
    for (const f of memo.files) if (!files.has(f.path)) files.set(f.path, { path: f.path, text: f.text });
    return true;
  }
}
