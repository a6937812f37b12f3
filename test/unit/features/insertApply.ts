// For the insertion tests: apply a completion item the way an editor does, and have gcc judge
// many resulting sources in one run.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { CompletionEntry } from '../../../server/src/features/completion';
import { snippetDefaults } from '../../../server/src/features/snippets';
import { haveGcc } from '../../support/gcc';
import { writeGccHeaders } from '../../support/gccHeaders';

/**
 * The text after accepting `item` at `offset`, as an LSP client does: placeholders keep their
 * defaults, lines after the first get the indentation of the line the completion starts on
 * (insertTextMode adjustIndentation), and the additional edits are applied with it.
 */
export function applyCompletion(text: string, offset: number, item: CompletionEntry): string {
  const lineStart = text.lastIndexOf('\n', item.replaceStart - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const body = item.snippet ? snippetDefaults(item.insertText) : item.insertText;
  const main = { start: item.replaceStart, end: offset, newText: body.split('\n').join(`\n${indent}`) };
  const edits = [main, ...(item.additionalEdits ?? [])].sort((a, b) => b.start - a.start);
  for (let i = 1; i < edits.length; i++) {
    // LSP: additional edits must not overlap the main edit (or each other).
    if (edits[i].end > edits[i - 1].start) throw new Error(`overlapping edits in "${item.label}": ${JSON.stringify(edits)}`);
  }
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export interface GccJob {
  /** Where the source was (its folder is copied, so `#include "…"` beside it resolves). */
  file: string;
  text: string;
  what: string;
}

const FLAGS = ['-fsyntax-only', '-Wall', '-Wextra', '-Werror'];

/**
 * Runs gcc over every job and returns those it rejects, with its messages; undefined when gcc
 * is not installed. A gcc process per source would take a minute for the hundreds of
 * variants: sources that define no macros and include nothing of their own are compiled as
 * one translation unit instead, each with `config` renamed. -Werror: gcc only warns about
 * excess elements, and upstream builds with -Werror.
 */
export function gccRejects(jobs: GccJob[]): { job: GccJob; error: string }[] | undefined {
  if (!haveGcc()) return undefined;
  const work = mkdtempSync(join(tmpdir(), 'jh-insert-'));
  try {
    const inc = writeGccHeaders(join(work, 'include'));
    const byDir = new Map<string, GccJob[]>();
    for (const j of jobs) byDir.set(dirname(j.file), [...(byDir.get(dirname(j.file)) ?? []), j]);
    const out: { job: GccJob; error: string }[] = [];
    let k = 0;
    for (const [dir, list] of byDir) {
      const copy = join(work, `d${k++}`);
      cpSync(dir, copy, { recursive: true });
      const files = list.map((j, i) => {
        const f = join(copy, `jh-variant-${i}-${basename(j.file)}`);
        writeFileSync(f, j.text);
        return f;
      });
      const alone = (i: number) => /^\s*#\s*(define|undef)\b|^\s*#\s*include\s*"/m.test(list[i].text);
      const units: { file: string; covers: number[] }[] = [];
      const bundled = list.map((_, i) => i).filter((i) => !alone(i));
      if (bundled.length) {
        const unit = join(copy, 'jh-variants.c');
        writeFileSync(unit, bundled.map((i) => `#define config jh_variant_${i}\n#include "${basename(files[i])}"\n#undef config\n`).join(''));
        units.push({ file: unit, covers: bundled });
      }
      list.forEach((_, i) => alone(i) && units.push({ file: files[i], covers: [i] }));
      for (const u of units) {
        const r = spawnSync('gcc', [...FLAGS, '-I', inc, u.file], { encoding: 'utf8', maxBuffer: 64 << 20 });
        if (r.status === 0) continue;
        const msg = r.stderr || r.error?.message || 'gcc failed';
        let blamed = false;
        for (const i of u.covers) {
          const mine = msg.split('\n').filter((l) => l.startsWith(files[i]) && /error/.test(l));
          if (mine.length) {
            out.push({ job: list[i], error: mine.slice(0, 3).join('\n') });
            blamed = true;
          }
        }
        if (!blamed) out.push({ job: list[u.covers[0]], error: msg.split('\n').slice(0, 5).join('\n') });
      }
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
