// The one shape of a Jailhouse system every layer above this one checks and shows: the root
// (system) config and the non-root cells that run on it, which cells run together, and why
// each cell was grouped with this root. Files are paths while systems are being found
// (`System<string>`) and analyses once read (`System`, what rules, features, the map and the
// front ends receive).
import type { Analysis } from '../core/analysis';

/**
 * `grouping`: per cell file, why it is checked with this root, or that no root was found.
 * Systems found from paths (`System<string>`) always say; analysed systems built by hand
 * (tests, benches) may leave it out.
 */
export type System<F = Analysis> = SystemMembers<F> & (F extends string ? { grouping: Record<string, Grouping> } : { grouping?: Record<string, Grouping> });

interface SystemMembers<F> {
  /** The system config; undefined when cells were found without their root. */
  root?: F;
  cells: F[];
  /**
   * Declared cell sets: each lists cell files (as in `Analysis.file`) that run at the same
   * time. Undefined = nothing declared: any two cells may or may not coexist, so cross-cell
   * conflicts are warnings saying the two cannot run together. When declared, conflicts inside
   * a common set are errors and conflicts between cells never in one set are not reported; a
   * cell of the system in no set runs with the root alone (the `cell-set` rule says so).
   */
  sets?: string[][];
  /** The declaration file the sets come from (for messages). */
  declaredIn?: string;
}

/**
 * Why a cell is checked with its root (docs/rules.md "Systems and cell sets"): named in a
 * jailhouse-cells.json, named together on the command line, the only system of its folder,
 * its file name, its content, or none of these (checked without a root).
 */
export type GroupingReason = 'declared' | 'explicit' | 'folder' | 'prefix' | 'content' | 'none';

export interface Grouping {
  reason: GroupingReason;
  /** `content`: what matched the root (`irqchip 0xfec00000`, `RAM inside root regions (3/3)`). */
  evidence?: string[];
  /** `none`: the system configs that were considered (absolute paths), best first. */
  candidates?: string[];
  /** `none`: why no root was chosen (`qemu.c and board.c fit equally well`). */
  why?: string;
}

/** The system's configs, root first (when there is one), then the cells. */
export function membersOf<F>(system: System<F>): F[] {
  return system.root === undefined ? [...system.cells] : [system.root, ...system.cells];
}
