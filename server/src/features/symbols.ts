// Document outline: the header (with its consoles and platform parts), then each wrapper
// section with its elements named by their comment (`/* UART2 */ {`) or their index.
import type { Node } from '../core/model';
import { WRAPPER_SECTIONS } from '../schema';
import { bdfText } from '../util/format';
import type { Loc } from '../util/source';
import type { Doc } from './context';
import { cpuList, hex, humanSize } from './format';
import { allNodes } from './nodes';

export type SymbolKind = 'struct' | 'array' | 'field' | 'object';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  loc: Loc;
  selection: Loc;
  children: OutlineSymbol[];
}

const HEADER_PARTS = new Set(['hypervisor_memory', 'debug_console', 'platform_info', 'root_cell', 'console', 'arm', 'x86']);

export function documentSymbols(doc: Doc): OutlineSymbol[] {
  const model = doc.analysis.model;
  if (!model) return [];
  const file = doc.file;
  const here = (n: Node | undefined): n is Node & { $loc: Loc } => !!n?.$loc && n.$loc.file === file;
  const out: OutlineSymbol[] = [];

  const header = model.header;
  if (here(header)) {
    const hs: OutlineSymbol = {
      name: model.kind === 'system' ? `system ${model.cell.name}` : `cell ${model.cell.name}`,
      detail: model.arch,
      kind: 'struct',
      loc: header.$loc,
      selection: header.$loc,
      children: [],
    };
    const parents = new Map<string, OutlineSymbol>();
    for (const ref of allNodes(model)) {
      if (ref.section || ref.node === header || !here(ref.node)) continue;
      const last = ref.path.split('.').pop()!;
      if (!HEADER_PARTS.has(last) && !/^iommu_units\[/.test(last)) continue;
      const sym: OutlineSymbol = { name: last, detail: detailOf(ref.node), kind: 'object', loc: ref.node.$loc, selection: ref.node.$loc, children: [] };
      const parentPath = ref.path.slice(0, ref.path.lastIndexOf('.'));
      (parents.get(parentPath)?.children ?? hs.children).push(sym);
      parents.set(ref.path, sym);
    }
    out.push(hs);
  }

  for (const m of model.members) {
    if (m.role === 'header' || !m.initLoc || m.initLoc.file !== file) continue;
    const sec = WRAPPER_SECTIONS.find((s) => s.member === m.role);
    const sym: OutlineSymbol = { name: m.name, detail: m.length !== undefined ? `[${m.length}]` : undefined, kind: 'array', loc: m.initLoc, selection: m.loc.file === file ? m.initLoc : m.initLoc, children: [] };
    if (m.role === 'cpus') sym.detail = `CPUs ${cpuList(model.cpus)}`;
    const list = sec && sec.member !== 'cpus' ? ((model as unknown as Record<string, Node[]>)[sec.member] ?? []) : [];
    for (const el of list) {
      if (!here(el)) continue;
      sym.children.push({ name: el.$name ?? `${m.name}[${el.$index}]`, detail: `[${el.$index}] ${detailOf(el) ?? ''}`.trim(), kind: 'field', loc: el.$loc, selection: el.$loc, children: [] });
    }
    out.push(sym);
  }
  return out;
}

function detailOf(n: Node): string | undefined {
  const r = n as unknown as Record<string, unknown>;
  if (typeof r.phys_start === 'bigint' && typeof r.size === 'bigint') return `${hex(r.phys_start)} ${humanSize(r.size)}`;
  if (typeof r.address === 'bigint' && r.address !== 0n) return hex(r.address);
  if (typeof r.bdf === 'bigint') return bdfText(r.bdf);
  return undefined;
}
