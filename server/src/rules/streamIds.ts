// stream-id-conflict: stream IDs that the hypervisor refuses or silently hands from one cell to
// another (docs/format.md §5.8, docs/rules.md#stream-id-conflict). Per IOMMU type:
// MMU-500 stream match entries (hypervisor/arch/arm64/smmu.c, arm_smmu_find_sme), TI PVU
// virt-IDs (ti-pvu.c, pvu_iommu_cell_init) and SMMUv3 stream table entries (smmu-v3.c,
// arm_smmuv3_cell_init). Widths are the stream-id rule's (rules/platform.ts).
import type { IommuUnit, StreamId } from '../core/model';
import { has, IOMMU_TYPE, MEM } from '../core/flags';
import { dropStreamIdFix } from './fixes/streamIds';
import { cellPairs, pairNote } from './context';
import { cellLabel, hex } from './format';
import { nodeLoc } from './locate';
import type { CellRef, Diag, Rule, RuleContext, Severity } from './types';

const CODE = 'stream-id-conflict';
/** SMR_GET_ID / SMR_GET_MASK: the MMU-500 uses bits 0-14 of id and mask. */
const SMR_BITS = 0x7fffn;
/** ti-pvu.c MAX_VIRTID: larger stream IDs are not PVU virt-IDs. */
const MAX_VIRTID = 7n;

/** Unit types the hypervisor drives: units count up to the first with base 0 (iommu_count_units). */
function unitTypes(units: IommuUnit[]): Set<bigint> {
  const out = new Set<bigint>();
  for (const u of units) {
    if (u.base === 0n) break;
    out.add(u.type);
  }
  return out;
}

interface Entry {
  c: CellRef;
  s: StreamId;
}

/** An MMU-500 stream match entry: ids that agree with `id` outside `mask` match. */
interface Smr extends Entry {
  id: bigint;
  mask: bigint;
}

const smrOf = (e: Entry): Smr => ({ ...e, id: e.s.mmu500.id & SMR_BITS, mask: e.s.mmu500.mask_out & SMR_BITS });
const overlaps = (a: Smr, b: Smr) => ((a.id ^ b.id) & ~(a.mask | b.mask) & SMR_BITS) === 0n;
/** arm_smmu_find_sme's reuse test: every id `e` matches is matched by `x`. */
const within = (e: Smr, x: Smr) => (e.mask & x.mask) === e.mask && ((e.id ^ x.id) & ~x.mask & SMR_BITS) === 0n;
const smrText = (e: Smr) => `MMU-500 stream ID ${hex(e.id, 4)} mask ${hex(e.mask, 4)}`;
const where = (e: Entry) => (e.c.isRoot ? 'the root cell' : cellLabel(e.c));

function loc(e: Entry) {
  const f = e.s.mmu500.$fieldLoc.id;
  return f && e.c.analysis.files.has(f.file) && !f.file.startsWith('<') ? f : nodeLoc(e.c, e.s, 'id', 'stream_ids');
}

/** `name` (the entry by its value) titles the fix and tells findings apart after one is fixed. */
function diag(e: Entry, what: string, severity: Severity, message: string, other: Entry, otherNote: string): Diag {
  return {
    code: CODE,
    severity,
    message,
    loc: loc(e),
    related: [{ loc: loc(other), message: otherNote }],
    data: { file: e.c.file, stream: e.s.$index, name: what },
  };
}

const entriesOf = (c: CellRef): Entry[] => c.model.stream_ids.filter((s) => s.$loc).map((s) => ({ c, s }));

const FIND_SME = 'arm_smmu_find_sme, hypervisor/arch/arm64/smmu.c';

/**
 * The root's entries are programmed at `jailhouse enable`, a cell's at its `cell create`, each
 * against the entries in place: one inside an entry reuses it (its S2CR moves to the new cell),
 * any other overlap is -EINVAL. Entries in place never overlap, so the outcome is order-free.
 */
function mmu500(ctx: RuleContext): Diag[] {
  const out: Diag[] = [];
  const root = ctx.root;
  const placed: Smr[] = [];
  const place = (e: Smr, into: Smr[], when: string) => {
    const home = into.find((x) => within(e, x));
    if (home) return home;
    const clash = into.find((x) => overlaps(e, x));
    if (clash) {
      out.push(diag(e, smrText(e), 'error', `${smrText(e)} overlaps ${smrText(clash)} of ${where(clash)} without lying inside it: ${when} fails with -EINVAL (a stream ID would match two entries; ${FIND_SME})`, clash, `${smrText(clash)} of ${where(clash)}`));
    } else into.push(e);
    return undefined;
  };
  const rootValues = new Set(root ? entriesOf(root).map((e) => e.s.id) : []);
  if (root) for (const e of entriesOf(root)) place(smrOf(e), placed, '`jailhouse enable`');
  for (const c of ctx.cells) {
    const mine = [...placed];
    const lost = new Set<Smr>();
    for (const e of entriesOf(c).map(smrOf)) {
      const home = place(e, mine, '`jailhouse cell create`');
      // At cell destroy an entry in a root slot goes back to the root only when the root lists
      // the same value (arm_smmu_return_sid_to_root_cell); otherwise the slot is invalidated.
      // The first such entry invalidates it; later ones find nothing left to take.
      if (home?.c.isRoot && !rootValues.has(e.s.id) && !lost.has(home)) {
        lost.add(home);
        out.push(diag(e, smrText(e), 'warning', `${smrText(e)} lies inside ${smrText(home)} of the root cell: \`jailhouse cell create\` moves that whole entry to ${cellLabel(c)}, with every device it matches, and \`cell destroy\` does not return it (the root lists no identical entry), so those devices fault for the root afterwards (${FIND_SME}, arm_smmu_return_sid_to_root_cell)`, home, `${smrText(home)} of the root cell`));
      }
    }
  }
  const all = ctx.cells.flatMap((c) => entriesOf(c).map(smrOf));
  for (const [a, b, sev] of cellPairs(ctx, all, (e) => e.c, 'error')) {
    if (!overlaps(a, b)) continue;
    const same = a.id === b.id && a.mask === b.mask;
    const nested = within(a, b) || within(b, a);
    const effect = same
      ? 'whichever cell is created second takes the entry over without an error, so the device\'s DMA silently goes through that cell\'s stage-2 tables, and destroying it does not give the device back to the first cell'
      : nested
        ? 'if the wider one is in place first, the other cell takes its whole entry over without an error (the device\'s DMA silently moves); in the other order `jailhouse cell create` fails with -EINVAL'
        : '`jailhouse cell create` of whichever cell is created second fails with -EINVAL';
    out.push(diag(b, smrText(b), sev, `${smrText(b)} ${same ? 'is also assigned to' : 'overlaps ' + smrText(a) + ' of'} ${cellLabel(a.c)}: ${effect} (${FIND_SME})${pairNote(ctx, a.c, b.c)}`, a, `${smrText(a)} of ${cellLabel(a.c)}`));
  }
  return out;
}

/** Whether the PVU programs (and so enables) the TLB of a cell's virt-IDs: only with DMA regions. */
const pvuMapped = (c: CellRef) => c.model.mem_regions.some((r) => has(r.flags, MEM.DMA));

/** pvu_iommu_cell_init refuses a virt-ID whose TLB is enabled: the root's, or a running cell's. */
function pvu(ctx: RuleContext): Diag[] {
  const out: Diag[] = [];
  const virt = (c: CellRef) => entriesOf(c).filter((e) => e.s.id <= MAX_VIRTID);
  const text = (e: Entry) => `PVU virt-ID ${e.s.id}`;
  const root = ctx.root;
  const rootIds = root && pvuMapped(root) ? virt(root) : [];
  for (const c of ctx.cells) {
    for (const e of virt(c)) {
      const r = rootIds.find((x) => x.s.id === e.s.id);
      if (r) out.push(diag(e, text(e), 'error', `${text(e)} is the root cell's too, whose DMA mappings the PVU has enabled for it since \`jailhouse enable\`: \`jailhouse cell create\` of ${cellLabel(c)} fails with -EINVAL (pvu_iommu_cell_init, hypervisor/arch/arm64/ti-pvu.c)`, r, `${text(r)} of the root cell`));
    }
  }
  const all = ctx.cells.flatMap(virt);
  for (const [a, b, sev] of cellPairs(ctx, all, (e) => e.c, 'error')) {
    if (a.s.id !== b.s.id || !(pvuMapped(a.c) || pvuMapped(b.c))) continue;
    if (rootIds.some((x) => x.s.id === b.s.id)) continue; // already refused against the root
    out.push(diag(b, text(b), sev, `${text(b)} is also ${cellLabel(a.c)}'s: \`jailhouse cell create\` of whichever cell is created second fails with -EINVAL, the virt-ID's TLB being enabled for the first (pvu_iommu_cell_init, hypervisor/arch/arm64/ti-pvu.c)${pairNote(ctx, a.c, b.c)}`, a, `${text(a)} of ${cellLabel(a.c)}`));
  }
  return out;
}

/**
 * arm_smmuv3_cell_init rewrites a stream ID's table entry for each new cell without looking at
 * its owner; cell exit sets it to bypass. Taking a stream ID from the root is how devices are
 * passed to a cell; between two running cells it moves DMA behind the first one's back.
 */
function smmuv3(ctx: RuleContext): Diag[] {
  const out: Diag[] = [];
  const all = ctx.cells.flatMap(entriesOf);
  const text = (e: Entry) => `SMMUv3 stream ID ${hex(e.s.id, 4)}`;
  for (const [a, b, sev] of cellPairs(ctx, all, (e) => e.c, 'error')) {
    if (a.s.id !== b.s.id) continue;
    out.push(diag(b, text(b), sev, `${text(b)} is also ${cellLabel(a.c)}'s: the cell created second silently takes the device's DMA over (its stream table entry is rewritten), and when either cell is destroyed the entry is set to bypass, so the device can DMA anywhere in physical memory (arm_smmuv3_cell_init/_exit, hypervisor/arch/arm64/smmu-v3.c)${pairNote(ctx, a.c, b.c)}`, a, `${text(a)} of ${cellLabel(a.c)}`));
  }
  return out;
}

export const streamIdConflict: Rule = {
  id: CODE,
  defaultSeverity: 'error',
  docs: '#stream-id-conflict',
  description: 'Stream IDs the hypervisor refuses (partly overlapping MMU-500 entries, a PVU virt-ID in use) or silently moves from one cell to another.',
  check(ctx) {
    const p = ctx.root?.model.system?.platform_info;
    if (!p) return [];
    const types = unitTypes(p.iommu_units);
    return [
      ...(types.has(IOMMU_TYPE.MMU500) ? mmu500(ctx) : []),
      ...(types.has(IOMMU_TYPE.PVU) ? pvu(ctx) : []),
      ...(types.has(IOMMU_TYPE.SMMUV3) ? smmuv3(ctx) : []),
    ];
  },
  fixes: dropStreamIdFix,
};
