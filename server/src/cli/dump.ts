// `jhcell dump [--json] [-D NAME[=VALUE]]... [-I DIR]... FILE`: the evaluated configuration of
// a `.c` source or a compiled `.cell` image (told apart by the signature bytes, not the name).
import { decodeImage, imageKind, NOT_A_CONFIG } from '../binary/decode';
import { elfProblem, MAX_IMAGE_BYTES, readHead } from '../binary/imageFile';
import { listing } from '../binary/listing';
import type { SourceExtras } from '../binary/listing';
import type { ModelJson } from '../binary/modelJson';
import { sourceJson } from '../binary/sourceJson';
import type { Diag } from '../core/diagnostics';
import { positionAt } from '../util/source';
import type { SourceFile } from '../util/source';
import { definesOf, parseArgs, UsageError } from './args';

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['-D', '-I'], ['--json']);
  if (parsed.positional.length !== 1) {
    throw new UsageError(parsed.positional.length ? 'dump takes exactly one FILE' : 'dump needs a FILE');
  }
  const defines = definesOf(parsed);
  const includeDirs = parsed.values.get('-I') ?? [];
  const file = parsed.positional[0];
  const asJson = parsed.flags.has('--json');
  // `jhcell dump x | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`jhcell dump: cannot write output: ${e.message}\n`);
    process.exit(e.code === 'EPIPE' ? 0 : 1);
  });

  const head = readHead(file, 5);
  if (typeof head === 'string') {
    process.stderr.write(`jhcell dump: ${file}: ${head}\n`);
    return 1;
  }
  const { bytes, size } = head;

  const elf = elfProblem(bytes);
  if (elf) {
    process.stderr.write(`jhcell dump: ${file}: ${elf}\n`);
    return 1;
  }
  let json: ModelJson | undefined;
  let errors: string[];
  let failed = false;
  if (imageKind(bytes)) {
    if (size > MAX_IMAGE_BYTES) {
      process.stderr.write(`jhcell dump: ${file}: image of ${size} bytes is too large to be a Jailhouse config\n`);
      return 1;
    }
    const whole = readHead(file, size);
    if (typeof whole === 'string') {
      process.stderr.write(`jhcell dump: ${file}: ${whole}\n`);
      return 1;
    }
    ({ json, errors } = decodeImage(whole.bytes, file));
  } else {
    const { analyzeFile } = await import('../engine/analyze.js');
    const analysis = analyzeFile(file, { defines, includeDirs });
    for (const d of analysis.diagnostics) process.stderr.write(formatDiag(d, analysis.files) + '\n');
    failed = analysis.diagnostics.some((d) => d.severity === 'error');
    if (!analysis.model) {
      process.stderr.write(`jhcell dump: ${file}: ${NOT_A_CONFIG}: no \`config\` object found\n`);
      return 1;
    }
    ({ json, errors } = sourceJson(analysis.model, analysis.files));
  }
  for (const e of errors) process.stderr.write(`jhcell dump: ${file}: ${e}\n`);
  if (errors.length) failed = true;
  if (json) {
    json.file = file;
    process.stdout.write(asJson ? JSON.stringify(json, null, 2) + '\n' : listing(json, json.source as SourceExtras | undefined));
  }
  return failed || !json ? 1 : 0;
}

/** `file:line:col: severity: message [code]`, 1-based. */
export function formatDiag(d: Diag, files: Map<string, SourceFile>): string {
  const f = files.get(d.loc.file);
  const pos = f ? positionAt(f, d.loc.start) : { line: 0, character: 0 };
  return `${d.loc.file}:${pos.line + 1}:${pos.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}
