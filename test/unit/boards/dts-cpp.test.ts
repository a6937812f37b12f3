// Device trees go through the engine's C preprocessor in cpp's assembler mode and come back as
// text with a source map. These are the shapes real kernel trees use that C configs never do,
// and the C mode must keep rejecting them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDtsDiag } from '../../../server/src/boards/dts/diag';
import { importDts } from '../../../server/src/boards/dts/import';
import { locate, preprocess } from '../../../server/src/boards/dts/preprocess';
import { preprocess as preprocessC } from '../../../server/src/syntax/preprocessor';
import { preprocessToText } from '../../../server/src/syntax/ppText';

const pp = (files: Record<string, string>) => {
  const [main] = Object.keys(files);
  return preprocess(main, files[main], { readFile: (p) => files[p] });
};

/** file:line:col of an output offset. */
const where = (r: ReturnType<typeof pp>, offset: number) => {
  const l = locate(r, offset);
  const text = r.files.get(l.file)!;
  const before = text.slice(0, l.offset).split('\n');
  return `${l.file}:${before.length}:${before[before.length - 1].length + 1}`;
};

test('assembler mode: `#` lines that name no directive are text, `@` is no stray; C mode still rejects both', () => {
  const src = '#define N 2\n/ {\n\t#address-cells = <N>;\n\tcpu@0 { };\n};\n';
  const r = pp({ '/a.dts': src });
  assert.deepEqual(r.diags, []);
  assert.equal(r.text, '\n/ {\n\t#address-cells = <2>;\n\tcpu@0 { };\n};\n'.replace(/\t/g, ' '));
  const c = preprocessC('/a.c', src);
  const messages = c.diagnostics.map((d) => d.message);
  assert.ok(messages.includes('unknown preprocessor directive #address'), messages.join('; '));
  assert.ok(messages.some((m) => m.includes("stray '@'")), messages.join('; '));
});

test('macro arguments are spaced like the parameter they replace; labels and node names stay glued', () => {
  const r = pp({
    '/a.dts': [
      '#define SPI(n) GIC_SPI n 4',
      '#define GIC_SPI 0',
      '#define ADDR 3000',
      '#define NAME(x) x',
      '/ { NAME(uart): serial@ADDR { interrupts = <SPI(178)>; }; };',
    ].join('\n'),
  });
  assert.deepEqual(r.diags, []);
  assert.match(r.text, /uart: serial@3000 \{ interrupts = <0 178 4>; \}; \};/);
});

test('GNU named variadic parameters and empty arguments next to ## (the kernel’s multi-die headers)', () => {
  const defs = '#define __concat_1(x, y...) x ## y\n#define __concat(x, y...) __concat_1(x, y)\n#define NODE(a) __concat(a, DIE)\n';
  const one = pp({ '/a.dts': `#define DIE\n${defs}NODE(pmgr): pmgr@0 { };\n` });
  assert.deepEqual(one.diags, []);
  assert.match(one.text, /^\s*pmgr: pmgr@0 \{ \};/m);
  const two = pp({ '/a.dts': `#define DIE _die1\n${defs}NODE(pmgr): pmgr@0 { };\n` });
  assert.match(two.text, /^\s*pmgr_die1: pmgr@0 \{ \};/m);
});

test('pasting into several tokens is text in assembler mode and an error in C', () => {
  const src = '#define PIN(p) pin- ## p\nPIN(gpa0) { };\n';
  const r = pp({ '/a.dts': src });
  assert.deepEqual(r.diags, []);
  assert.match(r.text, /pin-gpa0 \{ \};/);
  assert.ok(preprocessC('/a.c', src).diagnostics.some((d) => /pasting "-" and "gpa0"/.test(d.message)));
});

test('dtc /include/ is relative to the including file and shares the macros; a missing one is an error at its line', () => {
  const r = pp({
    '/b/a.dts': '#define BASE 0x100\n/include/ "sub/c.dtsi"\n/ { x = <1>; };\n\t/include/ "nope.dtsi"\n',
    '/b/sub/c.dtsi': '/ { base = <BASE>; };\n',
  });
  assert.match(r.text, /base = <0x100>;[\s\S]*x = <1>;/);
  assert.deepEqual(r.diags.map(formatDtsDiag), ['/b/a.dts:4:1: error: cannot find include file "nope.dtsi"']);
  assert.equal(where(r, r.text.indexOf('base')), '/b/sub/c.dtsi:1:5');
});

test('source map: own tokens map exactly, macro text maps to the outermost call, lines are kept', () => {
  const src = '#define REG(a) <a 0x10>\n#define UART REG(0x3000)\n/ {\n\tserial { reg = UART; };\n\tmulti = <REG(\n\t\t7)>; after = <1>;\n};\n';
  const r = preprocessToText('/m.dts', src, { assembler: true });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.text.split('\n').length, src.split('\n').length);
  const dts = pp({ '/m.dts': src });
  assert.equal(dts.text, r.text);
  assert.equal(where(dts, dts.text.indexOf('serial')), '/m.dts:4:2');
  assert.equal(where(dts, dts.text.indexOf('0x10')), '/m.dts:4:17', 'body token → the UART use');
  assert.equal(where(dts, dts.text.indexOf('0x3000')), '/m.dts:4:17', 'nested call → the outermost use');
  assert.equal(where(dts, dts.text.indexOf('7')), '/m.dts:6:3', 'an argument keeps its own place');
  assert.equal(where(dts, dts.text.indexOf('after')), '/m.dts:6:8');
});

test('import errors inside macro text point at the macro use', () => {
  const r = importDts('/a.dts', '/dts-v1/;\n#define BAD <1 = 2>\n/ {\n\tx = BAD;\n};\n', { readFile: () => undefined });
  const text = r.diags.map(formatDtsDiag).join('\n');
  assert.match(text, /^\/a\.dts:4:6: error: unexpected '=' in a cell list$/m, text);
});
