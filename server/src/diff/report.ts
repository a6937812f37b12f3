// The two printed forms of a diff: text, one line per change grouped by resource (what
// `jhcell diff` prints and the editor shows), and JSON (docs/model-json.md, "jhcell diff").
import type { Loc } from '../util/source';
import { positionAt } from '../util/source';
import { RESOURCES, type Change, type DiffResult, type DiffSide, type FieldChange } from './types';

export interface DiffLocJson {
  file: string;
  /** 1-based. */
  line: number;
}

export interface DiffChangeJson {
  resource: string;
  change: Change['change'];
  subject: string;
  text: string;
  fields?: FieldChange[];
  detail?: string;
  a?: DiffLocJson;
  b?: DiffLocJson;
}

export interface DiffSideJson {
  file: string;
  origin: DiffSide['origin'];
  kind: string;
  arch: string | null;
  name: string;
}

export interface DiffJson {
  version: 1;
  a: DiffSideJson;
  b: DiffSideJson;
  /** No change in resources. */
  equal: boolean;
  bytesEqual: boolean;
  /** Changes per resource, resources without changes left out. */
  summary: Record<string, number>;
  changes: DiffChangeJson[];
  notes: string[];
}

/** A location as file and 1-based line, when its side knows the file's text. */
export function locOf(side: DiffSide, loc: Loc | undefined): DiffLocJson | undefined {
  const f = loc && side.files?.get(loc.file);
  if (!loc || !f || loc.file.startsWith('<')) return undefined;
  return { file: side.fileName?.(loc.file) ?? loc.file, line: positionAt(f, loc.start).line + 1 };
}

function sideJson(s: DiffSide): DiffSideJson {
  return { file: s.label, origin: s.origin, kind: s.json.kind, arch: s.json.arch, name: s.json.name };
}

export function summaryOf(changes: readonly Change[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of RESOURCES) {
    const n = changes.filter((c) => c.resource === r).length;
    if (n) out[r] = n;
  }
  return out;
}

export function diffJson(a: DiffSide, b: DiffSide, r: DiffResult): DiffJson {
  return {
    version: 1,
    a: sideJson(a),
    b: sideJson(b),
    equal: r.changes.length === 0,
    bytesEqual: r.bytesEqual,
    summary: summaryOf(r.changes),
    changes: r.changes.map((c) => {
      const la = locOf(a, c.a);
      const lb = locOf(b, c.b);
      return {
        resource: c.resource,
        change: c.change,
        subject: c.subject,
        text: c.text,
        ...(c.fields ? { fields: c.fields } : {}),
        ...(c.detail ? { detail: c.detail } : {}),
        ...(la ? { a: la } : {}),
        ...(lb ? { b: lb } : {}),
      };
    }),
    notes: r.notes,
  };
}

/**
 * `memory: region "UART2" 0x30890000: size 0x1000 → 0x10000 (4 KiB → 64 KiB)`; the kind and arch
 * lines name their field already (`kind system → cell`).
 */
export const changeLine = (c: Change): string => (c.resource === 'kind' ? c.text : `${c.resource}: ${c.text}`);

/** The last line: `3 changes: memory 2, header 1`, or that there are none. */
export function summaryLine(r: DiffResult): string {
  if (!r.changes.length) return `no differences in resources${r.bytesEqual ? '; the images are byte-identical' : ''}`;
  const parts = Object.entries(summaryOf(r.changes)).map(([k, n]) => `${k} ${n}`);
  return `${r.changes.length} change${r.changes.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function sideLine(tag: string, s: DiffSide): string {
  return `${tag} ${s.label} (${s.json.kind} "${s.json.name}", ${s.json.arch ?? 'unknown arch'}, ${s.origin === 'source' ? 'source' : 'image'})`;
}

export function diffText(a: DiffSide, b: DiffSide, r: DiffResult): string {
  const lines = [sideLine('---', a), sideLine('+++', b), ...r.changes.map(changeLine), ...r.notes.map((n) => `note: ${n}`), summaryLine(r)];
  return lines.join('\n') + '\n';
}
