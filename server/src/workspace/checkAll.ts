// "Check workspace": every configuration found under the workspace folders, checked once per
// system (a root and its cells), and the problems counted over every member. The front end
// supplies the files found, how to tell a config, the grouping and the check itself.

interface Members {
  root?: string;
  cells: string[];
}

export interface WorkspaceCheckHost<S extends Members> {
  isConfig(file: string): boolean;
  /** Told the configurations found before any is checked (a system's check sees them all as wanted). */
  willCheck?(configs: readonly string[]): void;
  systemOf(file: string): S;
  /** Checks (and shows) one system; called once per system, in the order the files were found. */
  check(system: S): void;
  /** The diagnostics a file has after its system was checked. */
  severitiesOf(file: string): Iterable<string>;
}

export interface WorkspaceCheck {
  /** The configurations among the files found. */
  configs: string[];
  systems: number;
  errors: number;
  warnings: number;
}

export function checkWorkspaceFiles<S extends Members>(files: readonly string[], host: WorkspaceCheckHost<S>): WorkspaceCheck {
  const configs = files.filter((f) => host.isConfig(f));
  host.willCheck?.(configs);
  const seen = new Set<string>();
  let systems = 0;
  for (const f of configs) {
    if (seen.has(f)) continue;
    const sys = host.systemOf(f);
    for (const m of [sys.root, ...sys.cells]) if (m) seen.add(m);
    systems++;
    host.check(sys);
  }
  let errors = 0;
  let warnings = 0;
  for (const f of seen) {
    for (const s of host.severitiesOf(f)) {
      if (s === 'error') errors++;
      else if (s === 'warning') warnings++;
    }
  }
  return { configs, systems, errors, warnings };
}
