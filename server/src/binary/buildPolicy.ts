// Whether a source may become a `.cell` image, and its bytes when it may: `jhcell build` and the
// editor's Build Cell Image both decide here. The image is what upstream's build writes
// (gcc -Werror -Wall -Wextra, then `objcopy -O binary`, docs/format.md §1.3), so a source that
// build would reject gets no image either; docs/build.md explains each verdict to users.
import type { Analysis } from '../core/analysis';
import type { Diag, EngineCode } from '../core/diagnostics';
import type { ConfigModel } from '../core/model';
import { struct, WRAPPER_SECTIONS } from '../schema';
import { encodeConfig, memberSize } from './encode';

export interface GccVerdict {
  /** `rejects`: upstream's build fails on such a source; `builds`: it writes an image. */
  gcc: 'rejects' | 'builds';
  /** Why, in gcc's terms (docs/build.md shows it). */
  why: string;
}

/**
 * What upstream's build does with a source for which the engine reports each code. Every
 * diagnostic of a `rejects` code refuses the build, whatever its severity: the engine's warnings
 * (a NUL byte, `#warning`, a redefined macro, extra tokens after a directive) are gcc warnings
 * too, and -Werror makes them errors.
 */
export const GCC_VERDICTS: Record<EngineCode, GccVerdict> = {
  syntax: {
    gcc: 'rejects',
    why: 'not C gcc compiles, or a construct gcc warns about (missing braces, excess initializer elements, a NUL byte, #warning, a redefined macro, extra tokens after a directive): -Werror makes the warnings errors',
  },
  'unknown-field': { gcc: 'rejects', why: 'gcc: the struct has no member of that name' },
  'duplicate-designator': { gcc: 'rejects', why: 'gcc -Woverride-init (part of -Wextra) warns about a field initialized twice; -Werror makes it an error' },
  'value-range': {
    gcc: 'rejects',
    why: 'gcc -Woverflow warns about a constant that does not fit its field, and about a string longer than its char array; an array index outside the array is an error; -Werror makes the warnings errors',
  },
  'unknown-macro': { gcc: 'rejects', why: "gcc: an identifier that is neither a macro nor a constant is undeclared" },
  include: { gcc: 'rejects', why: 'gcc stops at an #include it cannot find (fatal error)' },
  'member-order': {
    gcc: 'builds',
    why: 'gcc lays the struct out as declared and writes it; the hypervisor reads the sections in its fixed order, so it reads other bytes than the source means',
  },
};

export interface BuildResult {
  /** The image; undefined when the build is refused. */
  bytes?: Uint8Array;
  /** Diagnostics for which upstream's build would fail (each names its code). */
  refusedBy: Diag[];
  /** Written anyway (`force`) although these refuse. */
  forced: Diag[];
  /** Written, with what the target will make of it (one sentence per problem). */
  warnings: string[];
  /** Why there is no image when no diagnostic says it (no config object). */
  reason?: string;
}

export interface BuildOptions {
  /**
   * Write the image although warnings refuse it (gcc without -Werror writes the same bytes).
   * Error-level diagnostics are never forced: what gcc would write is not defined then.
   */
  force?: boolean;
}

export function verdictOf(code: string): GccVerdict {
  // A code the table does not know is refused: nothing says gcc would build the same bytes.
  return (GCC_VERDICTS as Record<string, GccVerdict | undefined>)[code] ?? { gcc: 'rejects', why: `the engine cannot tell what gcc makes of ${code}` };
}

/** The image of an analysed source, or why upstream's build would not write one. */
export function buildImage(analysis: Analysis, opts: BuildOptions = {}): BuildResult {
  const rejecting = analysis.diagnostics.filter((d) => verdictOf(d.code).gcc === 'rejects');
  const forceable = opts.force && rejecting.every((d) => d.severity !== 'error');
  const refusedBy = forceable ? [] : rejecting;
  const forced = forceable ? rejecting : [];
  const model = analysis.model;
  if (!model) return { refusedBy, forced: [], warnings: [], reason: 'no config object (`struct { … } __attribute__((packed)) config = { … };`)' };
  if (refusedBy.length) return { refusedBy, forced: [], warnings: [] };
  const warnings = analysis.diagnostics.some((d) => d.code === 'member-order')
    ? [`written as gcc writes it, although [member-order]: ${GCC_VERDICTS['member-order'].why}`, ...memberOrderEffects(model)]
    : [];
  return { bytes: encodeConfig(model), refusedBy: [], forced, warnings };
}

/** Why `r` has no image, as a sentence naming the code that refused it (CLI and editor). */
export function refusalReason(r: BuildResult): string {
  if (!r.refusedBy.length) return `not built: ${r.reason ?? 'no image'}`;
  const first = r.refusedBy[0];
  const rest = [...new Set(r.refusedBy.slice(1).map((d) => d.code))];
  const more = r.refusedBy.length > 1 ? ` (and ${r.refusedBy.length - 1} more: ${rest.join(', ')})` : '';
  return `not built: refused by [${first.code}]${more}, which upstream's build rejects too: ${verdictOf(first.code).why}`;
}

/**
 * What the hypervisor reads from an image whose arrays are declared out of order: each section
 * it expects (after the header, by the counts, docs/format.md §4.3) that is not where the
 * source put it.
 */
export function memberOrderEffects(model: ConfigModel): string[] {
  const declared = new Map<string, number>();
  const holders: { name: string; start: number; end: number }[] = [];
  let at = 0;
  for (const m of model.members) {
    const size = memberSize(m.type);
    if (m.role) declared.set(m.role, at);
    holders.push({ name: m.name, start: at, end: at + size });
    at += size;
  }
  const total = at;
  const header = struct(model.kind === 'system' ? 'jailhouse_system' : 'jailhouse_cell_desc').size;
  if (declared.get('header') !== 0) {
    const first = holders.find((h) => h.end > h.start);
    return [`the hypervisor reads the header from byte 0, where this image holds ${first?.name ?? 'nothing'}: it will refuse the file or read a wrong header`];
  }
  const out: string[] = [];
  let expected = header;
  for (const s of WRAPPER_SECTIONS) {
    const count = Number(model.cell[s.count]);
    // cpu_set_size counts bytes; the other counts count elements.
    const bytes = s.elem === 'u64' ? count : count * struct(s.elem).size;
    const actual = declared.get(s.member);
    if (bytes > 0 && actual !== expected) {
      const holder = holders.find((h) => h.start <= expected && expected < h.end);
      const there = holder ? (holder.start === expected ? holder.name : `${holder.name} from its byte ${expected - holder.start}`) : `nothing (the image ends at byte ${total})`;
      const where = actual === undefined ? `the source declares no ${s.member}` : `${s.member} start at byte ${actual}`;
      out.push(`the hypervisor reads ${s.member} (${s.count} = ${count}) from byte ${expected}, where this image has ${there} (${where})`);
    }
    expected += bytes;
  }
  return out;
}
