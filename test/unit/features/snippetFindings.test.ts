// Every snippet, expanded with its defaults, is analysed like a rule fixture: the whole-file
// snippets as a system of their own, each section snippet accepted (as the editor would, array
// declaration grown) in a clean fixture of an architecture it is offered for. The findings are
// written out exactly: they are what a user sees before filling in the placeholders, so a
// default that starts to trip a check, or stops to, shows here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import { complete } from '../../../server/src/features/completion';
import { Doc } from '../../../server/src/features/context';
import { snippetDefaults, SNIPPETS } from '../../../server/src/features/snippets';
import { checkSystem } from '../../../server/src/rules';
import { positionAt } from '../../../server/src/util/source';
import { cursors } from '../../support/cursor';
import { diagsOf, findingsOf, FIXTURES, hostWith, loadFixture, type Finding } from '../rules/harness';
import { applyCompletion } from './insertApply';

const ROOT = path.resolve(__dirname, '../../..');

/** `file:line@column code:severity`, in the order of files, lines and columns. */
function render(findings: Finding[]): string[] {
  return findings
    .map((f) => `${path.basename(f.file)}:${f.line}@${f.column} ${f.code}:${f.severity}`)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

const ARM64 = path.join(FIXTURES, 'clean-arm64/nimbus-rtos.c');
const X86 = path.join(FIXTURES, 'clean-x86/orca.c');

// What each section snippet brings into a clean system. The defaults are zeros and examples:
// a region at 0 overlaps the fixture's low regions, an irqchip at 0 is not the GIC, an
// ivshmem device with dev_id 0 takes the ID its peers use.
const SECTION_FINDINGS: Record<string, [string, string[]][]> = {
  'jh-region': [
    [ARM64, ['nimbus-rtos.c:44@18 memory-overlap:warning', 'nimbus-rtos.c:48@30 memory-overlap:warning', 'nimbus-rtos.c:54@18 memory-overlap:warning', 'nimbus-rtos.c:55@18 memory-overlap:warning']],
    [X86, ['orca.c:53@18 memory-overlap:warning', 'orca.c:54@18 memory-overlap:warning', 'orca.c:77@18 memory-overlap:warning', 'orca.c:78@18 memory-overlap:warning']],
  ],
  'jh-comm-region': [
    [ARM64, ['nimbus-rtos.c:48@30 memory-overlap:warning', 'nimbus-rtos.c:49@18 memory-overlap:warning', 'nimbus-rtos.c:53@30 memory-overlap:warning', 'nimbus-rtos.c:54@18 memory-overlap:warning', 'nimbus-rtos.c:56@13 comm-region:warning']],
    [X86, ['orca.c:53@18 memory-overlap:warning', 'orca.c:76@30 memory-overlap:warning']],
  ],
  'jh-ivshmem-regions': [
    [ARM64, [
      ...Array(3).fill('nimbus-rtos.c:44@18 memory-overlap:warning'),
      'nimbus-rtos.c:48@30 memory-overlap:warning',
      ...Array(2).fill('nimbus-rtos.c:54@3 memory-overlap:warning'),
      ...Array(2).fill('nimbus-rtos.c:54@31 memory-overlap:warning'),
    ]],
    [X86, [
      ...Array(3).fill('orca.c:53@18 memory-overlap:warning'),
      ...Array(3).fill('orca.c:54@18 memory-overlap:warning'),
      ...Array(4).fill('orca.c:77@3 memory-overlap:warning'),
      ...Array(2).fill('orca.c:77@31 memory-overlap:warning'),
    ]],
  ],
  'jh-irqchip': [[ARM64, ['nimbus-rtos.c:62@15 irqchip-address:warning']]],
  'jh-ioapic': [[X86, []]],
  'jh-pci-device': [[ARM64, []]],
  'jh-ivshmem-device': [[ARM64, ['nimbus-rtos.c:78@27 ivshmem:warning', 'nimbus-rtos.c:78@27 ivshmem:warning', 'nimbus-rtos.c:79@20 ivshmem:error', 'nimbus.c:89@20 ivshmem:error']]],
};

/** The system of `file`'s fixture with `prefix` accepted on a new last line of its section. */
function accepted(file: string, prefix: string): Finding[] | undefined {
  const text = readFileSync(file, 'utf8');
  const section = SNIPPETS.find((s) => s.prefix === prefix)!.section;
  const member = analyze(file, text).model!.members.find((m) => m.role === section);
  assert.ok(member?.initLoc, `${path.basename(file)} has no ${section}`);
  // A new line, indented like the elements, just before the section's closing brace.
  const close = text.lastIndexOf('\n', member.initLoc.end - 1) + 1;
  const { text: t, offsets: [offset] } = cursors(`${text.slice(0, close)}\t\t$0\n${text.slice(close)}`);
  const item = complete(new Doc(analyze(file, t), t), offset).find((i) => i.label === prefix);
  if (!item) return undefined;
  const out = applyCompletion(t, offset, item);
  const systems = loadFixture(path.dirname(file), hostWith(new Map([[file, out]])));
  return findingsOf(systems, diagsOf(systems));
}

describe('every snippet, expanded with its defaults, analysed like a fixture', () => {
  test('the snippet files hold exactly the server\'s snippets, and each has its spec here', () => {
    const dir = path.join(ROOT, 'snippets');
    const shipped = readdirSync(dir).filter((f) => f.endsWith('.json')).flatMap((f) => Object.values(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, { prefix: string; body: string[] }>));
    assert.deepEqual(shipped.map((s) => s.prefix).sort(), SNIPPETS.map((s) => s.prefix).sort());
    for (const s of shipped) assert.deepEqual(s.body, SNIPPETS.find((x) => x.prefix === s.prefix)!.body, s.prefix);
    assert.deepEqual(Object.keys(SECTION_FINDINGS).sort(), SNIPPETS.filter((s) => s.section).map((s) => s.prefix).sort(), 'a spec for every section snippet');
    assert.deepEqual(SNIPPETS.filter((s) => !s.section).map((s) => s.prefix).sort(), ['jh-cell', 'jh-system'], 'the whole-file snippets, analysed together below');
  });

  for (const [prefix, hosts] of Object.entries(SECTION_FINDINGS)) {
    test(`${prefix} in a clean system`, () => {
      for (const [file, want] of hosts) {
        const got = accepted(file, prefix);
        assert.ok(got, `${prefix} is offered in ${path.basename(file)}'s section`);
        assert.deepEqual(render(got), want, `${prefix} in ${path.relative(FIXTURES, file)}`);
      }
    });
  }

  test('a section snippet is offered only for its architectures', () => {
    assert.equal(accepted(X86, 'jh-irqchip'), undefined, 'the GIC irqchip in an x86 system');
    assert.equal(accepted(ARM64, 'jh-ioapic'), undefined, 'the IOAPIC in an arm64 cell');
  });

  test('jh-system and jh-cell: a system of their own', () => {
    const text = (prefix: string) => snippetDefaults(SNIPPETS.find((s) => s.prefix === prefix)!.body.join('\n'));
    const root = analyze('/virtual/jh-system.c', text('jh-system'));
    const cell = analyze('/virtual/jh-cell.c', text('jh-cell'));
    const files = new Map([...root.files, ...cell.files]);
    const found = [...checkSystem({ root, cells: [cell] }).values()].flat().map((d) => {
      const p = positionAt(files.get(d.loc.file)!, d.loc.start);
      return { file: d.loc.file, line: p.line + 1, column: p.character + 1, code: d.code, severity: d.severity };
    });
    // The GIC addresses and the cell's memory are placeholders (zeros) for the user to fill.
    assert.deepEqual(render(found), [
      'jh-cell.c:25@18 memory-overlap:warning',
      'jh-cell.c:26@18 memory-overlap:warning',
      'jh-cell.c:32@18 memory-loadable:warning',
      'jh-cell.c:32@18 memory-overlap:warning',
      'jh-cell.c:32@18 memory-overlap:warning',
      'jh-cell.c:33@18 memory-overlap:warning',
      'jh-cell.c:38@30 memory-overlap:warning',
      'jh-system.c:28@18 gic-version:error',
      'jh-system.c:29@18 gic-version:error',
    ]);
  });
});
