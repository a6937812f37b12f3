// Quick fixes for the board diagnostics, as plain text edits:
//  - board-device-uncovered: add the device's region (or PIO range) to the cell, growing the
//    declared array when it is full (a literal length, or a plain-number macro of the file);
//  - board-partial-device: start the region at the device's base, keeping its end.
import type { Analysis } from '../../core/analysis';
import type { Diag } from '../../core/diagnostics';
import type { MemoryRegion, WrapperMember } from '../../core/model';
import { resizeSection } from '../fixes/arrays';
import type { Loc } from '../../util/source';
import { hex } from '../../boards/types';

export interface BoardEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface BoardFix {
  title: string;
  edits: BoardEdit[];
  preferred?: boolean;
}

/** What the diagnostics put in `data` for their fixes. */
export interface UncoveredData {
  device: string;
  base: string;
  size: string;
  space: 'mmio' | 'pio';
  /** Page-rounded region to add (mmio). */
  region?: { base: string; size: string; rootShared: boolean };
}

export interface PartialData {
  device: string;
  base: string;
  size: string;
  region: number;
}

const lineStartOf = (text: string, off: number) => text.lastIndexOf('\n', off - 1) + 1;
const indentOf = (text: string, off: number) => /^[ \t]*/.exec(text.slice(lineStartOf(text, off)))![0];

/** Edits that append one element to a wrapper section (rules/fixes/commPage.ts adds a region too). */
export function appendElement(analysis: Analysis, role: 'mem_regions' | 'pio_regions', element: (indent: string) => string): BoardEdit[] | undefined {
  const model = analysis.model;
  const text = analysis.files.get(analysis.file)?.text;
  const member: WrapperMember | undefined = model?.members.find((m) => m.role === role && m.loc.file === analysis.file);
  if (!model || !text || !member?.initLoc || member.initLoc.file !== analysis.file) return undefined;
  const close = text.lastIndexOf('}', member.initLoc.end);
  if (close <= member.initLoc.start) return undefined;
  const closeIndent = indentOf(text, close);
  const at = lineStartOf(text, close);
  // Only when the closing brace is on its own line, so the new element gets lines of its own.
  if (text.slice(at, close).trim() !== '') return undefined;
  const edits: BoardEdit[] = [{ file: analysis.file, start: at, end: at, newText: `${element(closeIndent + '\t')}\n` }];
  // The declaration grows as for any inserted element (a count written as a number follows).
  if (member.length !== undefined && member.initialized + 1 > member.length) {
    const r = resizeSection({ analysis, model, file: analysis.file, label: analysis.file, isRoot: model.kind === 'system' }, role, member.initialized + 1);
    if ('reason' in r) return undefined;
    for (const e of r.edits) edits.push({ file: e.loc.file, start: e.loc.start, end: e.loc.end, newText: e.newText });
  }
  return edits;
}

function valueLoc(text: string, l: Loc | undefined): Loc | undefined {
  if (!l) return undefined;
  const m = /^\s*\.\s*[A-Za-z_]\w*\s*=\s*/.exec(text.slice(l.start, l.end));
  return m ? { ...l, start: l.start + m[0].length } : l;
}

export function boardFixes(diag: Diag, analysis: Analysis): BoardFix[] {
  if (diag.code === 'board-device-uncovered') {
    const d = diag.data as UncoveredData | undefined;
    if (!d) return [];
    if (d.space === 'pio') {
      const edits = appendElement(analysis, 'pio_regions', (ind) => `${ind}PIO_RANGE(${d.base}, ${d.size}), /* ${d.device} */`);
      return edits ? [{ title: `Open ${d.device}'s ports (PIO_RANGE(${d.base}, ${d.size}))`, edits, preferred: true }] : [];
    }
    const r = d.region;
    if (!r) return [];
    const flags = `JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |\n`;
    const edits = appendElement(analysis, 'mem_regions', (ind) =>
      [
        `${ind}/* ${d.device} */ {`,
        `${ind}\t.phys_start = ${r.base},`,
        `${ind}\t.virt_start = ${r.base},`,
        `${ind}\t.size = ${r.size},`,
        `${ind}\t.flags = ${flags}${ind}\t\tJAILHOUSE_MEM_IO${r.rootShared ? ' | JAILHOUSE_MEM_ROOTSHARED' : ''},`,
        `${ind}},`,
      ].join('\n'),
    );
    return edits ? [{ title: `Map ${d.device} (${r.base}, ${r.size})`, edits, preferred: true }] : [];
  }
  if (diag.code === 'board-partial-device') {
    const d = diag.data as PartialData | undefined;
    const text = analysis.files.get(analysis.file)?.text;
    const r: MemoryRegion | undefined = d ? analysis.model?.mem_regions[d.region] : undefined;
    if (!d || !text || !r?.$loc || r.$loc.file !== analysis.file || !text.slice(r.$loc.start, r.$loc.end).trimStart().startsWith('{')) return [];
    const phys = valueLoc(text, r.$fieldLoc.phys_start);
    const size = valueLoc(text, r.$fieldLoc.size);
    if (!phys || !size || phys.file !== analysis.file || size.file !== analysis.file) return [];
    const base = BigInt(d.base);
    const end = r.phys_start + r.size;
    const newSize = ((end - base + 0xfffn) & ~0xfffn);
    const edits: BoardEdit[] = [
      { file: analysis.file, start: phys.start, end: phys.end, newText: hex(base) },
      { file: analysis.file, start: size.start, end: size.end, newText: hex(newSize) },
    ];
    const virt = valueLoc(text, r.$fieldLoc.virt_start);
    if (virt && virt.file === analysis.file && r.virt_start === r.phys_start) edits.push({ file: analysis.file, start: virt.start, end: virt.end, newText: hex(base) });
    edits.sort((a, b) => a.start - b.start);
    return [{ title: `Start region ${d.region} at ${d.device}'s base ${hex(base)}`, edits }];
  }
  return [];
}
