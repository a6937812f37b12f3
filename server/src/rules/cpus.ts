// CPU rules (docs/format.md §5.3): cpu-shared, cpu-not-in-root, cpu-root-empty, cpu-empty,
// cpu-zero-x86, cpu-gicv2.
import * as path from 'node:path';
import { cpusOf, type CpuData } from './cpuData';
import { cpuFixes } from './fixes/cpus';
import { cellPairs, pairNote } from './context';
import { cellLabel, cpuList } from './format';

const cpuWord = (cpus: number[]) => `CPU${cpus.length > 1 ? 's' : ''} ${cpuList(cpus)}`;
import { cpusLoc } from './locate';
import type { CellRef, Diag, Rule } from './types';


/** Word index holding the first of `cpus` (where the finding lands). */
const wordOf = (cpus: number[]) => Math.floor((cpus[0] ?? 0) / 64);

export const cpuShared: Rule = {
  id: 'cpu-shared',
  defaultSeverity: 'error',
  docs: '#cpu-shared',
  description: 'Two non-root cells use the same CPU: the second cannot be created while the first exists.',
  check(ctx) {
    const out: Diag[] = [];
    const withCpus = ctx.cells.map((c) => ({ c, cpus: new Set(cpusOf(c)) }));
    for (const [a, b, sev] of cellPairs(ctx, withCpus, (x) => x.c, 'error')) {
      const both = [...a.cpus].filter((x) => b.cpus.has(x));
      if (!both.length) continue;
      for (const [x, y] of [[a.c, b.c], [b.c, a.c]]) {
        out.push({
          code: 'cpu-shared',
          severity: sev,
          message: `${cpuWord(both)} also ${both.length === 1 ? 'belongs' : 'belong'} to ${cellLabel(y)}${pairNote(ctx, x, y)}`,
          loc: cpusLoc(x, wordOf(both)),
          related: [{ loc: cpusLoc(y, wordOf(both)), message: `CPUs of ${cellLabel(y)}` }],
          data: { file: x.file, cpus: both } satisfies CpuData,
        });
      }
    }
    return out;
  },
  fixes: cpuFixes,
};

export const cpuNotInRoot: Rule = {
  id: 'cpu-not-in-root',
  defaultSeverity: 'error',
  docs: '#cpu-not-in-root',
  description: 'A non-root cell uses a CPU the root cell does not have; `cell create` fails.',
  check(ctx) {
    const root = ctx.root;
    if (!root) return [];
    const rootCpus = new Set(cpusOf(root));
    const out: Diag[] = [];
    for (const c of ctx.cells) {
      const extra = cpusOf(c).filter((x) => !rootCpus.has(x));
      if (!extra.length) continue;
      out.push({
        code: 'cpu-not-in-root',
        severity: 'error',
        message: `${cpuWord(extra)} ${extra.length === 1 ? 'is' : 'are'} not in ${cellLabel(root)} (root CPUs: ${cpuList([...rootCpus].sort((a, b) => a - b)) || 'none'}); cell create would fail`,
        loc: cpusLoc(c, wordOf(extra)),
        related: [{ loc: cpusLoc(root), message: `CPUs of ${cellLabel(root)}` }],
        data: { file: c.file, cpus: extra } satisfies CpuData,
      });
    }
    return out;
  },
  fixes: cpuFixes,
};

export const cpuRootEmpty: Rule = {
  id: 'cpu-root-empty',
  defaultSeverity: 'error',
  docs: '#cpu-root-empty',
  description: 'The root cell has no CPU (jailhouse enable refuses it), or a non-root cell (or cells declared to run together) takes all of its CPUs.',
  check(ctx) {
    const root = ctx.root;
    if (!root) return [];
    const rootCpus = cpusOf(root);
    if (!rootCpus.length) {
      return [{ code: 'cpu-root-empty', severity: 'error', message: `${cellLabel(root)} has no CPU; jailhouse enable refuses an empty CPU set`, loc: cpusLoc(root) }];
    }
    const takesAll = (cells: CellRef[]) => {
      const taken = new Set(cells.flatMap(cpusOf));
      return rootCpus.every((x) => taken.has(x));
    };
    const out: Diag[] = [];
    // A cell always runs together with the root, declared or not: alone it must leave the root a
    // CPU (the driver takes the cell's CPUs offline in root Linux, which keeps its last one).
    const alone = ctx.cells.filter((c) => takesAll([c]));
    for (const c of alone) {
      out.push({
        code: 'cpu-root-empty',
        severity: 'error',
        message: `${cellLabel(c)} takes every CPU of ${cellLabel(root)} (${cpuList(rootCpus)}); the root must keep at least one: cell create fails, as root Linux cannot take its last CPU offline`,
        loc: cpusLoc(c),
        related: [{ loc: cpusLoc(root), message: `CPUs of ${cellLabel(root)}` }],
      });
    }
    // Cells that run together must leave the root at least one CPU between them.
    for (const set of ctx.system.sets ?? []) {
      const members = ctx.cells.filter((c) => set.some((f) => sameFile(f, c.file)));
      if (members.length < 2 || members.some((m) => alone.includes(m)) || !takesAll(members)) continue;
      out.push({
        code: 'cpu-root-empty',
        severity: 'error',
        message: `the cells ${members.map((m) => `"${m.label}"`).join(', ')}, declared to run together, take every CPU of ${cellLabel(root)}; the root must keep at least one`,
        loc: cpusLoc(root),
        related: members.map((m) => ({ loc: cpusLoc(m), message: `CPUs of ${cellLabel(m)}` })),
      });
    }
    return out;
  },
};

function sameFile(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

export const cpuEmpty: Rule = {
  id: 'cpu-empty',
  defaultSeverity: 'error',
  docs: '#cpu-empty',
  description: 'A non-root cell has no CPU.',
  check(ctx) {
    return ctx.cells
      .filter((c) => !cpusOf(c).length)
      .map((c) => ({ code: 'cpu-empty', severity: 'error' as const, message: `${cellLabel(c)} has no CPU; it can never run`, loc: cpusLoc(c) }));
  },
};

export const cpuZeroX86: Rule = {
  id: 'cpu-zero-x86',
  defaultSeverity: 'error',
  docs: '#cpu-zero-x86',
  description: 'On x86 a non-root cell may not contain CPU 0 (the driver refuses it).',
  check(ctx) {
    return ctx.cells
      .filter((c) => c.model.arch === 'x86' && cpusOf(c).includes(0))
      .map((c) => ({
        code: 'cpu-zero-x86',
        severity: 'error' as const,
        message: `${cellLabel(c)} contains CPU 0, which an x86 non-root cell may not have; cell create fails`,
        loc: cpusLoc(c),
        data: { file: c.file, cpus: [0] } satisfies CpuData,
      }));
  },
  fixes: cpuFixes,
};

export const cpuGicv2: Rule = {
  id: 'cpu-gicv2',
  defaultSeverity: 'error',
  docs: '#cpu-gicv2',
  description: 'With a GICv2 only CPUs 0-7 exist for the hypervisor.',
  check(ctx) {
    const root = ctx.root;
    if (!root || root.model.system?.platform_info.arm.gic_version !== 2n || root.model.arch === 'x86') return [];
    const high = cpusOf(root).filter((x) => x >= 8);
    if (!high.length) return [];
    return [{ code: 'cpu-gicv2', severity: 'error', message: `GICv2 supports CPUs 0-7 only, but ${cellLabel(root)} lists ${cpuList(high)}; jailhouse enable fails`, loc: cpusLoc(root, wordOf(high)) }];
  },
};
