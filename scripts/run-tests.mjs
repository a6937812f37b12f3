// Runs node's test runner over every *.test.ts under the given folders (Node 20's --test does
// not expand globs itself). Usage: node scripts/run-tests.mjs [--tier fast|process] DIR... [-- extra node args]
//
// Tiers keep `npm test` a fast loop: the `process` tier holds the tests that start other
// programs for every case (gcc for the conformance tests, a `jhcell` process per CLI test: files
// under a conformance/ folder or named cli-*.test.ts); `fast` is everything else. No --tier runs all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
let dirs = sep >= 0 ? argv.slice(0, sep) : argv;
let tier;
if (dirs[0] === '--tier') {
  tier = dirs[1];
  dirs = dirs.slice(2);
  if (tier !== 'fast' && tier !== 'process') {
    console.error(`run-tests: --tier takes fast or process, not ${tier}`);
    process.exit(2);
  }
}
const PROCESS_TIER = /(^|[\\/])conformance[\\/]|(^|[\\/])cli-[^\\/]*\.test\.ts$/;
const inTier = (f) => !tier || PROCESS_TIER.test(f) === (tier === 'process');
const extra = sep >= 0 ? argv.slice(sep + 1) : [];

function find(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = dirs.flatMap((d) => find(d, [])).filter(inTier);
if (!files.length) {
  console.error(`run-tests: no *.test.ts under ${dirs.join(', ')}`);
  process.exit(1);
}
// Node's default runs (cores - 1) files at once: one at a time on a 2-core machine, where most of
// each file's time is tsx start-up. One per core measured 15 s instead of 22 s for test/unit + test/lsp.
// A --test-concurrency in the extra args comes later and wins.
const concurrency = `--test-concurrency=${Math.max(2, availableParallelism())}`;
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', concurrency, ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
