// Quick fix for pio-shared: drop the port range from this cell (the other keeps the device).
import { hex } from '../format';
import type { PioSharedData } from '../x86Data';
import type { Diag, Fix, RuleContext, TextEdit } from '../types';
import { resizeSection } from './arrays';
import { textOf } from './edit';

export function pioSharedFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as Partial<PioSharedData> | undefined;
  const c = ctx.cells.find((x) => x.file === d?.file);
  const p = c?.model.pio_regions[d?.index ?? -1];
  const loc = p?.$loc;
  const m = c?.model.members.find((x) => x.role === 'pio_regions');
  // A cell keeps at least one range: an empty array is not C.
  if (!c || !p || !loc || loc.file !== c.file || !m || m.length === undefined || m.length < 2) return [];
  const text = textOf(c, c.file)!;
  const resize = resizeSection(c, 'pio_regions', m.length - 1);
  if (!('edits' in resize)) return [];
  const ls = text.lastIndexOf('\n', loc.start - 1) + 1;
  const tail = /^[ \t]*,?[ \t]*(?:(?:\/\/[^\n]*|\/\*[^\n]*?\*\/)[ \t]*)*(?:\n|$)/.exec(text.slice(loc.end));
  let cut: TextEdit;
  if (tail && /^[ \t]*(?:\/\*[^\n]*?\*\/[ \t]*)?$/.test(text.slice(ls, loc.start))) {
    // Alone on its line (a leading or trailing comment included): the line goes.
    cut = { loc: { file: c.file, start: ls, end: loc.end + tail[0].length }, newText: '' };
  } else {
    const comma = /^\s*,\s*/.exec(text.slice(loc.end));
    cut = { loc: { file: c.file, start: loc.start, end: loc.end + (comma ? comma[0].length : 0) }, newText: '' };
  }
  return [{ title: `Drop port range ${hex(p.base, 4)}+${hex(p.length, 1)} from cell "${c.label}"`, edits: [cut, ...resize.edits] }];
}
