// `Page pool usage after …: mem U/T, remap …` measured on the target, set beside the
// hypervisor-memory rule's floor for the same system (rules/hvPool.ts): the user sees how close
// the pool is to full, and whether our floor is below what the target really used.
import * as path from 'node:path';
import { hex } from '../util/format';
import { buildContext } from '../rules/context';
import { poolEstimate } from '../rules/hvPool';
import type { System } from '../workspace/system';
import type { Explanation, LogEvent } from './types';

/** A pool this full leaves too little for the next cell's tables (cell create -ENOMEM). */
const NEARLY_FULL = 0.9;

/**
 * The system the log is about: the one holding a cell the log names, else the only one with a
 * root (several roots and no name: no estimate, said in the message).
 */
function systemOf(events: LogEvent[], systems: System[]): System | undefined {
  const named = new Set(events.map((e) => e.cellName).filter((n): n is string => !!n));
  const rooted = systems.filter((s) => s.root?.model);
  const byName = rooted.find((s) => s.cells.some((c) => c.model && named.has(c.model.cell.name)));
  return byName ?? (rooted.length === 1 ? rooted[0] : undefined);
}

export function explainPool(ev: LogEvent, events: LogEvent[], systems: System[]): Explanation | undefined {
  const pool = ev.pool;
  if (!pool || pool.memTotal <= 0) return undefined;
  const free = pool.memTotal - pool.memUsed;
  const pct = Math.round((pool.memUsed / pool.memTotal) * 100);
  let message = `The hypervisor's page pool: ${pool.memUsed} of ${pool.memTotal} pages used (${pct} %), ${free} free (${hex(BigInt(free) * 4096n, 1)} bytes).`;
  if (pool.memUsed / pool.memTotal >= NEARLY_FULL) message += ' It is nearly full: the next cell create may fail with -ENOMEM (raise hypervisor_memory in the system config).';
  const system = systemOf(events, systems);
  const estimate = system ? poolEstimate(buildContext(system)) : undefined;
  if (system?.root && estimate) {
    message += ` The hypervisor-memory rule's floor for ${path.basename(system.root.file)} and its ${system.cells.length} cell(s) is ${estimate.pages} pages`;
    message += estimate.pages > pool.memUsed ? ` — more than the target used, so the floor counts cells that were not running (or this line was printed early).` : ` — the target used ${pool.memUsed - estimate.pages} pages more than the floor (the floor counts the smallest structures; docs/rules.md#hypervisor-memory).`;
  } else {
    message += systems.length ? ' No single system config matches this log, so it is not compared with the hypervisor-memory estimate.' : ' No system config given: not compared with the hypervisor-memory estimate.';
  }
  // Shown on the system config, where hypervisor_memory is set.
  const root = system?.root?.model ? { name: system.root.model.cell.name || path.basename(system.root.file), file: system.root.file, how: 'named' as const } : undefined;
  return { event: ev, ...(root ? { cell: root } : {}), covering: [], message, fixes: [], rules: ['hypervisor-memory'] };
}
