// The diagnostic every layer produces. `code` is a stable id (rule id or engine code such as
// `syntax`); `data` carries what a quick fix needs.
import type { Loc } from '../util/source';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  loc: Loc;
  message: string;
}

export interface Diag {
  code: string;
  severity: Severity;
  message: string;
  loc: Loc;
  related?: RelatedInfo[];
  data?: unknown;
}

/** Engine diagnostic codes (contract: settings and CI filters use them). */
export const ENGINE_CODES = ['syntax', 'unknown-field', 'duplicate-designator', 'value-range', 'unknown-macro', 'include', 'member-order'] as const;
export type EngineCode = (typeof ENGINE_CODES)[number];
