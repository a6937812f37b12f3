// ivshmem links (docs/format.md §5.7): one rule id, `ivshmem`, for the device's own consistency, the
// agreement between peers on one link (linked by equal bdf), and the section flags.
import type { MemoryRegion, PciDevice } from '../core/model';
import { ivshmemFix } from './fixes/ivshmem';
import { cellPairs, pairNote } from './context';
import { has, isRootShared, MEM, PCI_TYPE } from '../core/flags';
import { bdfText, cellLabel, cpuList, hex, regionLabel } from './format';
import { nodeLoc } from './locate';
import type { CellRef, Diag, Rule, Severity } from './types';

interface Dev {
  c: CellRef;
  d: PciDevice;
}

const sectionName = (i: number) => (i === 0 ? 'state table' : i === 1 ? 'read/write section' : `output section of peer ${i - 2}`);

function sections(x: Dev): (MemoryRegion | undefined)[] {
  const n = 2 + Number(x.d.shmem_peers);
  const s = Number(x.d.shmem_regions_start);
  return Array.from({ length: n }, (_, i) => x.c.model.mem_regions[s + i]);
}

const protoClass = (p: bigint) => (p >= 0x8000n ? 'virtio' : p.toString());

const outputsText = (peers: number) =>
  peers === 0 ? 'no output section' : `the output section${peers > 1 ? 's' : ''} of peer${peers > 1 ? 's' : ''} ${cpuList(Array.from({ length: peers }, (_, i) => i))} only`;

/** What peer `a` says differently from peer `b` on their link, `a`'s value first. */
function peerDiffs(a: Dev, b: Dev): string[] {
  const diffs: string[] = [];
  if (a.d.shmem_peers !== b.d.shmem_peers) diffs.push(`shmem_peers ${a.d.shmem_peers} vs ${b.d.shmem_peers}`);
  if (a.d.num_msix_vectors !== b.d.num_msix_vectors) diffs.push(`num_msix_vectors ${a.d.num_msix_vectors} vs ${b.d.num_msix_vectors}`);
  if (a.d.bar_mask.some((m, k) => m !== b.d.bar_mask[k])) diffs.push('bar_mask');
  if (protoClass(a.d.shmem_protocol) !== protoClass(b.d.shmem_protocol)) diffs.push(`shmem_protocol ${hex(a.d.shmem_protocol, 4)} vs ${hex(b.d.shmem_protocol, 4)}`);
  const sa = sections(a);
  const sb = sections(b);
  for (let k = 0; k < Math.min(sa.length, sb.length); k++) {
    const ra = sa[k];
    const rb = sb[k];
    if (!ra || !rb) continue;
    if (ra.phys_start !== rb.phys_start || ra.size !== rb.size) diffs.push(`${sectionName(k)} ${hex(ra.phys_start)}+${hex(ra.size, 1)} vs ${hex(rb.phys_start)}+${hex(rb.size, 1)}`);
  }
  return diffs;
}

export const ivshmem: Rule = {
  id: 'ivshmem',
  defaultSeverity: 'error',
  docs: '#ivshmem',
  description: 'ivshmem devices: region range, limits, peer agreement on one link, unique peer ids, section flags.',
  check(ctx) {
    const out: Diag[] = [];
    const push = (x: Dev, field: string, severity: Severity, message: string, extra: Partial<Diag> = {}) =>
      out.push({ code: 'ivshmem', severity, message: `ivshmem ${bdfText(x.d.bdf)}: ${message}`, loc: nodeLoc(x.c, x.d, field, 'pci_devices'), ...extra });
    const links = new Map<bigint, Dev[]>();
    for (const c of ctx.all) {
      for (const d of c.model.pci_devices) {
        if (!d.$loc || d.type !== PCI_TYPE.IVSHMEM) continue;
        const x = { c, d };
        links.set(d.bdf, [...(links.get(d.bdf) ?? []), x]);
        const nregs = c.model.cell.num_memory_regions;
        const need = d.shmem_regions_start + 2n + d.shmem_peers;
        if (need > nregs) push(x, 'shmem_regions_start', 'error', `needs regions ${d.shmem_regions_start}..${need - 1n} (state table, read/write section, ${d.shmem_peers} output sections) but the cell has ${nregs}; the hypervisor refuses it`);
        if (d.num_msix_vectors > 16n) push(x, 'num_msix_vectors', 'error', `num_msix_vectors ${d.num_msix_vectors} exceeds 16`);
        if (d.shmem_dev_id >= 12n) push(x, 'shmem_dev_id', 'error', `shmem_dev_id ${d.shmem_dev_id} must be below 12`);
        // Not checked by the hypervisor (docs/format.md §5.7): the cell starts and the link is broken.
        else if (d.shmem_dev_id >= d.shmem_peers)
          push(
            x,
            'shmem_dev_id',
            'warning',
            `shmem_dev_id ${d.shmem_dev_id} is not below shmem_peers (${d.shmem_peers}): the hypervisor accepts the cell, but the guest is told it is peer ${d.shmem_dev_id} of ${d.shmem_peers} and the device has no output section for it (its ${2n + d.shmem_peers} regions hold ${outputsText(Number(d.shmem_peers))}): the link does not work`,
          );
        if (d.shmem_peers > 12n) push(x, 'shmem_peers', 'error', `shmem_peers ${d.shmem_peers} exceeds 12`);
        if (c.model.arch === 'x86' && d.num_msix_vectors === 0n)
          push(x, 'num_msix_vectors', 'warning', 'x86 delivers no INTx for virtual devices; give it MSI-X vectors (num_msix_vectors and JAILHOUSE_IVSHMEM_BAR_MASK_MSIX)');
        if (need > nregs) continue;
        const secs = sections(x);
        const own = 2 + Number(d.shmem_dev_id);
        secs.forEach((r, i) => {
          if (!r || r.size === 0n) return;
          const w = has(r.flags, MEM.WRITE);
          let why: string | undefined;
          if (i === 0 && w) why = 'the state table must be read-only';
          else if (i >= 2 && i === own && !w) why = 'this peer\'s own output section must be writable';
          else if (i >= 2 && i !== own && w) why = `the output section of peer ${i - 2} must be read-only here`;
          if (why) push(x, 'shmem_regions_start', 'warning', `${regionLabel(r)} (${sectionName(i)}): ${why}`, { related: [{ loc: nodeLoc(c, r, 'flags', 'mem_regions'), message: sectionName(i) }] });
        });
      }
    }
    for (const [, peers] of links) {
      const rootSide = peers.find((p) => p.c.isRoot);
      for (const x of peers) {
        if (rootSide && !x.c.isRoot) {
          sections(x).forEach((r, k) => {
            if (!r || r.size === 0n || isRootShared(r)) return;
            push(x, 'shmem_regions_start', 'warning', `${regionLabel(r)} (${sectionName(k)}) is shared with the root cell but lacks JAILHOUSE_MEM_ROOTSHARED: creating this cell takes it away from the root`, {
              related: [{ loc: nodeLoc(x.c, r, 'flags', 'mem_regions'), message: sectionName(k) }],
              data: { file: x.c.file, index: r.$index, kind: 'rootshared' },
            });
          });
        }
      }
      for (const [x, y, sev] of cellPairs(ctx, peers, (p) => p.c, 'error')) {
        const note = pairNote(ctx, x.c, y.c);
        if (x.d.shmem_dev_id === y.d.shmem_dev_id) {
          for (const [a, b] of [[x, y], [y, x]]) {
            push(a, 'shmem_dev_id', sev, `shmem_dev_id ${a.d.shmem_dev_id} is also used by ${cellLabel(b.c)} on this link; the second cell fails to start (-EBUSY)${note}`, {
              related: [{ loc: nodeLoc(b.c, b.d, 'shmem_dev_id', 'pci_devices'), message: `same peer id in ${cellLabel(b.c)}` }],
            });
          }
        }
        for (const [a, b] of [[x, y], [y, x]]) {
          const diffs = peerDiffs(a, b);
          if (!diffs.length) continue;
          push(a, 'bdf', 'warning', `peers on this link disagree with ${cellLabel(b.c)} (here vs there): ${diffs.join('; ')}`, {
            related: [{ loc: nodeLoc(b.c, b.d, 'bdf', 'pci_devices'), message: `peer in ${cellLabel(b.c)}` }],
          });
        }
      }
    }
    return out;
  },
  fixes: ivshmemFix,
};
