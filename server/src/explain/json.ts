// Explanations in the JSON contract of `jhcell explain --format json` (docs: the issue's
// contract): bigints as "0x…" strings, edits as 0-based LSP ranges, files named by `name`.
import { membersOf, type System } from '../workspace/system';
import type { SourceFile } from '../util/source';
import { rangeOf, type Range } from '../util/source';
import { hex } from '../util/format';
import type { Explanation } from './types';

export interface EditJson {
  file: string;
  range: Range;
  newText: string;
}

/** The text of every file the systems read, by path (what ranges are computed against). */
export function sourcesOf(systems: System[]): (file: string) => SourceFile {
  const texts = new Map<string, SourceFile>();
  for (const s of systems) for (const a of membersOf(s)) for (const [f, sf] of a.files) if (!texts.has(f)) texts.set(f, sf);
  return (file) => texts.get(file) ?? { path: file, text: '' };
}

export function explanationJson(x: Explanation, sf: (file: string) => SourceFile, name: (file: string) => string = (f) => f) {
  const e = x.event;
  return {
    line: e.line,
    endLine: e.endLine,
    kind: e.kind,
    text: e.text,
    ...(e.address !== undefined ? { address: hex(e.address) } : {}),
    ...(e.access ? { access: e.access } : {}),
    ...(e.size !== undefined ? { size: e.size } : {}),
    ...(e.cpu !== undefined ? { cpu: e.cpu } : {}),
    ...(e.errno ? { errno: e.errno } : {}),
    ...(e.ioctl ? { ioctl: e.ioctl } : {}),
    cell: x.cell ? { name: x.cell.name, file: name(x.cell.file), how: x.cell.how } : e.cellName !== undefined ? { name: e.cellName, file: null } : null,
    covering: x.covering.map((k) => ({ file: name(k.file), region: k.region, ...(k.name ? { name: k.name } : {}), cell: k.cell })),
    device: x.device ? { name: x.device.name, start: hex(x.device.start), size: hex(x.device.size), source: x.device.source, ...(x.device.interrupts ? { interrupts: x.device.interrupts } : {}) } : null,
    message: x.message,
    ...(x.rules ? { rules: x.rules } : {}),
    fixes: x.fixes.map((f) => ({
      title: f.title,
      ...(f.preferred ? { preferred: true } : {}),
      edits: f.edits.map((d): EditJson => ({ file: name(d.loc.file), range: rangeOf(sf(d.loc.file), d.loc), newText: d.newText })),
    })),
  };
}
