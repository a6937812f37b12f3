// Findings located in a file that a config includes. A wrapper config (`#define USE_AARCH32` +
// `#include "board-demo.c"`) has every location of its model in the included file, so without
// this its findings would be shown only there, under the included file's name, and the wrapper
// would look clean. Each such finding is also reported on the including config, at its own
// `#include` line, with the included location as related information.
import * as path from 'node:path';
import type { Analysis } from '../core/analysis';
import type { Loc } from '../util/source';
import { positionAt } from '../util/source';
import type { Diag, System } from './types';
import { membersOf } from '../workspace/system';


/** Real files a member pulls in (not itself, not the built-in headers). */
function includedFiles(a: Analysis): Set<string> {
  return new Set([...a.files.keys()].filter((f) => f !== a.file && !f.startsWith('<')));
}

/** Two findings are the same when every visible part is. */
export function findingKey(d: Diag): string {
  const related = (d.related ?? []).map((r) => `${r.loc.file}:${r.loc.start}:${r.loc.end}:${r.message}`).join('|');
  return `${d.loc.file}:${d.loc.start}:${d.loc.end}:${d.code}:${d.severity}:${d.message}:${related}`;
}

/** The `#include` in the member's own text through which `file` came in. */
function includeIn(a: Analysis, file: string): Loc | undefined {
  const parent = new Map<string, Loc>();
  for (const inc of a.includes) if (inc.target && !parent.has(inc.target)) parent.set(inc.target, inc.loc);
  let at = parent.get(file);
  for (let hops = 0; at && hops <= a.includes.length; hops++) {
    if (at.file === a.file) return at;
    at = parent.get(at.file);
  }
  return undefined;
}

/** The finding again, on the member's `#include` line; fixes stay with the original (no `data`). */
function copyFor(a: Analysis, d: Diag, loc: Loc): Diag {
  const where = path.relative(path.dirname(a.file), d.loc.file) || path.basename(d.loc.file);
  const src = a.files.get(d.loc.file);
  const line = src ? `:${positionAt(src, d.loc.start).line + 1}` : '';
  return {
    code: d.code,
    severity: d.severity,
    message: `In included ${where}${line}: ${d.message}`,
    loc,
    related: [{ loc: d.loc, message: `here, as ${path.basename(a.file)} includes it` }, ...(d.related ?? [])],
  };
}

/** The original of a finding only an including member has: it names that member. */
function namingIncluder(a: Analysis, d: Diag, include: Loc): Diag {
  const name = path.basename(a.file);
  return { ...d, message: `As included by ${name}: ${d.message}`, related: [...(d.related ?? []), { loc: include, message: `${name} includes this file here` }] };
}

export interface IncludedFindings {
  /** Findings on the including members, at their `#include` lines. */
  copies: Diag[];
  /** Findings only an including member has (the included config alone is fine): shown where they are, naming that member. */
  renamed: Map<Diag, Diag>;
}

/**
 * What the findings located in included files add: for each member, the findings it has in the
 * files it includes. Engine findings belong to the analysis that produced them. A rule finding
 * belongs to a member when it goes away without that member: each member with findings in its
 * included files is left out once and the rules run again (`runRules`).
 */
export function findingsFromIncludes(system: System, engine: boolean, ruleFindings: Diag[], runRules: (s: System) => Diag[]): IncludedFindings {
  const copies: Diag[] = [];
  const renamed = new Map<Diag, Diag>();
  const all = membersOf(system);
  for (const a of all) {
    const included = includedFiles(a);
    if (!included.size) continue;
    /** Each finding of `a` there, and whether another member reports the same. */
    const mine: { d: Diag; shared: boolean }[] = [];
    if (engine) {
      const others = new Set(all.filter((o) => o !== a).flatMap((o) => o.diagnostics.map(findingKey)));
      for (const d of a.diagnostics) if (included.has(d.loc.file)) mine.push({ d, shared: others.has(findingKey(d)) });
    }
    const located = ruleFindings.filter((d) => included.has(d.loc.file));
    if (located.length) {
      const without: System = { ...system, root: system.root === a ? undefined : system.root, cells: system.cells.filter((c) => c !== a) };
      const remaining = new Map<string, number>();
      for (const d of runRules(without)) {
        if (!included.has(d.loc.file)) continue;
        const k = findingKey(d);
        remaining.set(k, (remaining.get(k) ?? 0) + 1);
      }
      const others = new Set(remaining.keys());
      for (const d of located) {
        const k = findingKey(d);
        const n = remaining.get(k) ?? 0;
        if (n > 0) remaining.set(k, n - 1);
        else mine.push({ d, shared: others.has(k) });
      }
    }
    for (const { d, shared } of mine) {
      const include = includeIn(a, d.loc.file);
      if (!include) continue;
      copies.push(copyFor(a, d, include));
      if (!shared) renamed.set(d, namingIncluder(a, d, include));
    }
  }
  return { copies, renamed };
}
