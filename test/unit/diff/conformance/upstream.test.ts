// Opt-in (JAILHOUSE_SRC): every upstream configs/<arch>/*.c compiled as the upstream build does
// (docs/format.md §1.3) and diffed against its own source: no difference in resources, the same
// bytes. Nothing of the checkout is copied; images are cached under .conformance-cache/.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diffConfigs } from '../../../../server/src/diff/compare';
import { loadSide } from '../../../../server/src/diff/load';
import { changeLine } from '../../../../server/src/diff/report';
import { sideFromImage } from '../../../../server/src/diff/side';
import { compileConfig, haveGcc, upstreamBuild } from '../../../support/gcc';

const SRC = process.env.JAILHOUSE_SRC;

function skipReason(): string | false {
  if (!SRC) return 'JAILHOUSE_SRC is not set (point it at a Jailhouse checkout to diff the upstream configs against their images)';
  if (!existsSync(join(SRC, 'configs'))) return `JAILHOUSE_SRC=${SRC} has no configs/ folder`;
  if (!haveGcc()) return 'gcc/objcopy not installed';
  return false;
}

describe('jhcell diff: upstream sources against their gcc images', { skip: skipReason() }, () => {
  it('every configs/*/*.c', (t) => {
    const src = SRC!;
    const cacheDir = join(process.cwd(), '.conformance-cache', 'upstream-diff');
    const bad: string[] = [];
    let compared = 0;
    let total = 0;
    for (const arch of ['x86', 'arm', 'arm64']) {
      const dir = join(src, 'configs', arch);
      if (!existsSync(dir)) continue;
      const { includeDirs, flags, keyExtra } = upstreamBuild(src, arch);
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) {
        total++;
        const file = join(dir, name);
        const res = compileConfig(file, { includeDirs, flags, cacheDir, keyExtra });
        if (!res.bytes) {
          bad.push(`${arch}/${name}: gcc: ${(res.error ?? '').split('\n')[0]}`);
          continue;
        }
        const a = loadSide(file);
        const b = sideFromImage(`${name}.cell`, res.bytes);
        if ('error' in a || 'error' in b) {
          bad.push(`${arch}/${name}: ${'error' in a ? a.error : ''}${'error' in b ? b.error : ''}`);
          continue;
        }
        compared++;
        const r = diffConfigs(a.side, b.side);
        if (r.changes.length || !r.bytesEqual) bad.push(`${arch}/${name}: ${r.changes.map(changeLine).join('; ') || r.notes.join('; ')}`);
      }
    }
    t.diagnostic(`${compared - bad.length}/${total} upstream configs diff equal to their gcc image`);
    assert.ok(total > 0, 'no configs found');
    assert.deepEqual(bad, []);
  });
});
