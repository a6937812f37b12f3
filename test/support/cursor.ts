// Cursor markers: a test writes where the cursor stands as `$0` (and `$1`, … when it needs
// several) inside the text it shows, so a reader sees the spot instead of counting characters
// from a needle. A marker is `$` and one digit (`$00x10` is `$0` before `0x10`); `$` followed
// by a digit does not occur in the configurations we test.

const MARK = /\$(\d)/g;

/** The text without its cursor markers, and the offset of each (`offsets[n]` is `$n`). */
export function cursors(src: string): { text: string; offsets: number[] } {
  const offsets: number[] = [];
  let text = '';
  let last = 0;
  for (const m of src.matchAll(MARK)) {
    text += src.slice(last, m.index);
    const n = Number(m[1]);
    if (offsets[n] !== undefined) throw new Error(`cursor $${n} given twice in ${JSON.stringify(src)}`);
    offsets[n] = text.length;
    last = m.index + m[0].length;
  }
  text += src.slice(last);
  for (let n = 0; n < offsets.length; n++) if (offsets[n] === undefined) throw new Error(`cursor $${n} missing in ${JSON.stringify(src)}`);
  if (!offsets.length) throw new Error(`no cursor marker in ${JSON.stringify(src)}`);
  return { text, offsets };
}

/**
 * Offsets in `text` of the cursors of `pattern`, a piece of `text` with markers in it
 * (`'.flags = JAIL$0HOUSE_MEM_READ'`). The piece must occur exactly once, so the spot meant is
 * never in doubt; give more context when it does not.
 */
export function cursorsIn(text: string, pattern: string): number[] {
  const { text: piece, offsets } = cursors(pattern);
  const at = text.indexOf(piece);
  if (at < 0) throw new Error(`${JSON.stringify(piece)} not in the text`);
  if (text.indexOf(piece, at + 1) >= 0) throw new Error(`${JSON.stringify(piece)} occurs more than once; give more context`);
  return offsets.map((o) => at + o);
}

/** The offset of the single cursor `$0` of `pattern` in `text` (see cursorsIn). */
export function cursorIn(text: string, pattern: string): number {
  const offsets = cursorsIn(text, pattern);
  if (offsets.length !== 1) throw new Error(`cursorIn takes one cursor, ${JSON.stringify(pattern)} has ${offsets.length}`);
  return offsets[0];
}

/** LSP position (0-based line, UTF-16 character) of `offset` in `text`. */
export function positionAtOffset(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** LSP positions of the cursors of `pattern` in `text` (`[$0, $1, …]`; see cursorsIn). */
export function positionsIn(text: string, pattern: string): { line: number; character: number }[] {
  return cursorsIn(text, pattern).map((o) => positionAtOffset(text, o));
}

/** LSP position of the cursor `$0` of `pattern` in `text`. */
export function positionIn(text: string, pattern: string): { line: number; character: number } {
  return positionAtOffset(text, cursorIn(text, pattern));
}
