// Conformance with the compiler on the upstream configs: with JAILHOUSE_SRC pointing at a
// Jailhouse checkout, every configs/<arch>/*.c is compiled the way the upstream build does
// (docs/format.md §1.3) and `dump` of the source must equal `dump` of the compiled image,
// and the encoded image must equal gcc's bytes. Files with `#ifdef CONFIG_*` are checked a second
// time with those switches defined. `jhcell build` (the real CLI bundle) must write gcc's image
// of each. Nothing of the checkout is copied; compiled
// images are cached under .conformance-cache/ (git-ignored), keyed by content.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileConfig, haveGcc, upstreamBuild } from '../../support/gcc';
import { compare, loadEngine, table } from '../../support/conformance';
import type { Row } from '../../support/conformance';

const SRC = process.env.JAILHOUSE_SRC;
const ARCHS = ['x86', 'arm', 'arm64'];

function skipReason(): string | false {
  if (!SRC) return 'JAILHOUSE_SRC is not set (point it at a Jailhouse checkout to run the upstream conformance test)';
  if (!existsSync(join(SRC, 'configs'))) return `JAILHOUSE_SRC=${SRC} has no configs/ folder`;
  if (!haveGcc()) return 'gcc/objcopy not installed';
  return false;
}

describe('upstream conformance: dump(source) == dump(gcc image)', { skip: skipReason() }, () => {
  it('every configs/*/*.c', async (t) => {
    const src = SRC!;
    const analyzeFile = await loadEngine();
    if (!analyzeFile) {
      t.skip('the engine (server/src/engine/analyze.ts) is not there yet');
      return;
    }
    const cacheDir = join(process.cwd(), '.conformance-cache', 'upstream');
    const rows: Row[] = [];
    for (const arch of ARCHS) {
      const dir = join(src, 'configs', arch);
      if (!existsSync(dir)) continue;
      const { includeDirs, flags, keyExtra } = upstreamBuild(src, arch);
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) {
        const file = join(dir, name);
        // As built (no config.h), and once more with every CONFIG_* switch the file tests turned on.
        const switches = [...new Set([...readFileSync(file, 'utf8').matchAll(/^\s*#\s*if(?:n?def)?\b.*?\b(CONFIG_\w+)/gm)].map((m) => m[1]))];
        const variants: Record<string, string>[] = switches.length ? [{}, Object.fromEntries(switches.map((n) => [n, '1']))] : [{}];
        for (const defines of variants) {
          const names = Object.keys(defines);
          const label = `${arch}/${name}${names.length ? ` -D${names.join(' -D')}` : ''}`;
          const res = compileConfig(file, { includeDirs, flags: [...flags, ...names.map((n) => `-D${n}=1`)], cacheDir, keyExtra });
          if (!res.bytes) {
            rows.push({ file: label, status: 'gcc-error', detail: (res.error ?? '').split('\n')[0] });
            continue;
          }
          let row: Row;
          try {
            row = compare(label, analyzeFile(file, { defines }), res.bytes);
          } catch (e) {
            row = { file: label, status: 'FAIL', detail: `engine threw: ${e instanceof Error ? e.message : String(e)}` };
          }
          rows.push(row);
        }
      }
    }
    const bad = rows.filter((r) => r.status !== 'ok');
    t.diagnostic(`per file:\n${table(rows)}`);
    t.diagnostic(`${rows.length - bad.length}/${rows.length} upstream configs agree with gcc`);
    assert.ok(rows.length > 0, 'no configs found');
    assert.equal(bad.length, 0, `\n${table(bad)}\n(${rows.length - bad.length}/${rows.length} agree)`);
  });

  it('jhcell build writes gcc + objcopy\'s image of every configs/*/*.c', (t) => {
    const src = SRC!;
    const cli = join(process.cwd(), 'dist/cli.js');
    const cacheDir = join(process.cwd(), '.conformance-cache', 'upstream');
    const work = mkdtempSync(join(tmpdir(), 'jhcell-upstream-build-'));
    const rows: Row[] = [];
    for (const arch of ARCHS) {
      const dir = join(src, 'configs', arch);
      if (!existsSync(dir)) continue;
      const { includeDirs, flags, keyExtra } = upstreamBuild(src, arch);
      const files = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
      const switchesOf = (name: string) => [...new Set([...readFileSync(join(dir, name), 'utf8').matchAll(/^\s*#\s*if(?:n?def)?\b.*?\b(CONFIG_\w+)/gm)].map((m) => m[1]))];
      // As built, then the files that test CONFIG_* switches once more with all of them on
      // (one jhcell run per variant; a switch only changes the files that test it).
      const withSwitches = files.filter((f) => switchesOf(f).length);
      const allSwitches = [...new Set(withSwitches.flatMap(switchesOf))];
      for (const variant of [{ names: [] as string[], list: files }, { names: allSwitches, list: withSwitches }]) {
        if (!variant.list.length) continue;
        const out = join(work, arch + (variant.names.length ? '-config' : ''));
        const r = spawnSync(process.execPath, [cli, 'build', '-q', '--out-dir', out, ...variant.names.map((n) => `-D${n}`), ...variant.list.map((f) => join(dir, f))], { encoding: 'utf8' });
        for (const name of variant.list) {
          const own = switchesOf(name);
          const label = `${arch}/${name}${variant.names.length ? ` -D${own.join(' -D')}` : ''}`;
          const res = compileConfig(join(dir, name), { includeDirs, flags: [...flags, ...(variant.names.length ? own : []).map((n) => `-D${n}=1`)], cacheDir, keyExtra });
          const image = join(out, name.replace(/\.c$/, '.cell'));
          if (!res.bytes) rows.push({ file: label, status: existsSync(image) ? 'FAIL' : 'ok', detail: existsSync(image) ? 'gcc rejects it, jhcell build wrote an image' : 'refused, as gcc' });
          else if (!existsSync(image)) rows.push({ file: label, status: 'FAIL', detail: `jhcell build refused (exit ${r.status}${r.error ? `, ${r.error.message}` : ""}): ${r.stderr.split('\n').find((l) => l.includes(name)) ?? r.stderr.split('\n')[0]}` });
          else rows.push({ file: label, status: readFileSync(image).equals(Buffer.from(res.bytes)) ? 'ok' : 'FAIL', detail: readFileSync(image).equals(Buffer.from(res.bytes)) ? '' : 'image differs from gcc + objcopy' });
        }
      }
    }
    const bad = rows.filter((r) => r.status !== 'ok');
    t.diagnostic(`jhcell build: ${rows.length - bad.length}/${rows.length} upstream images equal gcc + objcopy's (${rows.filter((r) => !r.file.includes(' -D')).length} files + ${rows.filter((r) => r.file.includes(' -D')).length} CONFIG_ variants)`);
    assert.ok(rows.length > 0, 'no configs found');
    assert.equal(bad.length, 0, `\n${table(bad)}`);
  });
});
