// The rule registry is a contract: ids, severities, docs, overrides, containment of failures.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkSystem, parseSeverityOverride, RULE_IDS, RULES } from '../../../server/src/rules';
import { severityIds } from '../../../scripts/gen-syntax';
import { BOARD_DIAG_CODES } from '../../../server/src/rules/boards/diagnostics';
import { ROOT_DIAG_CODES } from '../../../server/src/workspace/rootDiagnostic';
import { FIXTURES, loadFixture } from './harness';

const CONTRACT = [
  'memory-overlap', 'memory-overlap-cells', 'memory-overlap-hypervisor', 'memory-overlap-platform', 'cpu-shared', 'cpu-not-in-root',
  'cpu-root-empty', 'irqchip-missing', 'irqchip-address', 'irq-not-in-root', 'irq-shared', 'count-mismatch', 'array-underfilled',
  'alignment', 'subpage-width', 'comm-region', 'name', 'ivshmem', 'syntax', 'unknown-field', 'duplicate-designator', 'value-range',
  'unknown-macro', 'include',
];

describe('rule registry', () => {
  it('holds every contract id once, with severity, docs anchor and description', () => {
    for (const id of CONTRACT) assert.ok(RULE_IDS.includes(id), id);
    assert.equal(new Set(RULE_IDS).size, RULE_IDS.length);
    const docs = fs.readFileSync(path.resolve(__dirname, '../../../docs/rules.md'), 'utf8');
    for (const r of RULES) {
      assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(r.defaultSeverity));
      assert.equal(r.docs, `#${r.id}`);
      assert.ok(r.description.length > 20);
      assert.ok(docs.includes(`### ${r.id}\n`), `docs/rules.md documents ${r.id}`);
    }
  });

  it('docs/rules.md lists every id the jailhouse.severity setting accepts, with its description', () => {
    const docs = fs.readFileSync(path.resolve(__dirname, '../../../docs/rules.md'), 'utf8');
    const ids = severityIds();
    assert.equal(ids.length, new Set(ids.map((x) => x.id)).size);
    assert.deepEqual(new Set(ids.map((x) => x.id)), new Set([...RULE_IDS, ...BOARD_DIAG_CODES, ...ROOT_DIAG_CODES]));
    for (const { id, level, description } of ids) {
      const row = docs.split('\n').find((l) => l.startsWith(`| \`${id}\` |`) || l.startsWith(`| [\`${id}\`](#${id}) |`));
      assert.ok(row, `docs/rules.md has a row for ${id}`);
      assert.ok(row.includes(`| ${level} |`), `${id}: default ${level} in docs/rules.md`);
      assert.ok(row.includes(description), `${id}: description in docs/rules.md`);
    }
  });

  it('parses severity overrides and rejects bad ones', () => {
    assert.deepEqual(parseSeverityOverride('memory-overlap=off'), ['memory-overlap', 'off']);
    assert.deepEqual(parseSeverityOverride('syntax=warning'), ['syntax', 'warning']);
    assert.throws(() => parseSeverityOverride('memory-overlap'), /ID=LEVEL/);
    assert.throws(() => parseSeverityOverride('nope=error'), /unknown rule id/);
    assert.throws(() => parseSeverityOverride('name=fatal'), /unknown level/);
  });

  it('applies overrides and can switch rules and engine codes off', () => {
    const sys = loadFixture(path.join(FIXTURES, 'cpu-shared'))[0];
    const all = (o: Parameters<typeof checkSystem>[1]) => [...checkSystem(sys, o).values()].flat();
    assert.ok(all({}).every((d) => d.code !== 'cpu-shared' || d.severity === 'warning'));
    assert.ok(all({ severity: { 'cpu-shared': 'error' } }).filter((d) => d.code === 'cpu-shared').every((d) => d.severity === 'error'));
    assert.equal(all({ severity: { 'cpu-shared': 'off' } }).filter((d) => d.code === 'cpu-shared').length, 0);
    const eng = loadFixture(path.join(FIXTURES, 'engine-unknown-field'))[0];
    assert.equal([...checkSystem(eng, { severity: { 'unknown-field': 'off' } }).values()].flat().length, 0);
    assert.equal([...checkSystem(eng, { engineDiagnostics: false }).values()].flat().length, 0);
  });

  it('a failing rule becomes one diagnostic, the others still run', () => {
    const sys = loadFixture(path.join(FIXTURES, 'cpu-shared'))[0];
    RULES.push({ id: 'test-crash', defaultSeverity: 'error', docs: '#test-crash', description: 'always throws, for this test', check: () => { throw new Error('boom'); } });
    try {
      const ds = [...checkSystem(sys).values()].flat();
      assert.ok(ds.some((d) => d.code === 'internal' && /test-crash failed: boom/.test(d.message)));
      assert.ok(ds.some((d) => d.code === 'cpu-shared'));
    } finally {
      RULES.pop();
    }
  });
});
