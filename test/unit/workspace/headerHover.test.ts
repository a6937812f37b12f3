// The hover on a config's header says which system it is checked in and why, at every character
// of the header declaration and of the `.cell` / `.header` designator.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Doc, type FeatureContext } from '../../../server/src/features/context';
import { hover } from '../../../server/src/features/hover';
import { loadSystems } from '../../../server/src/workspace';

const HERON = path.resolve(__dirname, '../../fixtures/workspace/heron');
const { systems } = loadSystems([HERON], { declaration: false });

function docOf(name: string): { doc: Doc; ctx: FeatureContext; text: string } {
  const file = path.join(HERON, name);
  const sys = systems.find((s) => s.root?.file === file || s.cells.some((c) => c.file === file))!;
  const a = [sys.root, ...sys.cells].find((x) => x?.file === file)!;
  const text = fs.readFileSync(file, 'utf8');
  return { doc: new Doc(a, text), ctx: { system: sys }, text };
}

/** Every offset from the start of `word`'s occurrence (after `after`) to just past its end. */
function offsetsOf(text: string, word: string, after = ''): number[] {
  const start = text.indexOf(word, after ? text.indexOf(after) : 0);
  assert.ok(start >= 0, word);
  return Array.from({ length: word.length + 1 }, (_, i) => start + i);
}

describe('header hover: the system and why', () => {
  it('a cell inferred from content: root, name and the evidence, at every character', () => {
    const { doc, ctx, text } = docOf('rtos.c');
    for (const o of offsetsOf(text, 'struct jailhouse_cell_desc cell')) {
      const h = hover(doc, o, ctx);
      assert.ok(h, `offset ${o}`);
      assert.match(h.markdown, /Checked with root \*\*heron-a\*\* \(`heron-a\.c`\): inferred from content: irqchip 0xfec00000, RAM inside root regions \(1\/1\)/, `offset ${o}`);
      assert.equal(text.slice(h.loc.start, h.loc.end), 'struct jailhouse_cell_desc cell');
    }
    const designator = text.indexOf('.cell = {') + 1;
    for (let o = designator; o <= designator + 'cell'.length; o++) {
      const h = hover(doc, o, ctx);
      assert.match(h?.markdown ?? '', /wrapper member[\s\S]*Checked with root \*\*heron-a\*\*/, `offset ${o}`);
    }
  });

  it('a cell without a root says so and why', () => {
    const { doc, ctx, text } = docOf('lone.c');
    for (const o of offsetsOf(text, 'struct jailhouse_cell_desc cell')) {
      assert.match(hover(doc, o, ctx)?.markdown ?? '', /Checked \*\*without a root cell\*\*: heron-a\.c and heron-b\.c fit about equally well/, `offset ${o}`);
    }
  });

  it('a root lists its cells; elsewhere on the line nothing changes', () => {
    const { doc, ctx, text } = docOf('heron-a.c');
    for (const o of offsetsOf(text, 'struct jailhouse_system header')) {
      assert.match(hover(doc, o, ctx)?.markdown ?? '', /System configuration \(root cell\) of 1 cell: `rtos\.c`/, `offset ${o}`);
    }
    const before = text.indexOf('struct jailhouse_system header') - 1;
    assert.equal(hover(doc, before, ctx), undefined);
  });
});
