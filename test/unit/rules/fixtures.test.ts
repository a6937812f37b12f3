// Every fixture gives exactly the findings its markers announce: positives for the rule it is
// named after, and negatives for every other rule (clean-* fixtures expect nothing at all).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../../server/src/rules';
import { diagsOf, expectedOf, findingsOf, fixtureNames, FIXTURES, key, loadFixture, parseMarker, unanswered } from './harness';

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
      const missed = unanswered(expected, actual).map((e) => {
        const there = actual.filter((a) => a.file === e.file && a.line === e.line).map((a) => `    @${a.column} ${a.code}:${a.severity} ${a.message}`);
        return `${key(e, true)}${e.column ? '@' + e.column : ''} ${(e.words ?? []).map((w) => JSON.stringify(w)).join(' ')} — the line has:\n${there.join('\n')}`;
      });
      assert.deepEqual(missed, [], 'markers whose column or key words no finding matches');
      for (const d of diags) {
        assert.ok(d.message.length > 10 && !/undefined|NaN|\[object/.test(d.message), `readable message: ${d.message}`);
        seen.add(d.code);
      }
    });
  }
  it('markers say column and key words: parsed, and a wrong one is caught', () => {
    assert.deepEqual(parseMarker('memory-overlap:error@4 "RAM" "0x1000, 0x2000", ivshmem'), [
      { code: 'memory-overlap', severity: 'error', column: 4, words: ['RAM', '0x1000, 0x2000'] },
      { code: 'ivshmem', severity: undefined, column: undefined, words: undefined },
    ]);
    assert.throws(() => parseMarker('memory-overlap@x'), /bad marker/);
    assert.throws(() => parseMarker('cpu-shared ""'), /empty key words/);
    const found = { file: 'a.c', line: 3, column: 5, code: 'cpu-shared', severity: 'error', message: 'CPU 3 is also in cell B' };
    const at = (m: string) => parseMarker(m).map((e) => ({ file: 'a.c', line: 3, ...e }));
    assert.equal(unanswered(at('cpu-shared:error@5 "CPU 3"'), [found]).length, 0);
    assert.equal(unanswered(at('cpu-shared@6'), [found]).length, 1, 'wrong column');
    assert.equal(unanswered(at('cpu-shared "CPU 4"'), [found]).length, 1, 'wrong key words');
    assert.equal(unanswered(at('cpu-shared "cpu 3"'), [found]).length, 1, 'case matters');
    assert.equal(unanswered(at('cpu-shared "CPU 3", cpu-shared "cell B"'), [found]).length, 1, 'one finding answers one marker');
    const other = { ...found, column: 9, message: 'CPU 3 again' };
    assert.equal(unanswered(at('cpu-shared "cell B", cpu-shared "CPU 3"'), [other, found]).length, 0, 'matching, not first come');
  });
  it('every rule has a positive fixture', () => {
    const missing = RULES.map((r) => r.id).filter((id) => !seen.has(id));
    assert.deepEqual(missing, []);
  });
});
