// For the `new cell` tests: systems from fixture roots (plus cells generated so far), and the
// proof a generated cell must pass — the engine reads it without error and checkSystem of the
// root, the earlier cells and the new cell reports no error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../../../server/src/core/analysis';
import type { Diag } from '../../../server/src/core/diagnostics';
import { analyze } from '../../../server/src/engine/analyze';
import { checkSystem } from '../../../server/src/rules';
import type { System } from '../../../server/src/workspace/system';

export const FIXTURES = join(__dirname, '../../fixtures/generate');

export function rootAnalysis(file: string, text = readFileSync(file, 'utf8')): Analysis {
  return analyze(file, text);
}

export function systemOf(root: Analysis, cells: Analysis[] = []): System {
  return { root, cells };
}

/** The new cell beside its root, analysed; throws with the engine's errors. */
export function analyseCell(root: Analysis, fileName: string, text: string): Analysis {
  const a = analyze(join(root.file, '..', fileName), text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !a.model) throw new Error(`engine errors in ${fileName}:\n${errors.map((d) => d.message).join('\n')}\n${text}`);
  return a;
}

/** Every error checkSystem reports for the system, as readable lines. */
export function systemErrors(system: System): string[] {
  return [...checkSystem(system).values()].flat().filter((d: Diag) => d.severity === 'error').map((d) => `${d.loc.file}: ${d.message} [${d.code}]`);
}

export function systemWarnings(system: System): Diag[] {
  return [...checkSystem(system).values()].flat().filter((d: Diag) => d.severity === 'warning');
}
