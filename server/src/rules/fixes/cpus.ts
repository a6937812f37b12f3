// Quick fixes for CPU conflicts: give up the contested CPUs, or trade them for CPUs of the root
// that no other cell (which may run at the same time) uses.
import { cpuList } from '../format';
import { cpusOf, type CpuData } from '../cpuData';
import type { CellRef, Diag, Fix, RuleContext, TextEdit } from '../types';
import { hexLit, slice } from './edit';

function bitmapEdits(c: CellRef, cpus: number[]): TextEdit[] | undefined {
  const words = c.model.cpus.map(() => 0n);
  for (const x of cpus) {
    const w = Math.floor(x / 64);
    if (w >= words.length) return undefined;
    words[w] |= 1n << BigInt(x % 64);
  }
  const edits: TextEdit[] = [];
  for (let w = 0; w < words.length; w++) {
    if (words[w] === c.model.cpus[w]) continue;
    const loc = c.model.cpusLoc[w];
    // Only a word written as its own expression in this file can be rewritten.
    if (!loc || loc.file !== c.file || /^\s*[A-Za-z_]\w*\s*\(/.test(slice(c, loc))) return undefined;
    edits.push({ loc, newText: hexLit(words[w]) });
  }
  return edits.length ? edits : undefined;
}

export function cpuFixes(diag: Diag, ctx: RuleContext): Fix[] {
  const d = diag.data as CpuData | undefined;
  const c = ctx.all.find((x) => x.file === d?.file);
  if (!d || !c || !Array.isArray(d.cpus)) return [];
  const mine = cpusOf(c);
  const drop = new Set(d.cpus);
  const kept = mine.filter((x) => !drop.has(x));
  const fixes: Fix[] = [];
  if (kept.length) {
    const edits = bitmapEdits(c, kept);
    if (edits) fixes.push({ title: `Remove CPU${d.cpus.length > 1 ? 's' : ''} ${cpuList(d.cpus)} from the cell`, edits, preferred: true });
  }
  if (ctx.root) {
    const used = new Set<number>(kept);
    for (const o of ctx.cells) if (o !== c && ctx.pairing(o, c) !== 'apart') for (const x of cpusOf(o)) used.add(x);
    const free = cpusOf(ctx.root).filter((x) => !used.has(x) && !(c.model.arch === 'x86' && x === 0));
    // The root must keep one CPU for itself.
    if (free.length > d.cpus.length) {
      // Take the highest ones: the root keeps the low CPUs (CPU 0 above all).
      const take = free.slice(free.length - d.cpus.length);
      const edits = bitmapEdits(c, [...kept, ...take].sort((a, b) => a - b));
      if (edits) fixes.push({ title: `Use free CPU${take.length > 1 ? 's' : ''} ${cpuList(take)} instead of ${cpuList(d.cpus)}`, edits });
    }
  }
  return fixes;
}
