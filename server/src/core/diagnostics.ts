// The diagnostic every layer produces. `code` is a stable id (rule id or engine code such as
// `syntax`); `data` carries what a quick fix needs.
import type { Loc } from '../util/source';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A severity setting: a severity, or `off` to drop the check's findings. */
export type SeverityLevel = Severity | 'off';

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

/** What each engine code reports (settings, SARIF rule descriptions, docs/rules.md). */
export const ENGINE_CODE_DOCS: Record<EngineCode, string> = {
  syntax: 'The text is not C the compiler accepts (or not the shape of a config): the build fails.',
  'unknown-field': 'A designator names a field the struct does not have.',
  'duplicate-designator': 'A field or element is initialized twice (GCC -Woverride-init; an error with the upstream -Werror build).',
  'value-range': "A value does not fit its field, an array index is outside the array, or a string is longer than its char array.",
  'unknown-macro': 'An identifier is neither a macro nor a constant the headers define (the build fails).',
  include: 'An #include cannot be found or read, or includes itself.',
  'member-order': 'The arrays of the config struct are not declared in the order the image is read in: gcc builds it, the hypervisor reads the wrong bytes.',
};
