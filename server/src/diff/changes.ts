// Collecting changes: every comparison pushes through here, so one line of text is written
// the same way for every resource.
import type { SectionKey } from '../binary/listing';
import type { Loc } from '../util/source';
import { fieldText } from './format';
import type { Change, DiffSide, FieldChange, Resource } from './types';

export class ChangeList {
  readonly changes: Change[] = [];
  constructor(
    readonly a: DiffSide,
    readonly b: DiffSide,
  ) {}

  added(resource: Resource, subject: string, detail: string, b?: Loc): void {
    this.changes.push({ resource, change: 'added', subject, detail, text: `added ${subject}${detail ? `: ${detail}` : ''}`, ...(b ? { b } : {}) });
  }

  removed(resource: Resource, subject: string, detail: string, a?: Loc): void {
    this.changes.push({ resource, change: 'removed', subject, detail, text: `removed ${subject}${detail ? `: ${detail}` : ''}`, ...(a ? { a } : {}) });
  }

  /** A changed element; nothing when no field differs. */
  changed(resource: Resource, subject: string, fields: FieldChange[], a?: Loc, b?: Loc): void {
    if (!fields.length) return;
    this.changes.push({
      resource,
      change: 'changed',
      subject,
      fields,
      // A header field is its own subject: `name "a" → "b"`, not `name: name "a" → "b"`.
      text: fields.length === 1 && fields[0].field === subject ? fieldText(fields[0]) : `${subject}: ${fields.map(fieldText).join(', ')}`,
      ...(a ? { a } : {}),
      ...(b ? { b } : {}),
    });
  }

  /** An element's name from its comment: B's when it has one (the newer text), else A's. */
  nameOf(sec: SectionKey, i: number | undefined, j: number | undefined): string | undefined {
    return (j !== undefined ? this.b.elements?.[sec]?.[j]?.name : undefined) ?? (i !== undefined ? this.a.elements?.[sec]?.[i]?.name : undefined);
  }

  locA(sec: SectionKey, i: number): Loc | undefined {
    return this.a.elements?.[sec]?.[i]?.loc;
  }

  locB(sec: SectionKey, j: number): Loc | undefined {
    return this.b.elements?.[sec]?.[j]?.loc;
  }
}

/** `"UART2" ` when named, else nothing: subjects read `region "UART2" 0x30890000`. */
export const quoted = (name: string | undefined): string => (name ? `"${name.replace(/"/g, "'")}" ` : '');
