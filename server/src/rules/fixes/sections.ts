// Adding a whole wrapper section (declaration, initializer and count), in canonical order.
import { WRAPPER_SECTIONS } from '../../schema';
import type { WrapperMember } from '../../core/model';
import type { CellRef, TextEdit } from '../types';
import { setField, textOf } from './edit';

const ORDER: string[] = WRAPPER_SECTIONS.map((s) => s.member);

/** Count fields that precede `count` in canonical order, nearest first. */
export function countsBefore(count: string): string[] {
  const counts: string[] = WRAPPER_SECTIONS.map((s) => s.count);
  return counts.slice(0, counts.indexOf(count)).reverse();
}

function lineStart(text: string, off: number): number {
  return text.lastIndexOf('\n', off - 1) + 1;
}
function lineEnd(text: string, off: number): number {
  const e = text.indexOf('\n', off);
  return e < 0 ? text.length : e;
}
function indentAt(text: string, off: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, off)))![0];
}

/**
 * Edits that add section `role` with the given element initializers (each already indented
 * for one level inside the section braces, without trailing comma) and point the count at it.
 */
export function addSection(c: CellRef, role: string, cType: string, elements: string[]): TextEdit[] | undefined {
  const text = textOf(c, c.file);
  if (!text) return undefined;
  const idx = ORDER.indexOf(role);
  const members = c.model.members.filter((m) => m.loc.file === c.file);
  if (members.some((m) => m.role === role)) return undefined;
  const after = members.filter((m) => m.role && ORDER.indexOf(m.role) > idx);
  const before = members.filter((m) => m.role === 'header' || (m.role && ORDER.indexOf(m.role) < idx));
  const next: WrapperMember | undefined = after[0];
  const prev: WrapperMember | undefined = before[before.length - 1];
  const edits: TextEdit[] = [];
  const n = elements.length;

  // Declaration.
  if (next) {
    const at = lineStart(text, next.loc.start);
    edits.push({ loc: { file: c.file, start: at, end: at }, newText: `${indentAt(text, next.loc.start)}${cType} ${role}[${n}];\n` });
  } else if (prev) {
    const at = lineEnd(text, prev.loc.end);
    edits.push({ loc: { file: c.file, start: at, end: at }, newText: `\n${indentAt(text, prev.loc.start)}${cType} ${role}[${n}];` });
  } else return undefined;

  // Initializer.
  const body = (ind: string) => `${ind}.${role} = {\n${elements.map((e) => `${e},\n`).join('')}${ind}}`;
  const nextInit = after.find((m) => m.initLoc && m.initLoc.file === c.file)?.initLoc;
  const prevInit = [...before].reverse().find((m) => m.initLoc && m.initLoc.file === c.file)?.initLoc;
  if (nextInit) {
    const at = lineStart(text, nextInit.start);
    edits.push({ loc: { file: c.file, start: at, end: at }, newText: `${body(indentAt(text, nextInit.start))},\n\n` });
  } else if (prevInit) {
    let p = prevInit.end;
    while (p < text.length && /\s/.test(text[p])) p++;
    const ind = indentAt(text, prevInit.start);
    if (text[p] === ',') edits.push({ loc: { file: c.file, start: p + 1, end: p + 1 }, newText: `\n\n${body(ind)},` });
    else edits.push({ loc: { file: c.file, start: prevInit.end, end: prevInit.end }, newText: `,\n\n${body(ind)}` });
  } else return undefined;

  // Count.
  const sec = WRAPPER_SECTIONS.find((s) => s.member === role)!;
  const count = setField(c, c.model.cell, sec.count, sec.member === 'cpus' ? 'sizeof(config.cpus)' : `ARRAY_SIZE(config.${role})`, countsBefore(sec.count));
  if (!count) return undefined;
  edits.push(count);
  return edits;
}
