// Diagnostics and fixes for one system: the rules layer (server/src/rules) checks the whole
// system and includes the engine's own diagnostics; this adapts it to the server's types.
import type { Analysis } from '../core/analysis';
import type { Diag } from '../core/diagnostics';
import { checkSystem as checkRules, fixesFor as rulesFixes, type SystemUnderCheck } from '../rules';
import type { Grouping } from '../rules/types';
import type { Settings } from './settings';

export interface SystemAnalyses {
  root?: Analysis;
  cells: Analysis[];
  sets?: string[][];
  declaredIn?: string;
  grouping?: Record<string, Grouping>;
}

export interface TextEditOut {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface FixOut {
  title: string;
  edits: TextEditOut[];
  preferred?: boolean;
}

function asSystem(sys: SystemAnalyses): SystemUnderCheck {
  return { root: sys.root, cells: sys.cells, sets: sys.sets, declaredIn: sys.declaredIn, grouping: sys.grouping };
}

export function checkSystem(sys: SystemAnalyses, settings: Settings): Diag[] {
  const byFile = checkRules(asSystem(sys), { severity: settings.severity });
  return [...byFile.values()].flat();
}

export function fixesFor(diag: Diag, sys: SystemAnalyses): FixOut[] {
  return rulesFixes(diag, asSystem(sys)).map((f) => ({
    title: f.title,
    preferred: f.preferred,
    edits: f.edits.map((e) => ({ file: e.loc.file, start: e.loc.start, end: e.loc.end, newText: e.newText })),
  }));
}
