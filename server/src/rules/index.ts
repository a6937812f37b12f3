// The rules layer: every check of a whole Jailhouse system, with quick fixes.
//
// API (stable; the language server, the memory map and `jhcell check` use only this):
//
//   checkSystem(system: System, options?: CheckOptions): Map<string, Diag[]>
//       Runs every rule on one system (root + cells, each an Analysis from analyze()) and
//       returns diagnostics per file (key: the file path of each diagnostic's loc). Files of the
//       system without findings map to []. The engine's own diagnostics of each file are
//       included unless options.engineDiagnostics === false. Severities follow
//       options.severity (per id: error|warning|information|hint|off), for every id alike.
//       options.board (a Board, or 'root' for each cell's root description) turns the
//       board-* rules on. Never throws: a rule
//       that fails yields an `internal` diagnostic on the root (or first) file. A finding
//       located in a file that a member includes (a wrapper config's model lives in the config
//       it includes) is also reported on that member at its `#include` (rules/included.ts,
//       docs/rules.md "Wrapper configs"); a file lists a finding once.
//
//   fixesFor(diag: Diag, system: System): Fix[]
//       Quick fixes for a diagnostic checkSystem produced (diag.data must be what it carried;
//       it is plain JSON, so it survives an LSP round trip). Each Fix is a list of text
//       edits {loc: {file, start, end offsets}, newText}.
//
//   RULES: Rule[]     id, defaultSeverity, docs anchor, description, check, fixes?
//                     (board-* rules too: they check against options.board and report
//                     nothing without one; rules/board.ts)
//   diagnosticIds()   every id a severity setting takes — rules, the engine's codes, the
//                     grouping's system-root — with default level, description and docs anchor
//                     (the one registry: settings generation, SARIF, docs/rules.md's table).
//   RULE_IDS          the ids of diagnosticIds() (for settings validation).
//   parseSeverityOverride('memory-overlap=off') → [id, level]  (CLI/settings helper)
//
//   Systems come from the workspace layer (server/src/workspace/index.ts):
//     loadSystems(paths, {defines?, includeDirs?, declaration?: file | false, host?})
//         → {systems: System[], groups, problems, missing}
//       files and folders → analysed systems; a lone cell brings its root and siblings; the
//       nearest jailhouse-cells.json above the first path is used unless declaration is given.
//       host = {readFile(path) → text | undefined, readDir?(dir)} (editor buffers over disk).
//     groupSystems(files, kindOf, declaration?) → System<string>[] {root?, cells, sets?, declaredIn?, grouping}
//       grouping only (no analysis); kindOf is checkedKind(detectConfig(file, text, read))
//       (syntax/configKind: a wrapper config has the kind of the config it includes); grouping
//       says per cell why (declared|explicit|folder|prefix|content|none, System too).
//     groupByContent(groups, modelOf) → cells the names left alone get a root by content
//     rootDiagnostics(system, severity?) → `system-root` for a cell checked without a root
//     analyzeSystems(groups, engineOptions, host) → System[]
//     parseDeclaration(file, text) / readDeclaration(file, host) / findDeclaration(start, host)
//   Other exports used by front ends: platformWindows(rootModel) (the MMIO windows the
//   hypervisor intercepts, for the memory map) and applyEdits(text, file, edits).
import { ENGINE_CODE_DOCS } from '../core/diagnostics';
import { ROOT_DIAGNOSTICS } from '../workspace/rootDiagnostic';
import { BOARD_RULES } from './board';
import { arrayUnderfilled, configSize, countMismatch } from './arrays';
import { ENGINE_FIXES } from './fixes/engine';
import { buildContext } from './context';
import { findingKey, findingsFromIncludes } from './included';
import { cellSet } from './cellSet';
import { commRegionMissing, testDevice } from './commPage';
import { memoryDmaWidth } from './dmaWidth';
import { hypervisorMemory } from './hypervisorMemory';
import { linuxRam } from './linuxRam';
import { cpuEmpty, cpuGicv2, cpuNotInRoot, cpuRootEmpty, cpuShared, cpuZeroX86 } from './cpus';
import { irqchipAddress, irqchipCount, irqchipMissing, irqchipPinBase, irqNotInRoot, irqShared, ivshmemIntx } from './irqchips';
import { irqchipId } from './irqchipId';
import { ivshmem } from './ivshmem';
import { memoryOverlap, memoryOverlapCells, memoryOverlapHypervisor, memoryOverlapPlatform } from './memoryOverlap';
import { name } from './name';
import { pciCapsRange, pciMmconfig, pciMsix, pciShared, pciType } from './pci';
import { pciDma } from './pciDma';
import { pciEndBus } from './pciEndBus';
import { pciMsiCap } from './pciMsiCap';
import { architecture, cacheRegion, debugConsole, gicVersion, header, iommu, pioRange, streamId } from './platform';
import { streamIdConflict } from './streamIds';
import { pioShared } from './pioShared';
import { vtdInterruptLimit } from './vtdInterrupts';
import { alignment, commRegion, memoryLoadable, memoryRootVirt, memoryWriteOnly, subpageWidth } from './regions';
import { memoryLoadableReadonly, memorySubpageRoot } from './rootAccess';
import { resetAddress } from './resetAddress';
import type { CheckOptions, Diag, Fix, Rule, Severity, SeverityLevel, System } from './types';
import { membersOf } from '../workspace/system';

export type { BoardChoice, CheckOptions, Diag, Fix, Rule, SeverityLevel, System, TextEdit, CellRef, RuleContext } from './types';
export { platformWindows } from './platformWindows';
export { applyEdits } from './fixes/edit';

export const RULES: Rule[] = [
  memoryOverlap,
  memoryOverlapCells,
  memoryOverlapHypervisor,
  memoryOverlapPlatform,
  memorySubpageRoot,
  cpuShared,
  cpuNotInRoot,
  cpuRootEmpty,
  cpuEmpty,
  cpuZeroX86,
  cpuGicv2,
  cellSet,
  irqchipMissing,
  irqchipAddress,
  irqchipId,
  irqchipPinBase,
  irqchipCount,
  irqNotInRoot,
  irqShared,
  ivshmemIntx,
  countMismatch,
  arrayUnderfilled,
  configSize,
  hypervisorMemory,
  alignment,
  subpageWidth,
  commRegion,
  commRegionMissing,
  testDevice,
  resetAddress,
  memoryLoadable,
  memoryLoadableReadonly,
  memoryRootVirt,
  memoryWriteOnly,
  memoryDmaWidth,
  linuxRam,
  name,
  ivshmem,
  pciCapsRange,
  pciType,
  pciShared,
  pciMsix,
  pciMmconfig,
  pciEndBus,
  pciMsiCap,
  pciDma,
  architecture,
  header,
  gicVersion,
  iommu,
  vtdInterruptLimit,
  streamId,
  streamIdConflict,
  pioRange,
  pioShared,
  cacheRegion,
  debugConsole,
  ...BOARD_RULES,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** An id a severity setting takes, whoever reports it: a rule, the engine or the grouping. */
export interface DiagnosticId {
  id: string;
  level: Severity;
  description: string;
  /** Anchor in docs/rules.md. */
  docs: string;
}

/** Every diagnostic id, in the order of docs/rules.md's table: rules, engine codes, board rules, system-root. */
export function diagnosticIds(): DiagnosticId[] {
  const rule = (r: Rule): DiagnosticId => ({ id: r.id, level: r.defaultSeverity, description: r.description, docs: r.docs });
  return [
    ...RULES.filter((r) => !BOARD_RULES.includes(r)).map(rule),
    ...Object.entries(ENGINE_CODE_DOCS).map(([id, description]) => ({ id, level: 'error' as const, description, docs: `#${id}` })),
    ...BOARD_RULES.map(rule),
    ...Object.entries(ROOT_DIAGNOSTICS).map(([id, b]) => ({ id, level: b.level, description: b.description, docs: `#${id}` })),
  ];
}

export const RULE_IDS: readonly string[] = diagnosticIds().map((d) => d.id);

/** The levels a severity setting takes (settings, `--severity`, package.json's schema). */
export const SEVERITY_LEVELS: readonly SeverityLevel[] = ['error', 'warning', 'information', 'hint', 'off'];

/** `ID=LEVEL` → [id, level]; throws an Error with a readable message on bad input. */
export function parseSeverityOverride(text: string): [string, SeverityLevel] {
  const eq = text.indexOf('=');
  const id = text.slice(0, eq).trim();
  const level = text.slice(eq + 1).trim() as SeverityLevel;
  if (eq < 0 || !id) throw new Error(`expected ID=LEVEL, got '${text}'`);
  if (!RULE_IDS.includes(id)) throw new Error(`unknown rule id '${id}' (known: ${RULE_IDS.join(', ')})`);
  if (!SEVERITY_LEVELS.includes(level)) throw new Error(`unknown level '${level}' for ${id} (use ${SEVERITY_LEVELS.join('|')})`);
  return [id, level];
}

function systemFiles(system: System): string[] {
  return membersOf(system).map((a) => a.file);
}

export function checkSystem(system: System, options: CheckOptions = {}): Map<string, Diag[]> {
  const out = new Map<string, Diag[]>();
  for (const f of systemFiles(system)) out.set(f, []);
  const overrides = options.severity ?? {};
  // A file lists a finding once, however many analyses reach it (a wrapper config and the
  // config it includes report the same place).
  const seen = new Set<string>();
  const add = (d: Diag) => {
    const o = overrides[d.code];
    if (o === 'off') return;
    const diag = o ? { ...d, severity: o } : d;
    const key = findingKey(diag);
    if (seen.has(key)) return;
    seen.add(key);
    const list = out.get(diag.loc.file);
    if (list) list.push(diag);
    else out.set(diag.loc.file, [diag]);
  };
  const engine = options.engineDiagnostics !== false;
  const runRules = (s: System): Diag[] => {
    const found: Diag[] = [];
    const ctx = buildContext(s, options.board);
    for (const rule of RULES) {
      if (overrides[rule.id] === 'off') continue;
      try {
        found.push(...rule.check(ctx));
      } catch (e) {
        const file = systemFiles(s)[0];
        if (file)
          found.push({
            code: 'internal',
            severity: 'warning',
            message: `rule ${rule.id} failed: ${e instanceof Error ? e.message : String(e)}`,
            loc: { file, start: 0, end: 0 },
          });
      }
    }
    return found;
  };
  const found = runRules(system);
  // Findings in files a member includes are also reported on that member (wrapper configs).
  const included = findingsFromIncludes(system, engine, found, runRules);
  const own = (d: Diag) => add(included.renamed.get(d) ?? d);
  if (engine) for (const a of membersOf(system)) a.diagnostics.forEach(own);
  found.forEach(own);
  included.copies.forEach(add);
  for (const list of out.values()) list.sort((a, b) => a.loc.start - b.loc.start || a.code.localeCompare(b.code));
  return out;
}

export function fixesFor(diag: Diag, system: System): Fix[] {
  const fix = RULES_BY_ID.get(diag.code)?.fixes ?? ENGINE_FIXES[diag.code];
  if (!fix) return [];
  try {
    return fix(diag, buildContext(system));
  } catch {
    return [];
  }
}
