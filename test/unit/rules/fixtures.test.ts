// Every fixture gives exactly the findings its markers announce: positives for the rule it is
// named after, and negatives for every other rule (clean-* fixtures expect nothing at all).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../../server/src/rules';
import { diagsOf, expectedOf, findingsOf, fixtureNames, FIXTURES, key, loadFixture } from './harness';

describe('rule fixtures', () => {
  const seen = new Set<string>();
  for (const name of fixtureNames()) {
    it(name, () => {
      const dir = path.join(FIXTURES, name);
      const systems = loadFixture(dir);
      const diags = diagsOf(systems);
      const actual = findingsOf(systems, diags);
      const expected = expectedOf(dir);
      const sevOf = new Set(expected.filter((e) => e.severity).map((e) => key(e, false)));
      const render = (fs: typeof actual) => fs.map((f) => key(f, sevOf.has(key(f, false)))).sort();
      assert.deepEqual(render(actual), render(expected), diags.map((d) => `${path.basename(d.loc.file)} ${d.code} ${d.severity}: ${d.message}`).join('\n'));
      for (const d of diags) {
        assert.ok(d.message.length > 10 && !/undefined|NaN|\[object/.test(d.message), `readable message: ${d.message}`);
        seen.add(d.code);
      }
    });
  }
  it('every rule has a positive fixture', () => {
    const missing = RULES.map((r) => r.id).filter((id) => !seen.has(id));
    assert.deepEqual(missing, []);
  });
});
