// `jhcell build [-q] [--check] [--force] [-D …] [-I …] FILE.c... [-o FILE.cell | --out-dir DIR]`:
// the `.cell` image upstream's build (gcc + objcopy -O binary) makes of each source, without a
// toolchain. A source that build would reject gets no image (binary/buildPolicy.ts decides).
// Exit 0 = every image written, 1 = one refused or not writable, 2 = usage or unreadable input.
import { mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildImage, refusalReason, type BuildResult } from '../binary/buildPolicy';
import { imagePathFor, writeImageFile } from '../binary/imageFile';
import type { Diag } from '../core/diagnostics';
import { analyzeFile } from '../engine/analyze';
import { plural } from '../util/format';
import type { SourceFile } from '../util/source';
import { loadSystems } from '../workspace';
import { membersOf } from '../workspace/system';
import { definesOf, parseArgs, UsageError } from './args';
import { findingsOf, toText, type Entry } from './check';
import { displayPath } from '../util/paths';

interface Job {
  source: string;
  out: string;
}

export async function run(args: string[]): Promise<number> {
  const p = parseArgs(args, ['-D', '-I', '-o', '--out-dir'], ['-q', '--check', '--force']);
  const sources = p.positional;
  if (!sources.length) throw new UsageError('no FILE.c given');
  const outFile = p.values.get('-o');
  const outDir = p.values.get('--out-dir');
  if ((outFile?.length ?? 0) > 1) throw new UsageError('-o given more than once');
  if ((outDir?.length ?? 0) > 1) throw new UsageError('--out-dir given more than once');
  if (outFile && outDir) throw new UsageError('-o and --out-dir exclude each other');
  if (outFile && sources.length > 1) throw new UsageError(`-o names one image, but ${sources.length} sources are given: use --out-dir DIR`);
  const defines = definesOf(p);
  const includeDirs = p.values.get('-I') ?? [];
  const quiet = p.flags.has('-q');
  const force = p.flags.has('--force');

  const jobs: Job[] = sources.map((source) => ({ source, out: outFile ? outFile[0] : imagePathFor(source, outDir?.[0]) }));
  const byOut = new Map<string, string>();
  for (const j of jobs) {
    const key = path.resolve(j.out);
    if (key === path.resolve(j.source)) throw new UsageError(`the image of ${j.source} would overwrite the source itself`);
    const other = byOut.get(key);
    if (other !== undefined) throw new UsageError(`${other} and ${j.source} would both be written to ${j.out}`);
    byOut.set(key, j.source);
  }

  let code = 0;
  const readable = jobs.filter((j) => {
    const why = unreadable(j.source);
    if (why) process.stderr.write(`jhcell build: ${j.source}: ${why}\n`);
    if (why) code = 2;
    return !why;
  });
  if (outDir && readable.length) {
    try {
      mkdirSync(outDir[0], { recursive: true });
    } catch (e) {
      process.stderr.write(`jhcell build: cannot create folder ${outDir[0]}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  // --check: the system checks of `jhcell check` on the named files (one system when named together).
  const loaded = p.flags.has('--check') && readable.length ? loadSystems(readable.map((j) => j.source), { defines, includeDirs }) : undefined;
  const checked = loaded && findingsOf(loaded, {}, undefined);
  // The checks analysed the named files already: each is read and analysed once.
  const analysed = new Map((loaded?.systems ?? []).flatMap((s) => membersOf(s)).map((a) => [a.file, a]));

  for (const j of readable) {
    const analysis = analysed.get(path.resolve(j.source)) ?? analyzeFile(j.source, { defines, includeDirs });
    const result = buildImage(analysis, { force });
    const own = path.resolve(j.source);
    if (result.refusedBy.length || !result.bytes) {
      printFindings([{ file: own, diags: analysis.diagnostics }], analysis.files);
      process.stderr.write(refusal(j.source, result));
      code = Math.max(code, 1);
      continue;
    }
    if (checked) {
      const entries = findingsFor(checked.entries, own);
      printFindings(entries, checked.texts);
      const errors = entries.flatMap((e) => e.diags).filter((d) => d.severity === 'error');
      if (errors.length && !force) {
        process.stderr.write(`jhcell build: ${j.source}: not built: --check found ${plural(errors.length, 'error')} (${codes(errors)}); --force writes the image anyway\n`);
        code = Math.max(code, 1);
        continue;
      }
      if (errors.length) process.stderr.write(`jhcell build: ${j.source}: warning: written despite ${plural(errors.length, 'error')} of --check (${codes(errors)}) (--force)\n`);
    } else if (analysis.diagnostics.length) {
      printFindings([{ file: own, diags: analysis.diagnostics }], analysis.files);
    }
    if (result.forced.length) {
      process.stderr.write(`jhcell build: ${j.source}: warning: written despite ${codes(result.forced)} (--force): upstream's build (-Werror) writes no image\n`);
    }
    for (const w of result.warnings) process.stderr.write(`jhcell build: ${j.source}: warning: ${w}\n`);
    const failed = writeImageFile(j.out, result.bytes);
    if (failed) {
      process.stderr.write(`jhcell build: ${j.source}: ${failed}\n`);
      code = Math.max(code, 1);
      continue;
    }
    if (!quiet) process.stdout.write(`wrote ${displayPath(j.out)} (${result.bytes.length} bytes)\n`);
  }
  return code;
}

/** Why a source cannot be read, or undefined. */
function unreadable(file: string): string | undefined {
  try {
    const st = statSync(file);
    if (st.isDirectory()) return 'is a folder (name the .c files, or use a shell glob such as DIR/*.c)';
    if (!st.isFile()) return 'not a regular file';
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.message}`;
  }
}

/** The file's own findings, and those elsewhere that point into it (a conflict shown at its other side). */
function findingsFor(entries: Entry[], file: string): Entry[] {
  const out: Entry[] = [];
  for (const e of entries) {
    if (path.resolve(e.file) === file) out.push(e);
    else {
      const diags = e.diags.filter((d) => (d.related ?? []).some((r) => path.resolve(r.loc.file) === file));
      if (diags.length) out.push({ file: e.file, diags });
    }
  }
  return out;
}

function printFindings(entries: Entry[], texts: Map<string, SourceFile>): void {
  if (!entries.some((e) => e.diags.length)) return;
  process.stderr.write(toText(entries, (f) => texts.get(f) ?? { path: f, text: '' }));
}

function refusal(source: string, r: BuildResult): string {
  const forceable = r.refusedBy.length && r.refusedBy.every((d) => d.severity !== 'error') ? '; --force writes it anyway' : '';
  return `jhcell build: ${source}: ${refusalReason(r)}${forceable}\n`;
}

function codes(ds: Diag[]): string {
  return [...new Set(ds.map((d) => d.code))].join(', ');
}

