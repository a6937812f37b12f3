// Wrapper-array rules (docs/format.md §1.2): count-mismatch, array-underfilled, config-size.
// (Declaration order is the engine's `member-order` finding.)
import { memberSize } from '../binary/encode';
import { WRAPPER_SECTIONS } from '../schema';
import { countFix, underfilledFix } from './fixes/arrays';
import { cellFieldLoc, memberLoc } from './locate';
import { humanSize, plural } from './format';
import type { Diag, Rule } from './types';

export const countMismatch: Rule = {
  id: 'count-mismatch',
  defaultSeverity: 'error',
  docs: '#count-mismatch',
  description: 'A num_* field (or cpu_set_size) disagrees with the declared array: the image is read with the wrong layout (an error), or, when nothing after the array is read, its last elements are ignored (a warning).',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      const cell = c.model.cell;
      const counts = cell as unknown as Record<string, bigint>;
      WRAPPER_SECTIONS.forEach((sec, k) => {
        const m = c.model.members.find((x) => x.role === sec.member);
        const declared = m?.length ?? (m ? 1 : 0);
        const count = counts[sec.count];
        if (typeof count !== 'bigint') return;
        const expected = sec.member === 'cpus' ? BigInt(declared * 8) : BigInt(declared);
        if (count === expected) return;
        const given = cell.$fieldLoc[sec.count] ? `is ${count}` : `is not set (0)`;
        const what = sec.member === 'cpus' ? `${expected} bytes (sizeof(config.cpus))` : plural(declared, 'element');
        const head = `${sec.count} ${given} but ${sec.member} ${m ? `declares ${what}` : 'is not declared (0 elements)'}`;
        // Sections are found by adding up the counts in order (docs/format.md §4.3): a short count moves
        // every later section, unless no later section is read at all — then the image is read
        // right and only this array's tail is dropped. (The CPU bitmap is never left short.)
        const tailOnly = count < expected && sec.member !== 'cpus' && WRAPPER_SECTIONS.slice(k + 1).every((s) => counts[s.count] === 0n);
        out.push({
          code: 'count-mismatch',
          severity: tailOnly ? 'warning' : 'error',
          message: tailOnly
            ? `${head}: ${unusedText(Number(count), declared)}. Nothing after ${sec.member} is read (every later count is 0), so the rest of the image is read right`
            : `${head}; the hypervisor locates every later array by these counts, so it would read the wrong data`,
          loc: cellFieldLoc(c, sec.count),
          related: m ? [{ loc: memberLoc(c, sec.member), message: `declaration of ${sec.member}` }] : undefined,
          data: { file: c.file, field: sec.count, member: sec.member, declared: m ? true : false, expected: Number(expected) },
        });
      });
    }
    return out;
  },
  fixes: countFix,
};

function unusedText(used: number, declared: number): string {
  const unused = declared - used;
  if (!used) return declared === 1 ? 'the element is not used' : `none of its ${declared} elements is used`;
  return unused === 1 ? 'its last element is not used' : `its last ${unused} elements are not used`;
}

export const arrayUnderfilled: Rule = {
  id: 'array-underfilled',
  defaultSeverity: 'warning',
  docs: '#array-underfilled',
  description: 'An array is declared longer than its initializer: the extra elements are all zero but still part of the image.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.all) {
      for (const m of c.model.members) {
        if (!m.role || m.role === 'header' || m.length === undefined || m.initialized >= m.length) continue;
        const extra = m.length - m.initialized;
        const consequence =
          m.role === 'pci_devices'
            ? ' (a zero PCI device claims 0000:00:00.0 as a physical device)'
            : m.role === 'irqchips'
              ? ' (a zero irqchip has address 0)'
              : m.role === 'mem_regions'
                ? ' (zero-size regions map nothing)'
                : '';
        out.push({
          code: 'array-underfilled',
          severity: 'warning',
          message: `${m.role} is declared with ${m.length} elements but only ${m.initialized} ${m.initialized === 1 ? 'is' : 'are'} initialized; ${plural(extra, 'trailing element')} ${extra === 1 ? 'is' : 'are'} all zero${consequence}`,
          loc: memberLoc(c, m.role),
          data: { file: c.file, member: m.role, initialized: m.initialized },
        });
      }
    }
    return out;
  },
  fixes: underfilledFix,
};

/** `cell create` copies a cell's image into at most 16 pages (docs/format.md §5.2: else -E2BIG). */
const MAX_CELL_IMAGE = 16 * 4096;

export const configSize: Rule = {
  id: 'config-size',
  defaultSeverity: 'error',
  docs: '#config-size',
  description: 'A non-root cell image larger than 64 KiB (16 pages): the hypervisor refuses `cell create` with E2BIG.',
  check(ctx) {
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      const sizes = c.model.members.map((m) => ({ m, size: memberSize(m.type) }));
      const total = sizes.reduce((n, x) => n + x.size, 0);
      if (total <= MAX_CELL_IMAGE) continue;
      const largest = sizes.reduce((a, b) => (b.size > a.size ? b : a));
      const what = largest.m.length !== undefined ? `${plural(largest.m.length, 'element')}, ${humanSize(BigInt(largest.size))}` : humanSize(BigInt(largest.size));
      out.push({
        code: 'config-size',
        severity: 'error',
        message: `the image of ${c.label} is ${humanSize(BigInt(total))} (${total} bytes); the hypervisor takes at most 64 KiB (16 pages) and \`jailhouse cell create\` fails with E2BIG. The largest part is ${largest.m.name} (${what})`,
        loc: largest.m.role ? memberLoc(c, largest.m.role) : largest.m.loc,
        data: { file: c.file, bytes: total, member: largest.m.name },
      });
    }
    return out;
  },
};
