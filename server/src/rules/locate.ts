// Where a finding lands: the exact field when the source gave it, else the element, else the
// wrapper member, else the top of the file. Locations inside built-in headers are never used:
// a user cannot act on them.
import type { Node, WrapperMember } from '../core/model';
import type { Loc } from '../util/source';
import type { CellRef } from './types';

const usable = (c: CellRef, loc: Loc | undefined): loc is Loc =>
  !!loc && !loc.file.startsWith('<') && c.analysis.files.has(loc.file);

export function member(c: CellRef, role: string): WrapperMember | undefined {
  return c.model.members.find((m) => m.role === role);
}

export function fileStart(c: CellRef): Loc {
  return { file: c.file, start: 0, end: 0 };
}

/** The element (or its field) of a wrapper section. */
export function nodeLoc(c: CellRef, node: Node, field?: string, section?: string): Loc {
  if (field && usable(c, node.$fieldLoc[field])) return node.$fieldLoc[field]!;
  if (usable(c, node.$loc)) return node.$loc!;
  if (section) {
    const m = member(c, section);
    if (m && usable(c, m.initLoc)) return m.initLoc!;
    if (m && usable(c, m.loc)) return m.loc;
  }
  return headerLoc(c);
}

/** A field of the cell descriptor (`num_memory_regions`, `name`, …). */
export function cellFieldLoc(c: CellRef, field?: string): Loc {
  const cell = c.model.cell;
  if (field && usable(c, cell.$fieldLoc[field])) return cell.$fieldLoc[field]!;
  return headerLoc(c);
}

export function headerLoc(c: CellRef): Loc {
  if (usable(c, c.model.cell.$loc)) return c.model.cell.$loc!;
  if (usable(c, c.model.header.$loc)) return c.model.header.$loc!;
  const h = member(c, 'header');
  if (h && usable(c, h.loc)) return h.loc;
  return fileStart(c);
}

export function memberLoc(c: CellRef, role: string): Loc {
  const m = member(c, role);
  if (m && usable(c, m.lengthLoc)) return m.lengthLoc!;
  if (m && usable(c, m.loc)) return m.loc;
  return headerLoc(c);
}

/** Location of CPU word `w` of the bitmap. */
export function cpusLoc(c: CellRef, w = 0): Loc {
  const l = c.model.cpusLoc[w];
  if (usable(c, l)) return l;
  const m = member(c, 'cpus');
  if (m && usable(c, m.initLoc)) return m.initLoc!;
  return memberLoc(c, 'cpus');
}
