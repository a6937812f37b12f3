// Quick fix of stream-id-conflict: drop the stream ID from the cell that should not have it,
// and declare stream_ids one shorter. A cell's only stream ID is not dropped: an empty
// initializer is not what upstream writes, and num_stream_ids 0 takes the cell out of the
// IOMMU's bookkeeping altogether — that decision stays with the user.
import type { Diag, Fix, RuleContext, TextEdit } from '../types';
import { resizeSection } from './arrays';
import { isBraced, textOf } from './edit';

export function dropStreamIdFix(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as { file?: string; stream?: number; name?: string } | undefined;
  const c = ctx.all.find((x) => x.file === d?.file);
  const s = c?.model.stream_ids.find((x) => x.$index === d?.stream);
  if (!c || !s?.$loc || !isBraced(c, s) || c.model.stream_ids.length < 2) return [];
  const text = textOf(c, s.$loc.file)!;
  const resize = resizeSection(c, 'stream_ids', c.model.stream_ids.length - 1);
  if (!('edits' in resize)) return [];
  return [{ title: `Remove ${d!.name ?? 'the stream ID'} from ${c.label}`, edits: [removal(text, s.$loc.file, s.$loc.start, s.$loc.end), ...resize.edits], preferred: true }];
}

/** The element with its comma; its whole line when it stands alone on it. */
function removal(text: string, file: string, start: number, end: number): TextEdit {
  let e = end;
  while (e < text.length && /[ \t]/.test(text[e])) e++;
  let s = start;
  if (text[e] === ',') e++;
  else {
    // The last element without a trailing comma: take the comma before it.
    let b = s - 1;
    while (b >= 0 && /\s/.test(text[b])) b--;
    if (text[b] === ',') s = b;
  }
  while (e < text.length && /[ \t]/.test(text[e])) e++;
  const lineStart = text.lastIndexOf('\n', s - 1) + 1;
  if (/^[ \t]*$/.test(text.slice(lineStart, s)) && (text[e] === '\n' || e === text.length)) {
    return { loc: { file, start: lineStart, end: Math.min(e + 1, text.length) }, newText: '' };
  }
  return { loc: { file, start: s, end: e }, newText: '' };
}
