// `jhcell map [--format svg|html|text] [-o FILE] [-D NAME[=VALUE]]... [-I DIR]... PATH`:
// the memory map of the system PATH belongs to (a system .c file, one of its cells, or a folder
// holding one system), as a stand-alone SVG, a single HTML file, or a text table.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Diag } from '../core/diagnostics';
import { mapCss } from '../map/assets';
import { renderHtml } from '../map/html';
import { buildMemoryMap } from '../map/model';
import { renderSvg } from '../map/svg';
import { renderText } from '../map/text';
import { checkSystem } from '../rules';
import type { System } from '../rules/types';
import { loadSystems } from '../workspace';
import { definesOf, parseArgs, UsageError } from './args';

type Format = 'svg' | 'html' | 'text';
const FORMATS: Format[] = ['svg', 'html', 'text'];

function formatOf(explicit: string | undefined, out: string | undefined): Format {
  if (explicit !== undefined) {
    if (!FORMATS.includes(explicit as Format)) throw new UsageError(`unknown format '${explicit}' (svg, html or text)`);
    return explicit as Format;
  }
  const ext = out ? path.extname(out).toLowerCase() : '';
  return ext === '.svg' ? 'svg' : ext === '.html' || ext === '.htm' ? 'html' : 'text';
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['-D', '-I', '--format', '-o', '--output'], []);
  if (parsed.positional.length !== 1) {
    throw new UsageError(parsed.positional.length ? 'map takes exactly one PATH' : 'map needs a PATH (a system .c file or a folder)');
  }
  const out = (parsed.values.get('-o') ?? parsed.values.get('--output'))?.at(-1);
  const format = formatOf(parsed.values.get('--format')?.at(-1), out);
  const target = parsed.positional[0];
  const { systems, problems, missing } = loadSystems([target], { defines: definesOf(parsed), includeDirs: parsed.values.get('-I') ?? [] });
  for (const p of problems) process.stderr.write(`jhcell map: ${p.file}: ${p.message}\n`);
  if (missing.length) {
    process.stderr.write(`jhcell map: ${target}: no such file or folder\n`);
    return 1;
  }
  const system = pick(systems, target);
  if (typeof system === 'string') {
    process.stderr.write(`jhcell map: ${target}: ${system}\n`);
    return 1;
  }
  const diagnostics: Diag[] = [...checkSystem(system).values()].flat();
  const map = buildMemoryMap(system, { diagnostics });
  const text = format === 'svg' ? renderSvg(map, { css: mapCss() }) + '\n' : format === 'html' ? renderHtml(map) : renderText(map);
  if (out) {
    try {
      writeFileSync(out, text);
    } catch (e) {
      process.stderr.write(`jhcell map: cannot write ${out}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  } else process.stdout.write(text);
  return 0;
}

/** The one system PATH names; a folder with several systems needs the system file instead. */
function pick(systems: System[], target: string): System | string {
  const withModel = systems.filter((s) => s.root?.model || s.cells.some((c) => c.model));
  if (!withModel.length) return 'no Jailhouse configuration found';
  const abs = path.resolve(target);
  const named = withModel.filter((s) => s.root?.file === abs || s.cells.some((c) => c.file === abs));
  if (named.length === 1) return named[0];
  const rooted = withModel.filter((s) => s.root?.model);
  if (rooted.length === 1) return rooted[0];
  if (withModel.length === 1) return withModel[0];
  const names = rooted.map((s) => path.relative(process.cwd(), s.root?.file ?? '')).slice(0, 8);
  return `holds ${withModel.length} systems; name one system file (${names.join(', ')}${rooted.length > 8 ? ', …' : ''})`;
}
