// docs/model-json.md is what users of `dump --json` rely on: every key its table lists must be
// in the dumps of our system and cell fixtures (source and compiled image), with the value
// notation it gives, and every key a dump prints must be in the table.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeImage } from '../../../server/src/binary/decode';
import { encodeConfig } from '../../../server/src/binary/encode';
import type { ModelJson } from '../../../server/src/binary/modelJson';
import { sourceJson } from '../../../server/src/binary/sourceJson';
import { analyzeFile } from '../../../server/src/engine/analyze';
import { fixturePath } from '../engine/helpers';
import { randomConfig } from '../../support/randomConfig';
import { modelFromPlain } from '../../support/values';
import { checkAgainstContract, contractKeys } from './contractDoc';

const FIXTURES = ['arm-quokka.c', 'arm64-numbat.c', 'arm64-numbat-rtos.c', 'x86-wombat.c', 'x86-wombat-inmate.c'];

/** `dump --json` of a source and of the image it compiles to (the two paths of cli/dump.ts). */
function dumps(name: string): { source: ModelJson; image: ModelJson } {
  const a = analyzeFile(fixturePath(name));
  assert.ok(a.model, name);
  const s = sourceJson(a.model, a.files);
  assert.deepEqual(s.errors, [], name);
  const bytes = encodeConfig(a.model);
  const d = decodeImage(bytes, `${name}.cell`);
  assert.deepEqual(d.errors, [], name);
  return { source: s.json!, image: d.json! };
}

describe('docs/model-json.md', () => {
  const keys = contractKeys();

  it('lists the keys in a table the tests can read', () => {
    assert.ok(keys.length > 100, `${keys.length} keys`);
    assert.equal(new Set(keys.map((k) => k.path)).size, keys.length, 'a key listed twice');
    // Every nested key has its parent listed.
    const paths = new Set(keys.map((k) => k.path));
    for (const k of keys) {
      const parent = k.path.replace(/(\[\])?\.[^.]+$/, '');
      if (parent !== k.path) assert.ok(paths.has(parent), `${k.path}: parent ${parent} not listed`);
    }
  });

  it('every listed key is in the dumps of the fixtures, as source and as image, and nothing else is', () => {
    const seen = new Set<string>();
    const kinds = new Set<string>();
    for (const name of FIXTURES) {
      const { source, image } = dumps(name);
      for (const j of [source, image]) {
        for (const k of checkAgainstContract(j, keys)) seen.add(k);
        kinds.add(`${j.kind}/${j.arch}`);
      }
      const { source: extras, file: _f, ...fromSource } = source;
      assert.ok(extras, `${name}: a source dump has its source key`);
      const { file: _g, ...fromImage } = image;
      assert.deepEqual(fromSource, fromImage, `${name}: source and image dumps differ`);
    }
    assert.deepEqual([...kinds].sort(), ['cell/arm64', 'cell/x86', 'system/arm', 'system/arm64', 'system/x86']);
    assert.deepEqual(keys.map((k) => k.path).filter((p) => !seen.has(p)), [], 'listed keys no fixture printed');
  });

  it('holds for random images of both kinds', () => {
    for (let seed = 200; seed < 240; seed++) {
      const kind = seed % 2 ? 'cell' : 'system';
      const { json, errors } = decodeImage(encodeConfig(modelFromPlain(kind, randomConfig(seed, kind))), 'r.cell');
      assert.deepEqual(errors, []);
      checkAgainstContract(json!, keys);
    }
  });

  it('a system prints its root cell descriptor at the top, the header revision under system', () => {
    for (const name of ['arm64-numbat.c', 'x86-wombat.c']) {
      for (const j of Object.values(dumps(name))) {
        assert.equal(j.kind, 'system');
        assert.equal(j.revision, 0, `${name}: upstream-style root cells leave .revision 0`);
        assert.equal(j.system!.revision, 14, `${name}: JAILHOUSE_CONFIG_REVISION in the header`);
      }
    }
    for (const j of Object.values(dumps('arm64-numbat-rtos.c'))) {
      assert.equal(j.revision, 14, 'a cell prints its own descriptor revision');
      assert.equal(j.system, undefined);
    }
  });

  it('the top-level revision follows the root cell descriptor, not the header', () => {
    const sysT = { kind: 'struct', name: 'jailhouse_system' } as const;
    const img = encodeConfig(
      modelFromPlain('system', [{ name: 'header', cType: '', type: sysT, init: { signature: 'JHSYS', revision: 14, architecture: 2, root_cell: { revision: 9 } } }]),
    );
    const j = decodeImage(img, 's.cell').json!;
    assert.equal(j.revision, 9);
    assert.equal(j.system!.revision, 14);
  });

  it('rejects a table row it cannot read', () => {
    assert.throws(() => contractKeys('## Keys\n| `x` | `float` | always | y |\n'), /unknown value notation float/);
    assert.throws(() => contractKeys('## Keys\n| `x` | `int` | sometimes | y |\n'), /unknown "Present" value/);
    assert.throws(() => checkAgainstContract({ ...dumps('arm64-numbat-rtos.c').image, extra: 1 } as unknown as ModelJson, keys), /key extra is not in/);
    const { console: _c, ...noConsole } = dumps('arm64-numbat-rtos.c').image;
    assert.throws(() => checkAgainstContract(noConsole as unknown as ModelJson, keys), /console is missing/);
  });
});
