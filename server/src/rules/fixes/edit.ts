// Text edits that quick fixes are built from. An edit is only proposed where it changes exactly
// the element the user means: a field written literally inside the element's own braces.
// Elements produced by a macro (JAILHOUSE_SHMEM_NET_REGIONS) are not edited — changing a macro
// argument would move sibling regions too.
import type { Node } from '../../core/model';
import type { Loc } from '../../util/source';
import type { CellRef, TextEdit } from '../types';

export function textOf(c: CellRef, file: string): string | undefined {
  return c.analysis.files.get(file)?.text;
}

export function slice(c: CellRef, loc: Loc): string {
  return textOf(c, loc.file)?.slice(loc.start, loc.end) ?? '';
}

/** The node's initializer is written as braces in this cell's own file. */
export function isBraced(c: CellRef, node: Node): boolean {
  const l = node.$loc;
  if (!l || !c.analysis.files.has(l.file) || l.file.startsWith('<')) return false;
  return slice(c, l).trimStart().startsWith('{');
}

function inside(inner: Loc, outer: Loc): boolean {
  return inner.file === outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

/** The location of a field's value expression, when it can be edited in place. */
export function valueLoc(c: CellRef, node: Node, field: string): Loc | undefined {
  const l = node.$fieldLoc[field];
  if (!l || !node.$loc || !isBraced(c, node) || !inside(l, node.$loc)) return undefined;
  const text = slice(c, l);
  // Tolerate a location that covers the whole `.field = value` designation.
  const m = /^\s*\.\s*[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*\s*=\s*/.exec(text);
  if (m) return { file: l.file, start: l.start + m[0].length, end: l.end };
  return l;
}

function lineIndent(text: string, offset: number): string {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(ls))![0];
}

/** Sets a field: replaces its value, or inserts `.field = value,` into a designated initializer. */
export function setField(c: CellRef, node: Node, field: string, value: string, after: string[] = []): TextEdit | undefined {
  const v = valueLoc(c, node, field);
  if (v) return { loc: v, newText: value };
  if (node.$fieldLoc[field] || !node.$loc || !isBraced(c, node)) return undefined;
  const text = textOf(c, node.$loc.file)!;
  // Next to a related field when one is written on its own line (`.num_irqchips` after `.num_memory_regions`).
  for (const sib of after) {
    const sl = valueLoc(c, node, sib);
    if (!sl) continue;
    const eol = text.indexOf('\n', sl.end);
    const rest = text.slice(sl.end, eol < 0 ? text.length : eol);
    if (!/^\s*,/.test(rest)) continue;
    const at = eol < 0 ? text.length : eol;
    return { loc: { file: sl.file, start: at, end: at }, newText: `\n${lineIndent(text, sl.start)}.${field} = ${value},` };
  }
  const open = text.indexOf('{', node.$loc.start);
  if (open < 0 || open >= node.$loc.end) return undefined;
  // Only designated initializers can take a field anywhere; positional lists cannot.
  const rest = text.slice(open + 1, node.$loc.end).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '').trimStart();
  if (rest[0] !== '.' && rest[0] !== '}') return undefined;
  const firstField = /\S/.exec(text.slice(open + 1));
  const afterBrace = text.slice(open + 1, open + 1 + (firstField?.index ?? 0));
  const nl = afterBrace.includes('\n');
  const indent = nl ? lineIndent(text, open + 1 + firstField!.index) : lineIndent(text, open) + '\t';
  if (rest[0] === '}') {
    return { loc: { file: node.$loc.file, start: open + 1, end: open + 1 }, newText: `\n${indent}.${field} = ${value},\n${lineIndent(text, open)}` };
  }
  return { loc: { file: node.$loc.file, start: open + 1, end: open + 1 }, newText: `\n${indent}.${field} = ${value},` };
}

/** ORs a flag constant into a flags field. */
export function addFlag(c: CellRef, node: Node, field: string, flag: string): TextEdit | undefined {
  const v = valueLoc(c, node, field);
  if (v) {
    const old = slice(c, v);
    return { loc: { file: v.file, start: v.end, end: v.end }, newText: /\n/.test(old) ? ` |\n${lineIndent(textOf(c, v.file)!, v.end)}${flag}` : ` | ${flag}` };
  }
  return setField(c, node, field, flag);
}

/**
 * Drops a flag constant written literally in an OR-list (`A | FLAG | B`); nothing when the flag
 * comes from a macro or appears more than once.
 */
export function removeFlag(c: CellRef, node: Node, field: string, flag: string): TextEdit | undefined {
  const v = valueLoc(c, node, field);
  if (!v) return undefined;
  const old = slice(c, v);
  const word = new RegExp(`\\b${flag}\\b`, 'g');
  if ((old.match(word) ?? []).length !== 1) return undefined;
  const after = new RegExp(`\\s*\\|\\s*\\b${flag}\\b`);
  const before = new RegExp(`\\b${flag}\\b\\s*\\|\\s*`);
  const m = after.exec(old) ?? before.exec(old);
  if (m) return { loc: v, newText: old.slice(0, m.index) + old.slice(m.index + m[0].length) };
  return old.trim() === flag ? { loc: v, newText: '0' } : undefined;
}

export function replace(loc: Loc, newText: string): TextEdit {
  return { loc, newText };
}

/** Applies edits to one text (edits of other files ignored); used by tests and the CLI. */
export function applyEdits(text: string, file: string, edits: TextEdit[]): string {
  const mine = edits.filter((e) => e.loc.file === file).sort((a, b) => b.loc.start - a.loc.start);
  let out = text;
  for (const e of mine) out = out.slice(0, e.loc.start) + e.newText + out.slice(e.loc.end);
  return out;
}

export const hexLit = (v: bigint): string => '0x' + v.toString(16);
