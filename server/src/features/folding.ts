// Folding ranges from tokens: multi-line brace blocks and multi-line comments.
import type { Doc } from './context';

export interface Fold {
  start: number;
  end: number;
  kind?: 'comment';
}

export function foldingRanges(doc: Doc): Fold[] {
  const out: Fold[] = [];
  const stack: number[] = [];
  const text = doc.text;
  const multiline = (a: number, b: number) => text.lastIndexOf('\n', b) >= a;
  for (const t of doc.tokens) {
    for (const c of t.comments ?? []) if (multiline(c.start, c.end)) out.push({ start: c.start, end: c.end, kind: 'comment' });
    if (t.text === '{') stack.push(t.start);
    else if (t.text === '}' && stack.length) {
      const open = stack.pop()!;
      if (multiline(open, t.start)) out.push({ start: open, end: t.start });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
