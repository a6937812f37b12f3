// Quick fixes for the PCI rules: a writable MSI / MSI-X capability entry (pci-msi-cap), DMA on
// the cell's RAM (pci-dma), a larger MMCONFIG bus range (pci-end-bus).
import type { PciCapability, PciDevice } from '../../core/model';
import { has, isComm, MEM, PCI_TYPE } from '../../core/flags';
import type { Diag, Fix, RuleContext, TextEdit, CellRef } from '../types';
import { resizeSection } from './arrays';
import { addFlag, hexLit, setField, slice, textOf, valueLoc } from './edit';
import { addSection } from './sections';
import { capsOf, MSI_KINDS, type MsiCapData } from '../pciCapData';

const cellOf = (ctx: RuleContext, file: unknown) => ctx.all.find((x) => x.file === file);
const lineStart = (text: string, off: number) => text.lastIndexOf('\n', off - 1) + 1;
const indentAt = (text: string, off: number) => /^[ \t]*/.exec(text.slice(lineStart(text, off)))![0];
const NUMBER = /^\s*(0x[0-9a-f]+|\d+)[uUlL]*\s*$/i;

/**
 * The capability as another cell of the system lists it for the same device (the root's entry,
 * written by jailhouse-config-create from the hardware): its offset and length cannot be guessed.
 */
function knownCap(ctx: RuleContext, c: CellRef, d: PciDevice, id: bigint): PciCapability | undefined {
  for (const o of ctx.all) {
    if (o === c) continue;
    for (const od of o.model.pci_devices) {
      if (od.bdf !== d.bdf || od.domain !== d.domain) continue;
      const cap = capsOf(o, od).find((x) => x.id === id && x.len > 0n);
      if (cap) return cap;
    }
  }
  return undefined;
}

/** Inserts one entry at pci_caps[at] and renumbers what points past it; undefined when it cannot. */
function insertCap(c: CellRef, d: PciDevice, at: number, element: (indent: string) => string): TextEdit[] | undefined {
  const model = c.analysis.model;
  const text = textOf(c, c.file);
  if (!model || !text) return undefined;
  const member = model.members.find((m) => m.role === 'pci_caps' && m.loc.file === c.file);
  const edits: TextEdit[] = [];
  const initialized = model.pci_caps.length;
  if (!member) {
    if (initialized !== 0) return undefined;
    const added = addSection(c, 'pci_caps', 'struct jailhouse_pci_capability', [element('\t\t')]);
    if (!added) return undefined;
    edits.push(...added);
  } else {
    if (!member.initLoc || member.initLoc.file !== c.file || c.model.pci_caps.length !== initialized) return undefined;
    const next = model.pci_caps[at];
    let pos: number;
    if (next) {
      if (!next.$loc || next.$loc.file !== c.file) return undefined;
      pos = lineStart(text, next.$loc.start);
      // Only whitespace and comments may precede the element on its line.
      if (text.slice(pos, next.$loc.start).replace(/\/\*[\s\S]*?\*\//g, '').trim() !== '') return undefined;
    } else {
      const close = text.lastIndexOf('}', member.initLoc.end);
      pos = lineStart(text, close);
      if (close <= member.initLoc.start || text.slice(pos, close).trim() !== '') return undefined;
    }
    const ind = next ? indentAt(text, next.$loc!.start) : indentAt(text, pos) + '\t';
    edits.push({ loc: { file: c.file, start: pos, end: pos }, newText: `${element(ind)},\n` });
    if (member.length !== undefined && initialized + 1 > member.length) {
      const r = resizeSection(c, 'pci_caps', initialized + 1);
      if ('reason' in r) return undefined;
      edits.push(...r.edits);
    }
    // A count written as a number follows the array (ARRAY_SIZE follows by itself).
    const count = valueLoc(c, c.model.cell, 'num_pci_caps');
    if (count && NUMBER.test(slice(c, count))) edits.push({ loc: count, newText: String(initialized + 1) });
    else if (!count && c.model.cell.num_pci_caps !== BigInt(initialized)) return undefined;
  }
  // Devices whose capabilities lie after the new entry move with them; one that straddles it cannot.
  for (const o of c.model.pci_devices) {
    if (o === d || o.num_caps === 0n) continue;
    const s = Number(o.caps_start);
    if (s < at && s + Number(o.num_caps) > at) return undefined;
    if (s < at) continue;
    const e = setField(c, o, 'caps_start', String(s + 1));
    if (!e) return undefined;
    edits.push(e);
  }
  const n = setField(c, d, 'num_caps', String(Number(d.num_caps) + 1));
  if (!n) return undefined;
  edits.push(n);
  if (d.num_caps === 0n) {
    const s = setField(c, d, 'caps_start', String(at));
    if (!s) return undefined;
    edits.push(s);
  }
  return edits;
}

export function pciMsiCapFix(diag: Diag, ctx: RuleContext): Fix[] {
  const data = diag.data as MsiCapData | undefined;
  const c = cellOf(ctx, data?.file);
  const d = c?.model.pci_devices[data?.index ?? -1];
  if (!data || !c || !d) return [];
  if (data.readOnly !== undefined) {
    const cap = c.model.pci_caps[data.readOnly];
    const e = cap && addFlag(c, cap, 'flags', 'JAILHOUSE_PCICAPS_WRITE');
    return e ? [{ title: 'Let the cell write the capability (JAILHOUSE_PCICAPS_WRITE)', edits: [e], preferred: true }] : [];
  }
  const kind = MSI_KINDS.find((k) => k.macro === data.kind);
  if (!kind) return [];
  const { id, name } = kind;
  const known = knownCap(ctx, c, d, id);
  if (!known) return [];
  const at = d.num_caps === 0n ? c.analysis.model!.pci_caps.length : Number(d.caps_start + d.num_caps);
  const element = (ind: string) =>
    [`${ind}/* ${name} */ {`, `${ind}\t.id = ${kind.macro},`, `${ind}\t.start = ${hexLit(known.start)},`, `${ind}\t.len = ${hexLit(known.len)},`, `${ind}\t.flags = JAILHOUSE_PCICAPS_WRITE,`, `${ind}}`].join('\n');
  const edits = insertCap(c, d, at, element);
  return edits ? [{ title: `Add the ${name} capability (${hexLit(known.start)}, length ${hexLit(known.len)}) as the other cell lists it`, edits, preferred: true }] : [];
}

/** The region a device's DMA most likely targets: the cell's largest writable RAM. */
export function dmaTarget(c: CellRef) {
  const ram = c.model.mem_regions.filter((r) => r.size > 0n && !isComm(r) && !has(r.flags, MEM.IO) && has(r.flags, MEM.READ) && has(r.flags, MEM.WRITE));
  return ram.reduce<(typeof ram)[number] | undefined>((best, r) => (!best || r.size > best.size ? r : best), undefined);
}

export function pciDmaFix(diag: Diag, ctx: RuleContext): Fix[] {
  const c = cellOf(ctx, (diag.data as { file?: string } | undefined)?.file);
  const r = c && dmaTarget(c);
  const e = c && r && addFlag(c, r, 'flags', 'JAILHOUSE_MEM_DMA');
  return e ? [{ title: `Let devices DMA into region #${r!.$index}${r!.$name ? ` "${r!.$name}"` : ''} (JAILHOUSE_MEM_DMA)`, edits: [e], preferred: true }] : [];
}

export function pciEndBusFix(diag: Diag, ctx: RuleContext): Fix[] {
  const data = diag.data as { file?: string; index?: number; bus?: number } | undefined;
  const root = ctx.root;
  const p = root?.model.system?.platform_info;
  const bus = data?.bus;
  if (!root || !p || typeof bus !== 'number' || bus > 0xff) return [];
  const c = cellOf(ctx, data?.file);
  const d = c?.model.pci_devices[data?.index ?? -1];
  const fixes: Fix[] = [];
  const move = c && d && d.type === PCI_TYPE.IVSHMEM ? moveIvshmem(ctx, d) : undefined;
  if (move) fixes.push(move);
  // The larger window must stay clear of every region, or the fix trades one finding for another.
  const end = p.pci_mmconfig_base + (BigInt(bus) + 1n) * 0x100000n;
  const clash = ctx.all.some((x) => x.model.mem_regions.some((r) => r.size > 0n && !isComm(r) && r.phys_start < end && p.pci_mmconfig_base < r.phys_start + r.size));
  const e = !clash && setField(root, p, 'pci_mmconfig_end_bus', hexLit(BigInt(bus)));
  if (e) fixes.push({ title: `Raise pci_mmconfig_end_bus to ${hexLit(BigInt(bus))} (only if the host's MMCONFIG window covers that bus)`, edits: [e], preferred: !move });
  return fixes;
}

/**
 * An ivshmem device is virtual: it can move to bus 00, together with its peers (the hypervisor
 * links ivshmem endpoints by bdf, hypervisor/ivshmem.c). The new slot is free on bus 00 in every
 * cell and keeps the device number modulo 4, which fixes the INTx pin (ivshmem.c).
 */
function moveIvshmem(ctx: RuleContext, d: PciDevice): Fix | undefined {
  const peers = ctx.all.flatMap((x) => x.model.pci_devices.filter((o) => o.type === PCI_TYPE.IVSHMEM && o.bdf === d.bdf).map((o) => ({ c: x, o })));
  const used = new Set(ctx.all.flatMap((x) => x.model.pci_devices.filter((o) => o.bdf >> 8n === 0n).map((o) => Number((o.bdf >> 3n) & 0x1fn))));
  const want = Number((d.bdf >> 3n) & 3n);
  let slot = -1;
  for (let dev = 0; dev < 32 && slot < 0; dev++) if (dev % 4 === want && !used.has(dev)) slot = dev;
  if (slot < 0) return undefined;
  const fn = Number(d.bdf & 7n);
  const text = `(0x${slot.toString(16).padStart(2, '0')} << 3)${fn ? ` | ${fn}` : ''}`;
  const edits = peers.map(({ c, o }) => setField(c, o, 'bdf', text));
  if (edits.some((e) => !e)) return undefined;
  const where = `00:${slot.toString(16).padStart(2, '0')}.${fn}`;
  return { title: `Move the ivshmem device${peers.length > 1 ? ' and its peers' : ''} to ${where}`, edits: edits as TextEdit[], preferred: true };
}
