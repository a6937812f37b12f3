// What the resource differ takes and gives. A side is one evaluated config in the image's terms
// (the model JSON both a source and a `.cell` image give, docs/model-json.md) plus, for a
// source, the names its comments give and where each element was written.
import type { ModelJson } from '../binary/modelJson';
import type { SectionKey } from '../binary/listing';
import type { Loc, SourceFile } from '../util/source';

export interface DiffSide {
  /** What the user named: a path, or `REV:path` for a git revision. */
  label: string;
  origin: 'source' | 'image';
  json: ModelJson;
  /** The image bytes: the file's for an image, what the source compiles to for a source. */
  bytes: Uint8Array;
  /** Per section, per element: its name from a comment and where it was written (sources only). */
  elements?: Partial<Record<SectionKey, ({ name?: string; loc?: Loc } | undefined)[]>>;
  /** Where a header or platform field was written, by its model-JSON path (`console`, `system.platform_info.arm.gicd_base`). */
  fieldLoc?: (path: string) => Loc | undefined;
  /** The files of the analysis, to turn locations into lines. */
  files?: Map<string, SourceFile>;
  /** How a file of this side is named to a person (`HEAD:configs/x.c` for a revision); default: its path. */
  fileName?: (path: string) => string;
}

/** The resource a change belongs to; the text output groups by it, in this order. */
export const RESOURCES = ['kind', 'header', 'cpus', 'memory', 'cache', 'irqchips', 'pio', 'pci', 'ivshmem', 'stream-ids', 'platform'] as const;
export type Resource = (typeof RESOURCES)[number];

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One field of a matched element whose value differs, both values decoded for a person. */
export interface FieldChange {
  field: string;
  from: string;
  to: string;
  /** Set-valued fields (interrupts, ports, capabilities): the members only `to` has. */
  added?: string;
  /** … and only `from` has. */
  removed?: string;
  /** A gloss for the line: sizes in KiB, the flags added and removed. */
  note?: string;
}

export interface Change {
  resource: Resource;
  change: ChangeKind;
  /** What changed, as a person names it: `region "UART2" 0x30890000`, `00:0e.0`, `gicd_base`. */
  subject: string;
  /** For `changed`: the fields that differ. */
  fields?: FieldChange[];
  /** For `added` / `removed`: the element described (`size 0x1000 (4 KiB), flags READ|WRITE`). */
  detail?: string;
  /** The whole line of the text output, without the resource prefix. */
  text: string;
  /** Where the subject is written on each side (sources only). */
  a?: Loc;
  b?: Loc;
}

export interface DiffResult {
  changes: Change[];
  /** Sentences about what was or could not be compared (kinds differ, names not compared, …). */
  notes: string[];
  /** The two images are the same bytes. */
  bytesEqual: boolean;
}
