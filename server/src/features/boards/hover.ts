// Board-aware hover: what an address, a region or an interrupt bit hits on the board —
// device name, compatible, register window, interrupts, description — and which cells map it.
import type { Doc } from '../context';
import { tokenAt } from '../cursor';
import { contains, fieldAt, nodeAt } from '../nodes';
import type { ConfigModel, Irqchip, MemoryRegion } from '../../core/model';
import { TK } from '../../syntax/lexer';
import type { Loc } from '../../util/source';
import { MEM } from '../../boards/rootBoard';
import type { Board, BoardDevice, BoardIrq } from '../../boards/types';
import { hex, intidOf, irqLabel, sizeLabel } from '../../boards/types';
import { bitIds } from '../../util/format';
import { containsWindow, effectiveBoard, grantedIrqs, irqKey, mappers, otherConfigs, overlaps, regionWindow, type BoardFeatureContext } from '../../rules/boards/context';

/** Fields holding physical addresses (a number elsewhere is a size, a count or flags). */
const ADDRESS_FIELDS = new Set(['phys_start', 'virt_start', 'address', 'gicd_base', 'gicc_base', 'gich_base', 'gicv_base', 'gicr_base', 'pci_mmconfig_base', 'base', 'tlb_base', 'clock_reg', 'msix_address']);

export interface BoardHover {
  markdown: string;
  loc: Loc;
}

function parseNumber(text: string): bigint | undefined {
  const t = text.replace(/[uUlL]+$/, '');
  try {
    if (/^0[0-7]+$/.test(t)) return BigInt(`0o${t.slice(1)}`);
    return BigInt(t);
  } catch {
    return undefined;
  }
}

function irqText(board: Board, q: BoardIrq): string {
  const id = intidOf(q);
  const base = irqLabel(q) + (id !== undefined ? ` (INTID ${id})` : '');
  if (q.type === 'ioapic' && board.interruptController?.type === 'ioapic') {
    const a = board.interruptController.ioapics[q.ioapic ?? 0];
    return a ? `${base} on IOAPIC ${hex(a.base)}` : base;
  }
  return base;
}

export function deviceMarkdown(board: Board, d: BoardDevice, models: ConfigModel[]): string[] {
  const lines = [`**${d.name}**${d.description ? ` — ${d.description}` : ''}${d.disabled ? ' _(disabled in the board DT)_' : ''}`];
  if (d.compatible.length) lines.push(`- compatible: \`${d.compatible.join('`, `')}\``);
  for (const w of d.reg) lines.push(`- ${w.space === 'pio' ? 'ports' : 'registers'} \`${hex(w.base)}\`–\`${hex(w.base + w.size - 1n)}\` (${sizeLabel(w.size)})`);
  if (d.interrupts.length) lines.push(`- interrupts: ${[...new Set(d.interrupts.map((q) => irqText(board, q)))].join(', ')}`);
  const maps = d.reg.filter((w) => w.space !== 'pio').flatMap((w) => mappers(w, models));
  if (maps.length) lines.push(`- mapped by: ${[...new Set(maps)].join(', ')}`);
  if (d.docs) lines.push(`- [documentation](${d.docs})`);
  return lines;
}

function header(board: Board, fromRoot: boolean): string {
  return `*Board: ${board.name}${fromRoot ? '' : board.soc ? ` · ${board.soc}` : ''}*`;
}

export function boardHover(doc: Doc, offset: number, ctx: BoardFeatureContext): BoardHover | undefined {
  const eb = effectiveBoard(doc.analysis, ctx);
  const model = doc.analysis.model;
  if (!eb) return undefined;
  const { board } = eb;
  const file = doc.file;
  const models = [...(model ? [model] : []), ...otherConfigs(doc.analysis, ctx)];
  const tok = tokenAt(doc.tokens, offset);
  const tokLoc = tok ? { file, start: tok.start, end: tok.end } : undefined;

  // An interrupt bit: a word of an irqchip's pin_bitmap.
  if (model) {
    const chipRef = nodeAt(model, file, offset, 'irqchips');
    const chip = chipRef?.node as Irqchip | undefined;
    const bitmapLoc = chip?.$fieldLoc.pin_bitmap;
    if (chip && contains(bitmapLoc, file, offset)) {
      const word = wordIndex(doc.text, bitmapLoc, offset);
      if (word !== undefined && word < chip.pin_bitmap.length) {
        const lines = irqWordLines(board, model, chip, word, models);
        if (lines.length) return { markdown: [header(board, eb.fromRoot), '', ...lines].join('\n'), loc: tokLoc ?? bitmapLoc };
      }
    }
  }

  // A region: the devices it covers (fully or partly).
  const regionRef = model && nodeAt(model, file, offset, 'mem_regions');
  const onNumber = tok && tok.kind === TK.Number;
  if (regionRef && !onNumber) {
    const r = regionRef.node as MemoryRegion;
    if ((r.flags & MEM.COMM_REGION) !== 0n || r.size === 0n) return undefined;
    const w = regionWindow(r);
    const hits = board.devices.filter((d) => d.reg.some((x) => x.space !== 'pio' && overlaps(x, w)));
    if (!hits.length) return undefined;
    const lines = [header(board, eb.fromRoot), ''];
    for (const d of hits.slice(0, 12)) {
      const full = d.reg.filter((x) => x.space !== 'pio').every((x) => !overlaps(x, w) || containsWindow(w, x));
      lines.push(...deviceMarkdown(board, d, models), `- this region covers it ${full ? 'fully' : '**partly**'}`, '');
    }
    if (hits.length > 12) lines.push(`… and ${hits.length - 12} more devices`);
    return { markdown: lines.join('\n').trimEnd(), loc: r.$loc ?? tokLoc! };
  }

  // Any address: the devices whose window holds it (sizes, flags and counts are no addresses).
  if (tok && onNumber) {
    const v = parseNumber(tok.text);
    if (v === undefined || v < 0x1000n) return undefined;
    const field = model ? fieldAt(model, file, offset) : undefined;
    if (field && !ADDRESS_FIELDS.has(field.field)) return undefined;
    if (field?.field === 'virt_start') {
      const r = field.ref.node as MemoryRegion;
      if (r.virt_start !== r.phys_start) return undefined;
    }
    const hits = board.devices.filter((d) => d.reg.some((x) => x.space !== 'pio' && v >= x.base && v < x.base + x.size));
    const ram = board.ram.find((x) => v >= x.base && v < x.base + x.size);
    if (!hits.length && !ram) return undefined;
    const lines = [header(board, eb.fromRoot), ''];
    for (const d of hits.slice(0, 6)) lines.push(...deviceMarkdown(board, d, models), '');
    if (ram) lines.push(`RAM bank \`${hex(ram.base)}\`–\`${hex(ram.base + ram.size - 1n)}\` (${sizeLabel(ram.size)})`);
    return { markdown: lines.join('\n').trimEnd(), loc: tokLoc! };
  }
  return undefined;
}

/** Index of the array element of `loc` (a `{ a, b, … }` initializer) that holds `offset`. */
function wordIndex(text: string, loc: Loc, offset: number): number | undefined {
  const body = text.slice(loc.start, offset);
  const open = body.indexOf('{');
  if (open < 0) return undefined;
  let depth = 0;
  let idx = 0;
  for (const ch of body.slice(open + 1)) {
    if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) idx++;
  }
  return idx;
}

function irqWordLines(board: Board, model: ConfigModel, chip: Irqchip, word: number, models: ConfigModel[]): string[] {
  const bits = chip.pin_bitmap[word];
  const lines: string[] = [];
  const isIoapic = board.interruptController?.type === 'ioapic';
  for (const b of bitIds([bits], 32)) {
    const n = isIoapic ? word * 32 + b : Number(chip.pin_base) + word * 32 + b;
    const key = isIoapic ? `${hex(chip.address)}:${n}` : String(n);
    const devs = board.devices.filter((d) => d.interrupts.some((q) => irqKey(board, q) === key));
    const what = isIoapic ? `pin ${n}` : n >= 32 ? `INTID ${n} (SPI ${n - 32})` : `INTID ${n}`;
    const others = models.filter((m) => m !== model && grantedIrqs(m, board).has(key)).map((m) => `"${m.cell.name || m.file}"`);
    lines.push(`- ${what}: ${devs.length ? devs.map((d) => `**${d.name}**${d.description ? ` (${d.description})` : ''}`).join(', ') : '_no board device_'}${others.length ? ` · also granted to ${others.join(', ')}` : ''}`);
    if (lines.length > 40) break;
  }
  return lines;
}
