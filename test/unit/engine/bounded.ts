// Runs engine analyses in a worker thread with a time limit per task: a hang becomes a test
// failure naming the input, instead of a test run that never ends.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineOptions } from '../../../server/src/core/analysis';

type PlainOptions = Pick<EngineOptions, 'defines' | 'includeDirs'>;

export type Task = { kind: 'text'; path: string; text: string; options?: PlainOptions } | { kind: 'file'; path: string; options?: PlainOptions };

export interface DiagSummary {
  code: string;
  severity: string;
  message: string;
  file: string;
  start: number;
  end: number;
}

export interface Outcome {
  ms: number;
  diags: DiagSummary[];
  hasModel: boolean;
  /** Diagnostics whose range lies outside their file, or that name no analysed file. */
  badLocs: string[];
  /** The engine threw (analyze should never throw). */
  threw?: string;
  /** The task did not finish within the limit; the worker was stopped. */
  timedOut?: boolean;
}

/** Internal errors the engine caught itself still mean a crash. */
export const isInternal = (d: DiagSummary): boolean => /internal error/i.test(d.message);

/** Problems of an outcome that every input must avoid: exceptions, hangs, bad ranges. */
export function hardFailures(o: Outcome): string[] {
  const out: string[] = [];
  if (o.timedOut) out.push(`did not finish within the time limit`);
  if (o.threw) out.push(`threw: ${o.threw}`);
  out.push(...o.badLocs);
  for (const d of o.diags) if (isInternal(d)) out.push(`internal error: ${d.message}`);
  return out;
}

// A worker does not inherit the TypeScript loader of the test process: register tsx first.
const WORKER_CODE = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(join(__dirname, 'boundedWorker.ts'))});`;

function startWorker(): Worker {
  return new Worker(WORKER_CODE, { eval: true });
}

/** The worker kept between calls (unref'd: it never keeps the test process alive). */
let shared: Worker | undefined;

function workerForUse(): Worker {
  if (!shared) {
    shared = startWorker();
    shared.unref();
  }
  return shared;
}

let nextId = 0;

/**
 * Runs the tasks one after the other in a worker; each gets `timeoutMs` from the end of the
 * previous one before the worker is stopped (and replaced) and the task recorded as timed out.
 */
export async function runBounded(tasks: Task[], timeoutMs: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  while (outcomes.length < tasks.length) {
    const first = outcomes.length;
    const worker = workerForUse();
    const base = nextId;
    nextId += tasks.length - first;
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout;
      let done = false;
      const finish = () => {
        done = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve();
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          outcomes.push({ ms: timeoutMs, diags: [], hasModel: false, badLocs: [], timedOut: true });
          shared = undefined;
          void worker.terminate();
          finish();
        }, timeoutMs);
      };
      const onMessage = (m: { id: number; outcome: Outcome }) => {
        if (done || m.id !== base + (outcomes.length - first)) return;
        outcomes.push(m.outcome);
        if (outcomes.length === tasks.length) finish();
        else arm();
      };
      const onError = (e: Error) => {
        done = true;
        clearTimeout(timer);
        shared = undefined;
        reject(e);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      arm();
      // Queue everything at once: the worker handles its messages strictly in order.
      for (let i = first; i < tasks.length; i++) worker.postMessage({ id: base + (i - first), task: tasks[i] });
    });
  }
  return outcomes;
}
