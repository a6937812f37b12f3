// Diagnostics and fixes for one system: the rules layer (server/src/rules) checks the whole
// system and includes the engine's own diagnostics; this adapts it to the server's types.
import type { Diag } from '../core/diagnostics';
import { checkSystem as checkRules, fixesFor as rulesFixes, type BoardChoice } from '../rules';
import type { System } from '../workspace/system';
import type { Settings } from './settings';


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


export function checkSystem(sys: System, settings: Pick<Settings, 'severity'>, board?: BoardChoice): Diag[] {
  const byFile = checkRules(sys, { severity: settings.severity, board });
  return [...byFile.values()].flat();
}

export function fixesFor(diag: Diag, sys: System): FixOut[] {
  return rulesFixes(diag, sys).map((f) => ({
    title: f.title,
    preferred: f.preferred,
    edits: f.edits.map((e) => ({ file: e.loc.file, start: e.loc.start, end: e.loc.end, newText: e.newText })),
  }));
}
