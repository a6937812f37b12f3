// What inserting initializer items needs besides their own text, so that the file still
// compiles: a comma after the item before, and, for new elements of a wrapper array, a
// declaration long enough to hold them (with a count written as a number following it).
import { resizeSection } from '../rules/fixes/arrays';
import type { MacroDef } from '../core/analysis';
import { slice, valueLoc } from '../rules/fixes/edit';
import { PCI_TYPE } from '../core/flags';
import type { CellRef, TextEdit } from '../rules/types';
import { TK, type Token } from '../syntax/lexer';
import type { Doc } from './context';
import { tokensOf } from './cursor';

/** An edit of the document's own text, by offsets. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export interface InsertionEdits {
  edits: OffsetEdit[];
  /** What the user must still edit by hand, and why (a length written as an expression); shown on the item. */
  warning?: string;
  /** What the edits elsewhere do (`mem_regions` declared with 9 elements), for the item's documentation. */
  note?: string;
}

/** Index of the first token that ends after `offset`. */
function firstAfter(toks: Token[], offset: number): number {
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toks[mid].end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A comma after the initializer item that ends before `start`, when it has none: the new item
 * is written after it. Nothing after an opening brace or a comma.
 */
export function commaBefore(doc: Doc, start: number): OffsetEdit[] {
  const toks = doc.tokens;
  let i = firstAfter(toks, start) - 1;
  // The dot of a designator typed before the word (`.|`) belongs to the new item.
  if (i >= 0 && toks[i].text === '.' && toks[i].kind === TK.Punct) i--;
  const prev = toks[i];
  if (!prev || prev.text === ',' || prev.text === '{' || prev.text === '=') return [];
  if (prev.text !== '}' && prev.text !== ')' && prev.kind === TK.Punct) return [];
  return [{ start: prev.end, end: prev.end, newText: ',' }];
}

/**
 * The edits that let `added` new elements of wrapper member `name`, written in place of
 * [start, end) inside its initializer, fit: the comma before them and the declaration grown to
 * the elements the initializer then holds (when the declaration is shorter).
 */
export function sectionInsertion(doc: Doc, name: string, start: number, end: number, added: number): InsertionEdits {
  const edits = commaBefore(doc, start);
  const model = doc.analysis.model;
  const member = model?.members.find((m) => m.name === name);
  const role = member?.role;
  if (!model || !member || !role || role === 'header' || member.length === undefined || added <= 0) return { edits };
  const cell: CellRef = { analysis: doc.analysis, model, file: doc.file, label: doc.file, isRoot: model.kind === 'system' };
  const warnings: string[] = [];
  const notes: string[] = [];
  const add = (list: TextEdit[]) => {
    for (const e of list) if (e.loc.file === doc.file) edits.push({ start: e.loc.start, end: e.loc.end, newText: e.newText });
  };
  const have = elementsAround(doc, start, end) ?? member.initialized;
  const need = have + added;
  if (need > member.length) {
    const r = resizeSection(cell, role, need);
    if ('reason' in r) warnings.push(`${member.name} declares ${member.length} element${member.length === 1 ? '' : 's'} and this makes ${need}: ${r.reason}, so declare ${need} by hand.`);
    else if (r.edits.length) {
      add(r.edits);
      notes.push(`declares ${member.name} with ${need} elements`);
    }
  }
  if (role === 'mem_regions') {
    // Regions are referred to by number: ivshmem devices name the first of theirs.
    const at = elementsAround(doc, start, end, start);
    for (const d of at === undefined ? [] : model.pci_devices) {
      if (d.type !== PCI_TYPE.IVSHMEM || !d.$fieldLoc.shmem_regions_start || d.shmem_regions_start < BigInt(at!)) continue;
      const v = valueLoc(cell, d, 'shmem_regions_start');
      const moved = d.shmem_regions_start + BigInt(added);
      if (v && /^\s*\d+\s*$/.test(slice(cell, v))) {
        add([{ loc: v, newText: String(moved) }]);
        notes.push(`moves the shmem_regions_start of PCI device ${d.$name ? `"${d.$name}"` : `#${d.$index}`} to ${moved}`);
      } else warnings.push(`the regions of PCI device ${d.$name ? `"${d.$name}"` : `#${d.$index}`} move to ${moved}: set its shmem_regions_start by hand.`);
    }
  }
  return { edits, ...(warnings.length ? { warning: warnings.join(' ') } : {}), ...(notes.length ? { note: `Also ${notes.join(' and ')}.` } : {}) };
}

/**
 * Elements of the braced list around [start, end), leaving out what is written inside that
 * range (the word being typed). Read from the tokens, as the analysis of a half-typed item is
 * no guide to what follows it; undefined where tokens cannot tell (a preprocessor directive or
 * an index designator inside the list).
 */
export function elementsAround(doc: Doc, start: number, end: number, until = Infinity): number | undefined {
  // Every item of one completion request asks the same: the list is read once.
  const key = `${start}:${end}:${until}`;
  let memo = counted.get(doc);
  if (!memo) counted.set(doc, (memo = new Map()));
  if (!memo.has(key)) memo.set(key, countAround(doc, start, end, until));
  return memo.get(key);
}

const counted = new WeakMap<Doc, Map<string, number | undefined>>();

function countAround(doc: Doc, start: number, end: number, until: number): number | undefined {
  const toks = doc.tokens;
  const from = firstAfter(toks, start);
  for (let i = from - 1, depth = 0; i >= 0; i--) {
    const t = toks[i].text;
    if (t === '}') depth++;
    else if (t === '{' && depth-- === 0) return listElements(toks, i, doc.analysis.macros, start, end, until);
  }
  return undefined;
}

/** Elements that `text`, written inside a braced list, adds to it. */
export function elementsOf(text: string, macros: ReadonlyMap<string, MacroDef>): number | undefined {
  return listElements(tokensOf(`{${text}}`), 0, macros, 0, 0);
}

/**
 * Elements of the list opened by token `open`, leaving out tokens inside [skipStart, skipEnd);
 * only those before offset `until`, when given.
 */
function listElements(toks: Token[], open: number, macros: ReadonlyMap<string, MacroDef>, skipStart: number, skipEnd: number, until = Infinity): number | undefined {
  let count = 0;
  let piece: Token[] = [];
  const flush = (): boolean => {
    const n = piece.length ? elementsOfItem(macros, piece) : 0;
    piece = [];
    if (n === undefined) return false;
    count += n;
    return true;
  };
  let depth = 0;
  for (let i = open + 1; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === TK.EOF) return undefined;
    if (t.start >= skipStart && t.start < skipEnd) continue;
    if (t.text === '#' && t.bol) return undefined;
    if ((depth === 0 && t.text === '}') || t.start >= until) return flush() ? count : undefined;
    if (t.text === '{' || t.text === '(') depth++;
    else if (t.text === '}' || t.text === ')') depth--;
    if (depth === 0 && t.text === ',') {
      if (!flush()) return undefined;
    } else piece.push(t);
  }
  return undefined;
}

/** Elements one comma-separated item gives: a macro may stand for several (a brace list). */
function elementsOfItem(macros: ReadonlyMap<string, MacroDef>, piece: Token[]): number | undefined {
  if (piece[0].text === '[') return undefined;
  const name = piece[0].kind === TK.Ident ? piece[0].text : undefined;
  const def = name ? macros.get(name) : undefined;
  const whole = piece.length === 1 || (piece[1]?.text === '(' && piece[piece.length - 1].text === ')');
  if (!def || !whole) return 1;
  return Math.max(1, topLevelItems(def.body));
}

/** Comma-separated items at the top level of a macro body (`{…}, { 0 }, {…}` → 3). */
function topLevelItems(body: string): number {
  let depth = 0;
  let items = 0;
  let filled = false;
  for (const ch of body.replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, '0')) {
    if (ch === '{' || ch === '(' || ch === '[') depth++;
    else if (ch === '}' || ch === ')' || ch === ']') depth--;
    if (depth === 0 && ch === ',') {
      if (filled) items++;
      filled = false;
    } else if (!/\s/.test(ch)) filled = true;
  }
  return items + (filled ? 1 : 0);
}
