// Board-aware completion: device regions, free RAM and CPUs, irqchip blocks with the
// interrupts of the cell's devices, PIO ranges of x86 devices.
import type { Doc } from '../context';
import { asNewElements, type CompletionEntry } from '../completion';
import { cursorContext } from '../cursor';
import type { ConfigModel } from '../../core/model';
import { cpuIds, isRamRegion, MEM } from '../../boards/rootBoard';
import type { Board, BoardDevice, RegWindow } from '../../boards/types';
import { hex, irqLabel, sizeLabel } from '../../boards/types';
import { subtract as subtractSpans } from '../../util/spans';
import { containsWindow, effectiveBoard, grantedIrqs, isInterruptController, mmio, otherConfigs, overlaps, pio, regionWindow, rootModelOf, type BoardFeatureContext } from '../../rules/boards/context';

const PAGE = 0x1000n;
const pageDown = (v: bigint) => v & ~(PAGE - 1n);
const pageUp = (v: bigint) => (v + PAGE - 1n) & ~(PAGE - 1n);

export function boardCompletions(doc: Doc, offset: number, ctx: BoardFeatureContext): CompletionEntry[] {
  const model = doc.analysis.model;
  const eb = effectiveBoard(doc.analysis, ctx);
  if (!eb) return [];
  const c = cursorContext(doc.text, offset, doc.tokens);
  const section = c.path.length === 1 ? c.path[0] : undefined;
  const replaceStart = c.wordStart;
  if (c.frame?.kind === 'array' && c.frame.of.kind === 'struct' && section) {
    // New elements: the declaration grows to hold them (the member's name may be any).
    const role = model?.members.find((m) => m.name === section)?.role;
    const fit = (items: CompletionEntry[]) => items.map((e) => asNewElements(doc, section, e, offset));
    if (role === 'mem_regions') return fit([...deviceItems(eb.board, model, doc, ctx, replaceStart), ...ramItems(eb.board, model, doc, ctx, replaceStart)]);
    if (role === 'irqchips') return fit(irqchipItems(eb.board, model, replaceStart));
    if (role === 'pio_regions') return fit(pioItems(eb.board, model, replaceStart));
  }
  if (c.inIntArray && c.path.length === 1 && c.path[0] === 'cpus') return cpuItems(eb.board, model, doc, ctx, offset, replaceStart);
  return [];
}

/**
 * Multi-line texts are indented relative to the line they start on (the client adds that
 * line's indentation): the body one tab in, the closing brace at the start.
 */
function regionText(name: string, phys: bigint, virt: bigint, size: bigint, flags: string[]): string {
  const i2 = '\t';
  const flagLines: string[] = [];
  let line = '';
  for (const f of flags) {
    const piece = line ? `${line} | ${f}` : f;
    if (piece.length > 48 && line) {
      flagLines.push(line + ' |');
      line = f;
    } else line = piece;
  }
  flagLines.push(line);
  return [
    `/* ${name} */ {`,
    `${i2}.phys_start = ${hex(phys)},`,
    `${i2}.virt_start = ${hex(virt)},`,
    `${i2}.size = ${hex(size)},`,
    `${i2}.flags = ${flagLines.join(`\n${i2}\t`)},`,
    `},`,
  ].join('\n');
}

function deviceItems(board: Board, model: ConfigModel | undefined, doc: Doc, ctx: BoardFeatureContext, replaceStart: number): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const root = rootModelOf(doc.analysis, ctx);
  const isRoot = model?.kind === 'system';
  const own = model?.mem_regions ?? [];
  for (const d of board.devices) {
    const windows = mmio(d);
    if (!windows.length || isInterruptController(board, d)) continue;
    const mapped = windows.every((w) => own.some((r) => r.size > 0n && containsWindow(regionWindow(r), w)));
    const regions = windows.map((w) => ({ base: pageDown(w.base), size: pageUp(w.base + w.size) - pageDown(w.base) }));
    const shared = !isRoot && !!root && regions.some((w) => root.mem_regions.some((r) => (r.flags & MEM.IO) !== 0n && overlaps(regionWindow(r), w)));
    const flags = ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_IO', ...(shared ? ['JAILHOUSE_MEM_ROOTSHARED'] : [])];
    const text = regions.map((w, i) => regionText(regions.length > 1 ? `${d.name} (${i + 1}/${regions.length})` : d.name, w.base, w.base, w.size, flags)).join('\n');
    const irqs = d.interrupts.filter((q) => q.type === 'spi' || q.type === 'ioapic');
    const label = [d.name, hex(windows[0].base), sizeLabel(windows[0].size), ...(irqs.length ? [irqs.slice(0, 3).map(irqLabel).join(', ') + (irqs.length > 3 ? ', …' : '')] : [])].join(' · ');
    const rounded = regions.some((r, i) => r.base !== windows[i].base || r.size !== windows[i].size);
    const doc = [
      `**${d.name}**${d.description ? ` — ${d.description}` : ''}`,
      d.compatible.length ? `\`${d.compatible.join('`, `')}\`` : '',
      windows.map((w) => `\`${hex(w.base)}\`–\`${hex(w.base + w.size - 1n)}\` (${sizeLabel(w.size)})`).join(', '),
      rounded ? '_Rounded to whole 4 KiB pages._' : '',
      shared ? '_The root cell maps it too: ROOTSHARED keeps it there._' : '',
      d.disabled ? '_Disabled in the board device tree._' : '',
      d.docs ? `[Documentation](${d.docs})` : '',
    ].filter(Boolean).join('\n\n');
    out.push({
      label,
      kind: 'snippet',
      detail: `${mapped ? 'already mapped · ' : ''}${d.disabled ? 'disabled in DT · ' : ''}${board.name}`,
      documentation: doc,
      insertText: text.replace(/\$/g, '\\$'),
      snippet: true,
      replaceStart,
      sortText: `${mapped ? '3' : d.disabled ? '2' : '1'}${hex(windows[0].base).padStart(18, '0')}`,
    });
  }
  return out;
}

/** Subtracts used windows from candidate windows (all page aligned); pieces under a page are dropped. */
export function subtract(candidates: RegWindow[], used: RegWindow[]): RegWindow[] {
  const span = (w: RegWindow) => ({ start: w.base, end: w.base + w.size });
  return subtractSpans(candidates.map(span), used.map(span))
    .map((p) => ({ base: p.start, size: p.end - p.start }))
    .filter((f) => f.size >= PAGE);
}

/** RAM not given to any configuration of the system yet. */
export function freeRam(board: Board, model: ConfigModel | undefined, doc: Doc, ctx: BoardFeatureContext): RegWindow[] {
  const root = rootModelOf(doc.analysis, ctx);
  const isRoot = model?.kind === 'system';
  let candidates: RegWindow[];
  const used: RegWindow[] = [];
  if (isRoot || !root) {
    candidates = board.ram;
    const hv = root?.system?.hypervisor_memory;
    if (hv && hv.size > 0n) used.push({ base: hv.phys_start, size: hv.size });
    for (const r of root?.mem_regions ?? model?.mem_regions ?? []) if (r.size > 0n && (r.flags & MEM.COMM_REGION) === 0n) used.push(regionWindow(r));
  } else {
    candidates = root.mem_regions.filter(isRamRegion).map(regionWindow);
  }
  if (!isRoot) {
    for (const m of [model, ...otherConfigs(doc.analysis, ctx).filter((x) => x.kind === 'cell')]) {
      for (const r of m?.mem_regions ?? []) if (r.size > 0n && (r.flags & MEM.COMM_REGION) === 0n && (r.flags & MEM.IO) === 0n) used.push(regionWindow(r));
    }
  }
  const aligned = candidates.map((w) => ({ base: pageUp(w.base), size: pageDown(w.base + w.size) - pageUp(w.base) })).filter((w) => w.size > 0n);
  return subtract(aligned, used).sort((a, b) => (a.size > b.size ? -1 : a.size < b.size ? 1 : 0));
}

function ramItems(board: Board, model: ConfigModel | undefined, doc: Doc, ctx: BoardFeatureContext, replaceStart: number): CompletionEntry[] {
  const isRoot = model?.kind === 'system';
  const flags = ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_EXECUTE', ...(isRoot ? [] : ['JAILHOUSE_MEM_LOADABLE'])];
  return freeRam(board, model, doc, ctx).slice(0, 8).map((w, i) => ({
    label: `RAM · ${hex(w.base)} · ${sizeLabel(w.size)} free`,
    kind: 'snippet' as const,
    detail: isRoot ? 'board RAM not yet in the root cell' : 'root RAM no other cell uses',
    documentation: `Free RAM \`${hex(w.base)}\`–\`${hex(w.base + w.size - 1n)}\` (${sizeLabel(w.size)}). Shrink the size to what the cell needs.`,
    insertText: regionText('RAM', w.base, w.base, w.size, flags),
    snippet: true,
    replaceStart,
    sortText: `0${String(i).padStart(3, '0')}`,
  }));
}

function cpuItems(board: Board, model: ConfigModel | undefined, doc: Doc, ctx: BoardFeatureContext, offset: number, replaceStart: number): CompletionEntry[] {
  const root = rootModelOf(doc.analysis, ctx);
  const isRoot = model?.kind === 'system';
  const all = board.cpus.list ? board.cpus.list.map((c) => c.id) : Array.from({ length: board.cpus.count }, (_, i) => i);
  const avail = isRoot || !root ? all : cpuIds(root.cpus);
  const taken = new Set<number>();
  if (!isRoot) for (const m of otherConfigs(doc.analysis, ctx)) if (m.kind === 'cell') cpuIds(m.cpus).forEach((x) => taken.add(x));
  // Word of the cpus array being typed: count the commas before the cursor inside its braces.
  const word = cpuWordIndex(doc.text, offset);
  const free = avail.filter((id) => !taken.has(id) && Math.floor(id / 64) === word);
  if (!free.length) return [];
  const out: CompletionEntry[] = [];
  const bits = (ids: number[]) => ids.reduce((acc, id) => acc | (1n << BigInt(id % 64)), 0n);
  // A non-root cell usually leaves CPU 0 to the root cell.
  const suggested = isRoot ? free : free.filter((id) => id !== 0);
  if (suggested.length > 1) {
    out.push({ label: `0b${bits(suggested).toString(2)}`, kind: 'value', detail: `all free CPUs: ${suggested.join(', ')}`, insertText: `0b${bits(suggested).toString(2)}`, replaceStart, sortText: '0' });
  }
  for (const id of free) {
    out.push({
      label: `1 << ${id % 64}`,
      kind: 'value',
      detail: `CPU ${id}${board.cpus.list?.find((c) => c.id === id)?.compatible ? ` (${board.cpus.list.find((c) => c.id === id)!.compatible})` : ''} is free`,
      insertText: `1 << ${id % 64}`,
      replaceStart,
      sortText: `1${String(id).padStart(4, '0')}`,
    });
  }
  return out;
}

function cpuWordIndex(text: string, offset: number): number {
  const open = text.lastIndexOf('{', offset - 1);
  if (open < 0) return 0;
  return (text.slice(open + 1, offset).match(/,/g) ?? []).length;
}

/** Devices the cell maps: a region covers the start of one of their MMIO windows. */
export function devicesOfCell(board: Board, model: ConfigModel): BoardDevice[] {
  return board.devices.filter(
    (d) =>
      !isInterruptController(board, d) &&
      (mmio(d).some((w) => model.mem_regions.some((r) => r.size > 0n && (r.flags & MEM.COMM_REGION) === 0n && w.base >= r.phys_start && w.base < r.phys_start + r.size)) ||
        pio(d).some((w) => model.pio_regions.some((p) => w.base >= p.base && w.base < p.base + p.length))),
  );
}

function irqchipItems(board: Board, model: ConfigModel | undefined, replaceStart: number): CompletionEntry[] {
  const ic = board.interruptController;
  if (!ic || !model) return [];
  const devs = devicesOfCell(board, model);
  const granted = grantedIrqs(model, board);
  const i2 = '\t';
  const i3 = i2 + '\t';
  if (ic.type === 'gic') {
    const byId = new Map<number, string[]>();
    for (const d of devs) for (const q of d.interrupts) if (q.type === 'spi') byId.set(q.number + 32, [...(byId.get(q.number + 32) ?? []), d.name]);
    const ids = [...byId.keys()].filter((id) => !granted.has(String(id))).sort((a, b) => a - b);
    if (!ids.length) return [];
    const bases = [...new Set(ids.map((id) => 32 + Math.floor((id - 32) / 128) * 128))];
    const blocks = bases.map((base) => {
      const words = [0n, 0n, 0n, 0n];
      const notes: string[][] = [[], [], [], []];
      for (const id of ids.filter((x) => x >= base && x < base + 128)) {
        const w = Math.floor((id - base) / 32);
        words[w] |= 1n << BigInt((id - base) % 32);
        notes[w].push(`${byId.get(id)!.join('/')}: SPI ${id - 32}`);
      }
      return [
        `/* GIC */ {`,
        `${i2}.address = ${hex(ic.gicd)},`,
        `${i2}.pin_base = ${base},`,
        `${i2}.pin_bitmap = {`,
        ...words.map((w, k) => `${i3}${w === 0n ? '0' : '0x' + w.toString(16).padStart(8, '0')},${notes[k].length ? ` /* ${notes[k].join(', ')} */` : ''}`),
        `${i2}},`,
        `},`,
      ].join('\n');
    });
    return [{
      label: `GIC irqchip · ${ids.length} interrupt${ids.length > 1 ? 's' : ''} of this cell's devices`,
      kind: 'snippet',
      detail: ids.map((id) => `SPI ${id - 32}`).join(', '),
      documentation: `Grants the SPIs of the devices this cell maps:\n\n${ids.map((id) => `- INTID ${id} (SPI ${id - 32}): ${byId.get(id)!.join(', ')}`).join('\n')}`,
      insertText: blocks.join('\n'),
      snippet: true,
      replaceStart,
      sortText: '0',
    }];
  }
  const out: CompletionEntry[] = [];
  ic.ioapics.forEach((a, ai) => {
    const pins = new Map<number, string[]>();
    for (const d of devs) for (const q of d.interrupts) if (q.type === 'ioapic' && (q.ioapic ?? 0) === ai) pins.set(q.number, [...(pins.get(q.number) ?? []), d.name]);
    const list = [...pins.keys()].filter((p) => !granted.has(`${hex(a.base)}:${p}`)).sort((x, y) => x - y);
    if (!list.length) return;
    const words = [0n, 0n, 0n, 0n];
    for (const p of list) words[Math.floor(p / 32)] |= 1n << BigInt(p % 32);
    out.push({
      label: `IOAPIC ${hex(a.base)} irqchip · pins ${list.join(', ')}`,
      kind: 'snippet',
      detail: list.map((p) => `${pins.get(p)!.join('/')}: pin ${p}`).join(', '),
      insertText: [
        `/* IOAPIC */ {`,
        `${i2}.address = ${hex(a.base)},`,
        ...(a.id !== undefined ? [`${i2}.id = ${hex(BigInt(a.id))},`] : []),
        `${i2}.pin_bitmap = {`,
        ...words.map((w) => `${i3}${w === 0n ? '0' : '0x' + w.toString(16)},`),
        `${i2}},`,
        `},`,
      ].join('\n'),
      snippet: true,
      replaceStart,
      sortText: `0${ai}`,
    });
  });
  return out;
}

function pioItems(board: Board, model: ConfigModel | undefined, replaceStart: number): CompletionEntry[] {
  const have = model?.pio_regions ?? [];
  const out: CompletionEntry[] = [];
  for (const d of board.devices) {
    for (const w of pio(d)) {
      if (have.some((p) => w.base >= p.base && w.base + w.size <= p.base + p.length)) continue;
      const irqs = d.interrupts.map(irqLabel).join(', ');
      out.push({
        label: `${d.name} · ports ${hex(w.base)} · ${w.size}${irqs ? ` · ${irqs}` : ''}`,
        kind: 'snippet',
        detail: d.description ?? board.name,
        insertText: `PIO_RANGE(${hex(w.base)}, ${hex(w.size)}), /* ${d.name} */`,
        snippet: true,
        replaceStart,
        sortText: hex(w.base).padStart(8, '0'),
      });
    }
  }
  return out;
}

