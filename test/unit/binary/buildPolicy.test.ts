// The build verdicts: one table (GCC_VERDICTS) for every engine code, docs/build.md saying the
// same, and member-order's warning computed from the layout.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildImage, GCC_VERDICTS, memberOrderEffects, refusalReason, verdictOf } from '../../../server/src/binary/buildPolicy';
import { imagePathFor } from '../../../server/src/binary/imageFile';
import { ENGINE_CODES } from '../../../server/src/core/diagnostics';
import { analyze } from '../../../server/src/engine/analyze';
import { BUILD_FIXTURES, DEFECTS } from '../../support/buildDefects';

const ROOT = join(__dirname, '../../..');
const fixture = (name: string) => join(BUILD_FIXTURES, name);
const analyzed = (name: string, edit = (s: string) => s) => analyze(fixture(name), edit(readFileSync(fixture(name), 'utf8')));

describe('build policy', () => {
  it('every engine code has a verdict, and docs/build.md gives the same one', () => {
    const doc = readFileSync(join(ROOT, 'docs/build.md'), 'utf8');
    for (const code of ENGINE_CODES) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      assert.ok(row, `docs/build.md has a row for ${code}`);
      assert.equal(row.split('|')[2].trim(), GCC_VERDICTS[code].gcc, `${code}: docs/build.md and GCC_VERDICTS agree`);
    }
    assert.equal(verdictOf('no-such-code').gcc, 'rejects', 'an unknown code is refused');
  });

  it('a clean source: bytes, nothing refused', () => {
    const r = buildImage(analyzed('clean-cell.c'));
    assert.equal(r.bytes?.length, 236);
    assert.deepEqual([r.refusedBy, r.forced, r.warnings], [[], [], []]);
  });

  it('warnings refuse unless forced; errors refuse even when forced', () => {
    const warned = analyzed('clean-cell.c', (s) => s.replace('#include <jailhouse/types.h>', '#warning draft\n#include <jailhouse/types.h>'));
    assert.equal(buildImage(warned).bytes, undefined);
    assert.match(refusalReason(buildImage(warned)), /refused by \[syntax\]/);
    const forced = buildImage(warned, { force: true });
    assert.equal(forced.bytes?.length, 236);
    assert.deepEqual(forced.forced.map((d) => d.code), ['syntax']);
    const error = buildImage(analyzed('clean-cell.c', DEFECTS['value-range'].edit), { force: true });
    assert.equal(error.bytes, undefined);
    assert.deepEqual(error.refusedBy.map((d) => d.code), ['value-range']);
  });

  it('no config object: refused with the reason', () => {
    const r = buildImage(analyze('/x/plain.c', 'int main(void) { return 0; }\n'));
    assert.equal(r.bytes, undefined);
    assert.match(refusalReason(r), /no config object/);
  });

  it('member-order: each misplaced section with where the hypervisor reads it', () => {
    const a = analyzed('member-order.c');
    const r = buildImage(a);
    assert.equal(r.bytes?.length, 236);
    assert.deepEqual(memberOrderEffects(a.model!), [
      'the hypervisor reads mem_regions (num_memory_regions = 2) from byte 140, where this image has irqchips (mem_regions start at byte 172)',
      'the hypervisor reads irqchips (num_irqchips = 1) from byte 204, where this image has mem_regions from its byte 32 (irqchips start at byte 140)',
    ]);
    assert.equal(r.warnings.length, 3);
    // A section the hypervisor reads past the end of the image (a count larger than declared).
    const short = analyzed('member-order.c', (s) => s.replace('.num_irqchips = ARRAY_SIZE(config.irqchips),', '.num_irqchips = 3,'));
    assert.match(memberOrderEffects(short.model!).join('\n'), /reads irqchips \(num_irqchips = 3\) from byte 204, where this image has mem_regions/);
    // The header not first.
    const header = analyzed('member-order.c', (s) => s.replace('\tstruct jailhouse_cell_desc cell;\n\t__u64 cpus[1];', '\t__u64 cpus[1];\n\tstruct jailhouse_cell_desc cell;'));
    assert.match(memberOrderEffects(header.model!)[0], /reads the header from byte 0, where this image holds cpus/);
  });

  it('image names follow upstream: foo.c → foo.cell, beside it or in a folder', () => {
    assert.equal(imagePathFor('configs/arm64/foo.c'), join('configs/arm64', 'foo.cell'));
    assert.equal(imagePathFor('configs/arm64/foo.c', 'out'), join('out', 'foo.cell'));
    assert.equal(imagePathFor('a/foo.conf'), join('a', 'foo.conf.cell'));
  });
});
