// Runs engine tasks for bounded.ts in a worker thread, so that a hang can be stopped from the
// test and reported as a failure instead of blocking the whole test run.
import { parentPort } from 'node:worker_threads';
import { analyze, analyzeFile } from '../../../server/src/engine/analyze';
import type { Analysis } from '../../../server/src/core/analysis';
import type { Outcome, Task } from './bounded';

function summarize(a: Analysis, ms: number): Outcome {
  const badLocs: string[] = [];
  for (const d of a.diagnostics) {
    const f = a.files.get(d.loc.file);
    if (!f) badLocs.push(`${d.code}: file ${d.loc.file} is not among the analysed files`);
    else if (!(d.loc.start >= 0 && d.loc.start <= d.loc.end && d.loc.end <= f.text.length)) badLocs.push(`${d.code}: [${d.loc.start},${d.loc.end}] outside 0..${f.text.length}`);
    if (!d.message) badLocs.push(`${d.code}: empty message`);
  }
  return {
    ms,
    diags: a.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, file: d.loc.file, start: d.loc.start, end: d.loc.end })),
    hasModel: a.model !== undefined,
    badLocs,
  };
}

parentPort!.on('message', (msg: { id: number; task: Task }) => {
  const { id, task } = msg;
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    const a = task.kind === 'file' ? analyzeFile(task.path, task.options) : analyze(task.path, task.text, task.options);
    outcome = summarize(a, performance.now() - t0);
  } catch (e) {
    outcome = { ms: performance.now() - t0, diags: [], hasModel: false, badLocs: [], threw: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
  }
  parentPort!.postMessage({ id, outcome });
});
