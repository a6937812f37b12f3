// The `jailhouse.*` settings as the server uses them, read through workspace/configuration
// (or initializationOptions / didChangeConfiguration for clients without it), normalised so a
// malformed value falls back to its default instead of failing requests.
import { SEVERITY_LEVELS, type SeverityLevel } from '../rules';

export type Level = SeverityLevel;

export interface Settings {
  severity: Record<string, Level>;
  defines: Record<string, string>;
  includeDirs: string[];
  /** File declaring which cells run together (issue "Checks"); empty = none. */
  cellSets: string;
  inlayHints: { regionIndex: boolean; regionEnd: boolean; cpuList: boolean };
  /** Milliseconds to wait after an edit before re-checking; 0 = next event-loop turn. */
  diagnosticsDelay: number;
}

export const DEFAULT_SETTINGS: Settings = {
  severity: {},
  defines: {},
  includeDirs: [],
  cellSets: '',
  inlayHints: { regionIndex: true, regionEnd: true, cpuList: true },
  diagnosticsDelay: 0,
};

const LEVELS = new Set<string>(SEVERITY_LEVELS);

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function normalizeSettings(raw: unknown): Settings {
  const r = obj(raw);
  const severity: Record<string, Level> = {};
  for (const [k, v] of Object.entries(obj(r.severity))) if (typeof v === 'string' && LEVELS.has(v)) severity[k] = v as Level;
  const defines: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(r.defines))) {
    if (/^[A-Za-z_]\w*$/.test(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) defines[k] = v === true ? '1' : v === false ? '0' : String(v);
  }
  const includeDirs = Array.isArray(r.includeDirs) ? r.includeDirs.filter((d): d is string => typeof d === 'string' && d.length > 0) : [];
  const hints = obj(r.inlayHints);
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const diag = obj(r.diagnostics);
  const delay = typeof diag.delay === 'number' && diag.delay >= 0 && diag.delay <= 5000 ? diag.delay : 0;
  return {
    severity,
    defines,
    includeDirs,
    cellSets: typeof r.cellSets === 'string' ? r.cellSets : '',
    inlayHints: {
      regionIndex: bool(hints.regionIndex, true),
      regionEnd: bool(hints.regionEnd, true),
      cpuList: bool(hints.cpuList, true),
    },
    diagnosticsDelay: delay,
  };
}
