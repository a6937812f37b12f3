// Builds what rules see from a System, and the shared cross-cell severity policy.
import * as path from 'node:path';
import type { Analysis } from '../core/analysis';
import type { ConfigModel } from '../core/model';
import type { BoardChoice, CellRef, Pairing, RuleContext, Severity, System } from './types';

/**
 * The model as the hypervisor sees it: each section only as long as its count says (elements
 * past the count are not read; count-mismatch reports the disagreement). Indices are kept.
 */
function imageView(m: ConfigModel): ConfigModel {
  const cell = m.cell;
  const cut = <T>(xs: T[], n: bigint): T[] => (BigInt(xs.length) > n ? xs.slice(0, Number(n)) : xs);
  return {
    ...m,
    mem_regions: cut(m.mem_regions, cell.num_memory_regions),
    cache_regions: cut(m.cache_regions, cell.num_cache_regions),
    irqchips: cut(m.irqchips, cell.num_irqchips),
    pio_regions: cut(m.pio_regions, cell.num_pio_regions),
    pci_devices: cut(m.pci_devices, cell.num_pci_devices),
    pci_caps: cut(m.pci_caps, cell.num_pci_caps),
    stream_ids: cut(m.stream_ids, cell.num_stream_ids),
  };
}

function refOf(a: Analysis, isRoot: boolean): CellRef | undefined {
  if (!a.model) return undefined;
  const name = a.model.cell?.name ?? '';
  return { analysis: a, model: imageView(a.model), file: a.file, isRoot, label: name || path.basename(a.file) };
}

export function buildContext(system: System, board?: BoardChoice): RuleContext {
  const root = system.root ? refOf(system.root, true) : undefined;
  const cells: CellRef[] = [];
  for (const a of system.cells) {
    const r = refOf(a, false);
    if (r) cells.push(r);
  }
  const sets = system.sets?.map((s) => new Set(s.map((f) => path.resolve(f))));
  // Declared sets are the whole story: a cell in no set runs with the root alone, so it is
  // apart from every other cell (docs/rules.md "Systems and cell sets"; cell-set says so).
  // A wrapper config and the config it includes are two builds of one cell, never loaded
  // together: without a declaration they are apart (docs/rules.md "Wrapper configs").
  const variants = (a: CellRef, b: CellRef) => a.analysis.files.has(b.file) || b.analysis.files.has(a.file);
  const pairing = (a: CellRef, b: CellRef): Pairing => {
    if (!sets) return variants(a, b) ? 'apart' : 'unknown';
    const fa = path.resolve(a.file);
    const fb = path.resolve(b.file);
    return sets.some((s) => s.has(fa) && s.has(fb)) ? 'together' : 'apart';
  };
  return { system, root, cells, all: root ? [root, ...cells] : [...cells], pairing, board };
}

/**
 * Severity of a conflict between two non-root cells: the rule's own severity when they are
 * declared to run together, a warning when nothing says so, nothing when declared apart.
 */
export function pairSeverity(ctx: RuleContext, a: CellRef, b: CellRef, together: Severity): Severity | undefined {
  if (a.isRoot || b.isRoot) return together;
  const p = ctx.pairing(a, b);
  if (p === 'apart') return undefined;
  return p === 'together' ? together : 'warning';
}

/**
 * Every unordered pair (a before b, in list order) of items from two different cells that may
 * run at the same time, with the severity a conflict between them gets (see pairSeverity).
 * Items are anything that belongs to a cell: the cells themselves, ivshmem devices, …
 */
export function* cellPairs<T>(ctx: RuleContext, items: readonly T[], cellOf: (t: T) => CellRef, together: Severity): Generator<[T, T, Severity]> {
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      if (cellOf(a) === cellOf(b)) continue;
      const sev = pairSeverity(ctx, cellOf(a), cellOf(b), together);
      if (sev) yield [a, b, sev];
    }
  }
}

/** Message suffix that explains a warning between cells nobody declared to run together. */
export function pairNote(ctx: RuleContext, a: CellRef, b: CellRef): string {
  if (a.isRoot || b.isRoot || ctx.pairing(a, b) === 'together') return '';
  return ` — these two cells cannot run at the same time (declare cell sets in ${ctx.system.declaredIn ? path.basename(ctx.system.declaredIn) : 'jailhouse-cells.json'} if they are alternatives)`;
}
