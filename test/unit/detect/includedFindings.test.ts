// A finding located in an included file is reported on the config that includes it too (a
// wrapper config's whole model lives in the file it includes), once per file, with the
// included location as related information; the included file names the wrapper when only
// the wrapper has the finding.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import { checkSystem, fixesFor, type Diag } from '../../../server/src/rules';
import { findingKey } from '../../../server/src/rules/included';
import { positionAt } from '../../../server/src/util/source';
import { loadSystems } from '../../../server/src/workspace';

const FX = path.resolve(__dirname, '../../fixtures/wrapper');
const fx = (f: string) => path.join(FX, f);
const text = (f: string) => fs.readFileSync(f, 'utf8');
const lineOf = (file: string, offset: number) => positionAt({ path: file, text: text(file) }, offset).line + 1;

function lynx(severity: Record<string, 'off' | 'error' | 'warning' | 'information' | 'hint'> = {}) {
  const { systems } = loadSystems([FX], { declaration: false });
  const sys = systems.find((s) => s.root?.file === fx('lynx.c'));
  assert.ok(sys, 'the lynx system');
  return { sys, out: checkSystem(sys, { severity }) };
}

const WRAPPER = fx('lynx-rtos-odd.c');
const CELL = fx('lynx-rtos.c');
const includeLine = (() => {
  const t = text(WRAPPER);
  const at = t.indexOf('"lynx-rtos.c"');
  return { start: at, end: at + '"lynx-rtos.c"'.length };
})();

describe('findings located in an included file', () => {
  it('are reported on the wrapper config at its #include, prefixed with where they are, related to the included location', () => {
    const { out } = lynx();
    const onWrapper = out.get(WRAPPER)!;
    const odd = onWrapper.find((d) => d.code === 'alignment' && d.severity === 'error');
    assert.ok(odd, JSON.stringify(onWrapper.map((d) => d.message)));
    assert.deepEqual({ start: odd.loc.start, end: odd.loc.end }, includeLine);
    const original = out.get(CELL)!.find((d) => d.code === 'alignment' && d.severity === 'error')!;
    assert.equal(odd.message, `In included lynx-rtos.c:${lineOf(CELL, original.loc.start)}: ${original.message.replace(/^As included by lynx-rtos-odd\.c: /, '')}`);
    assert.deepEqual(odd.related![0].loc, original.loc);
    for (const d of onWrapper) assert.deepEqual({ file: d.loc.file, start: d.loc.start, end: d.loc.end }, { file: WRAPPER, ...includeLine }, d.message);
  });

  it('a finding only the wrapper has names the wrapper where it is, and points at its #include', () => {
    const { out } = lynx();
    const original = out.get(CELL)!.find((d) => d.code === 'alignment' && d.severity === 'error')!;
    assert.match(original.message, /^As included by lynx-rtos-odd\.c: region #1 "RAM" is page-mapped but phys_start 0x80000800/);
    const back = original.related!.at(-1)!;
    assert.deepEqual({ file: back.loc.file, start: back.loc.start, end: back.loc.end }, { file: WRAPPER, ...includeLine });
    // Its quick fix still applies where the finding is.
    assert.ok(original.data, 'the fix data stays with the finding in the included file');
  });

  it('a finding the included config reports itself is listed there once, plainly, and copied to the wrapper', () => {
    const { out } = lynx();
    const scratch = out.get(CELL)!.filter((d) => d.code === 'alignment' && /"scratch"/.test(d.message));
    assert.equal(scratch.length, 1, JSON.stringify(scratch.map((d) => d.message)));
    assert.doesNotMatch(scratch[0].message, /As included by/);
    const copies = out.get(WRAPPER)!.filter((d) => d.code === 'alignment' && /"scratch"/.test(d.message));
    assert.equal(copies.length, 1);
    assert.match(copies[0].message, /^In included lynx-rtos\.c:\d+: region #2 "scratch"/);
  });

  it('no file lists the same finding twice', () => {
    const { out } = lynx();
    for (const [file, diags] of out) {
      const keys = diags.map(findingKey);
      assert.equal(new Set(keys).size, keys.length, file);
    }
  });

  it('the included config alone, without its wrapper, has neither copies nor renamed findings', () => {
    const { sys } = lynx();
    const alone = checkSystem({ ...sys, cells: sys.cells.filter((c) => c.file !== WRAPPER) });
    assert.equal(alone.has(WRAPPER), false);
    for (const d of alone.get(CELL)!) assert.doesNotMatch(d.message, /included/i, d.message);
    assert.equal(alone.get(CELL)!.filter((d) => d.code === 'alignment' && d.severity === 'error').length, 0);
  });

  it('severity settings apply to the copies; switched off, no copy remains', () => {
    const raised = lynx({ alignment: 'hint' }).out.get(WRAPPER)!.filter((d) => d.code === 'alignment');
    assert.ok(raised.length >= 2 && raised.every((d) => d.severity === 'hint'));
    assert.equal(lynx({ alignment: 'off' }).out.get(WRAPPER)!.filter((d) => d.code === 'alignment').length, 0);
  });

  it('copies carry no fix of their own: the fixes live with the finding in the included file', () => {
    const { sys, out } = lynx();
    for (const d of out.get(WRAPPER)!) assert.deepEqual(fixesFor(d, sys), [], d.message);
  });

  it('engine findings in the included file are copied to the wrapper, without repeating those the included config has itself', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-wrap-'));
    try {
      const cell = path.join(dir, 'cell.c');
      const wrapper = path.join(dir, 'cell-variant.c');
      fs.writeFileSync(cell, text(CELL).replace('.virt_start = 0x00c00000,', '#ifdef VARIANT\n\t\t\t.virt_begin = 0x00c00000,\n#else\n\t\t\t.virt_start = 0x00c00000,\n#endif'));
      fs.writeFileSync(wrapper, '#define VARIANT\n#include "cell.c"\n');
      const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
      const a = analyze(wrapper, read(wrapper)!, { readFile: read });
      const c = analyze(cell, read(cell)!, { readFile: read });
      const out = checkSystem({ cells: [a, c] });
      const onWrapper = out.get(wrapper)!.filter((d: Diag) => d.code === 'unknown-field');
      assert.equal(onWrapper.length, 1, JSON.stringify(out.get(wrapper)));
      assert.match(onWrapper[0].message, /^In included cell\.c:\d+: .*virt_begin/);
      const onCell = out.get(cell)!.filter((d: Diag) => d.code === 'unknown-field');
      assert.equal(onCell.length, 1);
      assert.match(onCell[0].message, /^As included by cell-variant\.c: /);

      // A wrapper of the wrapper: the copy sits on its own #include, naming the file the finding is in.
      const outer = path.join(dir, 'sub', 'outer.c');
      fs.mkdirSync(path.dirname(outer));
      const outerText = '#include "../cell-variant.c"\n';
      fs.writeFileSync(outer, outerText);
      const o = analyze(outer, outerText, { readFile: read });
      const onOuter = checkSystem({ cells: [o] }).get(outer)!.filter((d: Diag) => d.code === 'unknown-field');
      assert.equal(onOuter.length, 1);
      assert.ok(onOuter[0].message.startsWith(`In included ${path.join('..', 'cell.c')}:`), onOuter[0].message);
      assert.deepEqual([onOuter[0].loc.start, onOuter[0].loc.end], [outerText.indexOf('"'), outerText.lastIndexOf('"') + 1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a wrapper and the config it includes are one cell built two ways', () => {
  it('are alternatives: no CPU, memory or name conflict between the two unless a set declares them together', () => {
    const { out } = lynx();
    const between = (d: Diag) => ['cpu-shared', 'memory-overlap-cells', 'name', 'irq-shared', 'pci-shared'].includes(d.code);
    for (const f of [WRAPPER, CELL]) assert.deepEqual((out.get(f) ?? []).filter(between).map((d) => d.message), [], f);
    const { systems } = loadSystems([FX], { declaration: false });
    const sys = systems.find((s) => s.root?.file === fx('lynx.c'))!;
    const together = checkSystem({ ...sys, sets: [[WRAPPER, CELL]] });
    assert.ok([...together.values()].flat().some((d) => d.code === 'cpu-shared' && d.severity === 'error'), 'declared together, the shared CPU is an error');
  });
});
