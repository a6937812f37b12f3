// Hover: field documentation, decoded constants and flag values, numbers in hex/decimal/size,
// region extents (and which other cells map them), CPU lists, macro expansions.
import { basename } from 'node:path';
import type { Analysis } from '../core/analysis';
import type { MemoryRegion } from '../core/model';
import { CONSTANT_GROUPS, CONSTANTS_BY_NAME, constantsOfGroup, resolveField, struct as schemaStruct, type LaidOutField, type TypeRef } from '../schema';
import { TK } from '../syntax/lexer';
import type { Loc } from '../util/source';
import { groupingWhy } from '../workspace/reasons';
import { type Doc, type FeatureContext } from './context';
import { cursorContext, tokenAt } from './cursor';
import { cpuList, decode, describeValue, hex, humanSize } from './format';
import { contains, fieldAt, fieldValue, nodeAt } from './nodes';

export interface HoverResult {
  markdown: string;
  loc: Loc;
}

export function hover(doc: Doc, offset: number, ctx: FeatureContext = {}): HoverResult | undefined {
  const { analysis } = doc;
  const file = analysis.file;
  const tok = tokenAt(doc.tokens, offset);
  const tokLoc = tok ? { file, start: tok.start, end: tok.end } : undefined;

  const macro = analysis.macroUses.find((u) => contains(u.loc, file, offset) && u.loc.start <= offset);
  if (tok && tok.kind === TK.Ident && !CONSTANTS_BY_NAME.has(tok.text) && macro) return macroHover(macro, analysis);

  if (tok && tok.kind === TK.Ident) {
    const prev = doc.tokens[doc.tokens.indexOf(tok) - 1];
    if (prev?.text === '.') {
      const f = designatorHover(doc, tok.start - 1, tok.text, ctx);
      if (f) return { markdown: f, loc: tokLoc! };
    }
    const k = CONSTANTS_BY_NAME.get(tok.text);
    if (k) return { markdown: constantHover(doc, offset, k.name), loc: tokLoc! };
    if (macro) return macroHover(macro, analysis);
  }
  if (tok && tok.kind === TK.Number) {
    const md = numberHover(doc, offset, tok.text, ctx);
    if (md) return { markdown: md, loc: tokLoc! };
  }
  return headerDeclHover(doc, offset, ctx);
}

/** The header member's declaration (`struct jailhouse_cell_desc cell`): which system, and why. */
function headerDeclHover(doc: Doc, offset: number, ctx: FeatureContext): HoverResult | undefined {
  const m = doc.analysis.model?.members.find((x) => x.role === 'header');
  if (!m) return undefined;
  if (m.loc.file !== doc.file) {
    // A wrapper config: its `#include` of the config it wraps stands for the header.
    const { includes } = doc.analysis;
    let inc = includes.find((i) => i.target === m.loc.file);
    for (let hops = 0; inc && inc.loc.file !== doc.file && hops < includes.length; hops++) inc = includes.find((i) => i.target === inc!.loc.file);
    if (!inc || !contains(inc.loc, doc.file, offset)) return undefined;
    const kind = doc.analysis.model!.kind === 'system' ? 'system' : 'cell';
    return { markdown: [`**${m.name}** \`${typeName(m.type)}\` — the ${kind} header, in \`${basename(m.loc.file)}\`: this file is a wrapper of that ${kind} configuration`, '', ...systemLines(doc, ctx)].join('\n'), loc: inc.loc };
  }
  if (!contains(m.loc, doc.file, offset)) return undefined;
  return { markdown: [`**${m.name}** \`${typeName(m.type)}\` — the ${doc.analysis.model!.kind === 'system' ? 'system' : 'cell'} header`, '', ...systemLines(doc, ctx)].join('\n'), loc: m.loc };
}

/** Header hover: the system this file is checked in, and for a cell why that root. */
function systemLines(doc: Doc, ctx: FeatureContext): string[] {
  const sys = ctx.system;
  const model = doc.analysis.model;
  if (!model) return [];
  const label = (a: Analysis) => `${a.model?.cell.name ? `**${a.model.cell.name}** ` : ''}(\`${basename(a.file)}\`)`;
  if (model.kind === 'system') {
    const cells = (sys?.cells ?? []).filter((c) => c.file !== doc.file);
    return [`System configuration (root cell) of ${cells.length} cell${cells.length === 1 ? '' : 's'}${cells.length ? `: ${cells.map((c) => `\`${basename(c.file)}\``).join(', ')}` : ''}`];
  }
  const g = sys?.grouping?.[doc.file] ?? { reason: 'none' as const };
  if (!sys?.root || g.reason === 'none') return [`Checked **without a root cell**: ${groupingWhy(g)}.`];
  return [`Checked with root ${label(sys.root)}: ${groupingWhy(g, sys.declaredIn)}.`];
}

function macroHover(use: Analysis['macroUses'][number], analysis: Analysis): HoverResult {
  const def = use.def;
  const sig = def.params ? `${def.name}(${def.params.join(', ')})` : def.name;
  const where = def.builtin ? 'built-in Jailhouse header' : def.loc.file === analysis.file ? 'this file' : def.loc.file;
  const lines = ['```c', `#define ${sig} ${def.body}`.trim(), '```', `Expands to:`, '```c', clip(use.expansion), '```', `*Defined in ${where}.*`];
  return { markdown: lines.join('\n'), loc: use.loc };
}

function clip(s: string, max = 1200): string {
  return s.length > max ? `${s.slice(0, max)} …` : s;
}

export function typeName(t: TypeRef): string {
  switch (t.kind) {
    case 'int':
      return `__${t.int}`;
    case 'bits':
      return `__${t.int} : ${t.width}`;
    case 'char':
      return `char[${t.length}]`;
    case 'array':
      return `${typeName(t.of)}[${t.length}]`;
    case 'struct':
      return schemaStruct(t.name).cName ?? t.name;
  }
}

export function fieldDoc(structName: string, f: LaidOutField): string[] {
  const lines = [`**${f.name}** \`${typeName(f.type)}\` — ${schemaStruct(structName).cName ?? structName}`, '', f.doc];
  if (f.constants) {
    const g = CONSTANT_GROUPS.find((x) => x.id === f.constants);
    const names = constantsOfGroup(f.constants).map((c) => `\`${c.name}\``);
    lines.push('', `${g?.kind === 'flags' ? 'Flags (OR together)' : 'One of'}: ${names.join(', ')}`);
  }
  return lines;
}

function designatorHover(doc: Doc, dotOffset: number, name: string, ctx: FeatureContext): string | undefined {
  const c = cursorContext(doc.text, dotOffset, doc.tokens);
  if (c.frame?.kind === 'wrapper') {
    const m = c.wrapper.find((w) => w.name === name);
    if (!m) return undefined;
    const lines = [`**${name}**${m.type ? ` \`${typeName(m.type)}\`` : ''} — wrapper member`];
    const model = doc.analysis.model;
    if (model && name === 'cpus') lines.push('', `CPUs: ${cpuList(model.cpus)}`);
    if (model?.members.find((x) => x.role === 'header')?.name === name) lines.push('', ...systemLines(doc, ctx));
    return lines.join('\n');
  }
  if (!c.structName) return undefined;
  const chain = resolveField(schemaStruct(c.structName), name);
  if (!chain) return undefined;
  const f = chain[chain.length - 1];
  const lines = fieldDoc(c.structName, f);
  const current = currentValue(doc, dotOffset, name);
  if (current !== undefined) lines.push('', `Value: ${current}`);
  return lines.join('\n');
}

function currentValue(doc: Doc, offset: number, field: string): string | undefined {
  const model = doc.analysis.model;
  if (!model) return undefined;
  const ref = nodeAt(model, doc.file, offset);
  if (!ref || !resolveField(schemaStruct(ref.structName), field)) return undefined;
  return formatField(ref.structName, field, fieldValue(ref.node, field));
}

function formatField(structName: string, field: string, v: unknown): string | undefined {
  const chain = resolveField(schemaStruct(structName), field);
  const f = chain?.[chain.length - 1];
  if (typeof v === 'bigint') {
    if (f?.constants) return `\`${describeValue(v, f.constants)}\` (${hex(v)})`;
    return f?.display === 'hex' || v > 9n ? `\`${hex(v)}\` = ${v}` : `\`${v}\``;
  }
  if (typeof v === 'string') return `\`"${v}"\``;
  if (Array.isArray(v) && v.every((x) => typeof x === 'bigint')) return `\`{ ${v.map((x) => hex(x)).join(', ')} }\``;
  return undefined;
}

function constantHover(doc: Doc, offset: number, name: string): string {
  const k = CONSTANTS_BY_NAME.get(name)!;
  const g = CONSTANT_GROUPS.find((x) => x.id === k.group);
  const lines = [`**${k.name}** = \`${k.literal ?? hex(k.value)}\`${k.value > 9n ? ` (${k.value})` : ''}`, '', k.doc];
  if (g) lines.push('', `*${g.doc}* (${g.kind === 'flags' ? 'flag' : 'value'})`);
  const model = doc.analysis.model;
  const hit = model && fieldAt(model, doc.file, offset);
  if (hit) {
    const v = fieldValue(hit.ref.node, hit.field);
    const chain = resolveField(schemaStruct(hit.ref.structName), hit.field);
    const group = chain?.[chain.length - 1].constants;
    if (typeof v === 'bigint' && group) {
      const d = decode(v, group);
      lines.push('', `\`.${hit.field}\` = ${hex(v)}: ${d.names.map((n) => `\`${n}\``).join(' | ') || 'none'}${d.rest ? ` + unknown bits ${hex(d.rest)}` : ''}`);
    }
  }
  return lines.join('\n');
}

function parseNumber(text: string): bigint | undefined {
  const t = text.replace(/[uUlL]+$/, '');
  try {
    if (/^0[bB][01]+$/.test(t)) return BigInt(t);
    if (/^0[0-7]+$/.test(t)) return BigInt(`0o${t.slice(1)}`);
    return BigInt(t);
  } catch {
    return undefined;
  }
}

function numberHover(doc: Doc, offset: number, text: string, ctx: FeatureContext): string | undefined {
  const n = parseNumber(text);
  if (n === undefined) return undefined;
  const lines = [`\`${hex(n)}\` = ${n}${n >= 1024n ? ` = ${humanSize(n)}` : ''}`];
  const model = doc.analysis.model;
  if (model) {
    const cpuIdx = model.cpusLoc.findIndex((l) => contains(l, doc.file, offset));
    if (cpuIdx >= 0) lines.push('', `CPUs: ${cpuList([model.cpus[cpuIdx]]).replace(/\d+/g, (d) => String(Number(d) + 64 * cpuIdx))}`);
    const hit = fieldAt(model, doc.file, offset);
    if (hit) {
      const f = formatField(hit.ref.structName, hit.field, fieldValue(hit.ref.node, hit.field));
      if (f) lines.push('', `\`${hit.ref.path}.${hit.field}\` = ${f}`);
    }
    const region = nodeAt(model, doc.file, offset, 'mem_regions');
    if (region) lines.push('', ...regionLines(region.node as MemoryRegion, doc.analysis, ctx));
  }
  return lines.join('\n');
}

export function regionLines(r: MemoryRegion, analysis: Analysis, ctx: FeatureContext): string[] {
  const end = (s: bigint) => hex(s + r.size - (r.size > 0n ? 1n : 0n));
  const lines = [
    `**Region ${r.$index}**${r.$name ? ` (${r.$name})` : ''}: ${humanSize(r.size)}`,
    '',
    `- phys \`${hex(r.phys_start)}\`–\`${end(r.phys_start)}\``,
    `- virt \`${hex(r.virt_start)}\`–\`${end(r.virt_start)}\``,
    `- flags \`${describeValue(r.flags, 'mem-flags')}\``,
  ];
  const others = otherMappers(r, analysis, ctx);
  if (others.length) lines.push(`- also mapped by: ${others.join(', ')}`);
  return lines;
}

/** Cells of the same system whose regions overlap this one physically (shared memory, shared devices). */
function otherMappers(r: MemoryRegion, analysis: Analysis, ctx: FeatureContext): string[] {
  const sys = ctx.system;
  if (!sys || r.size === 0n) return [];
  const out: string[] = [];
  for (const a of [sys.root, ...sys.cells]) {
    if (!a?.model || a.file === analysis.file) continue;
    const hits = a.model.mem_regions.filter((o) => o.size > 0n && o.phys_start < r.phys_start + r.size && r.phys_start < o.phys_start + o.size);
    if (hits.length) out.push(`${a.model.cell.name || a.file.split('/').pop()} (region ${hits.map((h) => h.$index).join(', ')})`);
  }
  return out;
}
