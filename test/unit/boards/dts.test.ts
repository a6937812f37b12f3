// Device-tree import: preprocessing, the DTS grammar, overrides and deletions, address and
// interrupt translation, and clear file:line errors instead of crashes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatDtsDiag } from '../../../server/src/boards/dts/diag';
import { importDts, importDtsFile, type ImportOptions } from '../../../server/src/boards/dts/import';
import { preprocess } from '../../../server/src/boards/dts/preprocess';
import { FIXTURES } from './helpers';

/** Imports in-memory files: `files` maps absolute paths to text; the first is the main file. */
function imp(files: Record<string, string>, opts: ImportOptions = {}) {
  const [main] = Object.keys(files);
  return importDts(main, files[main], { readFile: (p) => files[p], ...opts });
}

const dev = (r: ReturnType<typeof imp>, name: string) => {
  const d = r.board!.devices.find((x) => x.name === name);
  assert.ok(d, `${name} not in ${r.board!.devices.map((x) => x.name).join(', ')}`);
  return d;
};

const GIC_V2 = `
	gic: interrupt-controller@1000 {
		compatible = "arm,cortex-a15-gic";
		#interrupt-cells = <3>;
		interrupt-controller;
		reg = <0x1000 0x1000>, <0x2000 0x2000>, <0x4000 0x2000>, <0x6000 0x2000>;
		interrupts = <1 9 0xf04>;
	};`;

test('preprocessor: object and function macros, #if chains, stringify and paste', () => {
  const src = [
    '#define BASE 0x1000',
    '#define OFF(n) (BASE + (n) * 0x100)',
    '#define CAT(a, b) a##b',
    '#define STR(x) #x',
    '#if defined(BASE) && BASE > 0x800',
    'yes = <OFF(2)>; CAT(foo, bar) STR(hi there)',
    '#elif 1',
    'no1',
    '#else',
    'no2',
    '#endif',
    '#ifdef NOPE',
    'no3',
    '#endif',
    '#address-cells = <1>;',
    'multi = <OFF(',
    '\t\t3)>; after = <1>;',
  ].join('\n');
  const pp = preprocess('/m.dts', src);
  assert.deepEqual(pp.diags, []);
  assert.match(pp.text, /yes = <\(0x1000 \+ \(2\) \* 0x100\)>;/);
  assert.match(pp.text, /foobar/);
  assert.match(pp.text, /"hi there"/);
  assert.doesNotMatch(pp.text, /no[123]/);
  assert.match(pp.text, /#address-cells = <1>;/, 'not a directive: device-tree text');
  assert.match(pp.text, /multi = <\(0x1000 \+ \(3\) \* 0x100\)>; after = <1>;\n$/, 'a call over two lines');
  assert.equal(pp.text.split('\n').length, src.split('\n').length, 'line count kept');
});

test('preprocessor: recursive macros end, include loops and missing files are reported with file:line', () => {
  const r = imp({
    '/a.dts': '/dts-v1/;\n#define A B\n#define B A\n/ { x = <1>; };\n\n#include "b.dtsi"\n#include "missing.dtsi"\n#include <dt-bindings/clock/foo.h>\n',
    '/b.dtsi': '#include "a.dts"\n',
  });
  const text = r.diags.map(formatDtsDiag).join('\n');
  assert.match(text, /\/b\.dtsi:1:1: error: include loop: a\.dts → b\.dtsi → a\.dts/);
  assert.equal(r.diags.filter((d) => /include|dt-bindings/.test(d.message)).length, 3, text);
  assert.match(text, /\/a\.dts:7:1: error: cannot find include file "missing\.dtsi"/);
  assert.match(text, /\/a\.dts:8:1: warning: dt-bindings\/clock\/foo\.h not found/);
});

test('labels, overrides, path references, deletions and status', () => {
  const r = imp({
    '/board.dts': `/dts-v1/;
#include "soc.dtsi"
/ { model = "Test board"; };
&uart1 { status = "okay"; };
&{/soc/serial@3000} { compatible = "acme,uart-v2", "ns16550a"; };
/delete-node/ &spare;
&soc { /delete-node/ timer@5000; };
&wdt { /delete-property/ status; };
/delete-node/ &{soc/extra@7000};
`,
    '/soc.dtsi': `#include <dt-bindings/interrupt-controller/arm-gic.h>
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	interrupt-parent = <&gic>;
	cpus { #address-cells = <1>; #size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <0>; };
		cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <1>; };
	};
	soc: soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
${GIC_V2}
		uart1: serial@3000 { compatible = "ns16550a"; reg = <0x3000 0x400>; interrupts = <GIC_SPI 5 IRQ_TYPE_LEVEL_HIGH>; status = "disabled"; };
		spare: serial@4000 { compatible = "ns16550a"; reg = <0x4000 0x400>; };
		timer@5000 { compatible = "acme,timer"; reg = <0x5000 0x100>; };
		wdt: watchdog@6000 { compatible = "acme,wdt"; reg = <0x6000 0x100>; interrupts = <GIC_SPI 7 IRQ_TYPE_EDGE_RISING>; status = "disabled"; };
		extra@7000 { compatible = "acme,extra"; reg = <0x7000 0x100>; };
		off: bus@8000 { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges; status = "disabled";
			gpio@8000 { compatible = "acme,gpio"; reg = <0x8000 0x100>; };
		};
	};
};
`,
  });
  assert.deepEqual(r.diags.map(formatDtsDiag), []);
  const b = r.board!;
  assert.equal(b.name, 'Test board');
  assert.equal(b.arch, 'arm');
  assert.equal(b.cpus.count, 2);
  assert.deepEqual(b.interruptController, { type: 'gic', version: 2, gicd: 0x1000n, gicc: 0x2000n, gich: 0x4000n, gicv: 0x6000n, maintenancePpi: 9 });
  const u = dev(r, 'UART1');
  assert.deepEqual(u.compatible, ['acme,uart-v2', 'ns16550a']);
  assert.deepEqual(u.interrupts, [{ type: 'spi', number: 5, trigger: 'level-high' }]);
  assert.equal(u.disabled, undefined);
  assert.equal(u.path, '/soc/serial@3000');
  assert.ok(!b.devices.some((d) => d.name === 'SPARE' || d.name.startsWith('timer') || d.name.startsWith('extra')), 'deleted nodes are gone');
  assert.equal(dev(r, 'WDT').disabled, undefined, '/delete-property/ status enables it');
  assert.equal(dev(r, 'gpio@8000').disabled, true, 'a disabled bus disables its children');
});

test('ranges: multi-level translation, 64-bit cells, empty ranges, non-memory-mapped buses', () => {
  const r = imp({
    '/t.dts': `/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a72"; reg = <0>; }; };
	memory@0 { device_type = "memory"; reg = <0x0 0x0 0x0 0x40000000>, <0x0 0x40000000 0x0 0x40000000>; };
	memory@100000000 { device_type = "memory"; reg = /bits/ 64 <0x100000000 0x80000000>; };
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges = <0x7e000000 0x0 0xfe000000 0x01800000>;
		uart0: serial@7e201000 { compatible = "arm,pl011"; reg = <0x7e201000 0x200>; };
		inner {
			compatible = "simple-bus";
			#address-cells = <1>;
			#size-cells = <1>;
			ranges = <0x0 0x7e300000 0x100000>;
			mmc@1000 { compatible = "acme,mmc"; reg = <0x1000 0x100>; };
		};
		i2c@7e205000 {
			compatible = "acme,i2c";
			reg = <0x7e205000 0x200>;
			#address-cells = <1>;
			#size-cells = <0>;
			eeprom@50 { compatible = "atmel,24c32"; reg = <0x50>; };
		};
		outside@10 { compatible = "acme,x"; reg = <0x10 0x10>; };
	};
	big: pcie@600000000 { compatible = "acme,pcie"; reg = <0x6 0x0 0x1 0x0>; };
};
`,
  }, { arch: 'arm64' });
  const errs = r.diags.filter((d) => !/GIC/.test(d.message));
  assert.deepEqual(errs.map(formatDtsDiag), []);
  assert.deepEqual(dev(r, 'UART0').reg, [{ base: 0xfe201000n, size: 0x200n }]);
  assert.deepEqual(dev(r, 'mmc@1000').reg, [{ base: 0xfe301000n, size: 0x100n }]);
  assert.deepEqual(dev(r, 'i2c@7e205000').reg, [{ base: 0xfe205000n, size: 0x200n }]);
  assert.ok(!r.board!.devices.some((d) => d.name.startsWith('eeprom')), 'I2C children have no CPU address');
  assert.ok(!r.board!.devices.some((d) => d.name.startsWith('outside')), 'outside every range');
  assert.deepEqual(dev(r, 'BIG').reg, [{ base: 0x600000000n, size: 0x100000000n }]);
  assert.deepEqual(r.board!.ram, [{ base: 0n, size: 0x80000000n }, { base: 0x100000000n, size: 0x80000000n }]);
});

test('interrupts: inherited and explicit parents, interrupts-extended, interrupt-map, numeric phandles, GICv3', () => {
  const r = imp({
    '/i.dts': `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	interrupt-parent = <0x8001>;
	cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0>; }; };
	intc@8000000 {
		compatible = "arm,gic-v3";
		phandle = <0x8001>;
		#interrupt-cells = <3>;
		#address-cells = <0>;
		interrupt-controller;
		reg = <0x8000000 0x10000>, <0x80a0000 0xf60000>;
		interrupts = <1 9 4>;
	};
	gpio: gpio@9030000 {
		compatible = "arm,pl061";
		reg = <0x9030000 0x1000>;
		interrupts = <0 7 4>;
		interrupt-controller;
		#interrupt-cells = <2>;
	};
	button@0 { compatible = "acme,button"; reg = <0x100 0x10>; interrupt-parent = <&gpio>; interrupts = <3 1>; };
	rtc@9010000 { compatible = "arm,pl031"; reg = <0x9010000 0x1000>; interrupts-extended = <0x8001 0 2 4>, <&gpio 5 1>, <0x8001 0 3 1>; };
	pcie@10000000 {
		compatible = "pci-host-ecam-generic";
		device_type = "pci";
		#address-cells = <3>;
		#size-cells = <2>;
		#interrupt-cells = <1>;
		reg = <0x3f000000 0x1000000>;
		interrupt-map = <0 0 0 1 0x8001 0 3 4>, <0 0 0 2 0x8001 0 4 4>, <0 0 0 3 0x8001 0 3 4>;
	};
	expr@1000 { compatible = "acme,e"; reg = <0x1000 (0x10 * 2 + 1)>; interrupts = <0 (10 + 2 * 3) ((1 << 2) | 0)>; };
};
`,
  });
  assert.deepEqual(r.diags.map(formatDtsDiag), []);
  assert.deepEqual(r.board!.interruptController, { type: 'gic', version: 3, gicd: 0x8000000n, gicr: 0x80a0000n, maintenancePpi: 9 });
  assert.deepEqual(dev(r, 'GPIO').interrupts, [{ type: 'spi', number: 7, trigger: 'level-high' }]);
  assert.deepEqual(dev(r, 'button@0').interrupts, [], 'a GPIO interrupt is no GIC interrupt');
  assert.deepEqual(dev(r, 'rtc@9010000').interrupts.map((q) => q.number), [2, 3]);
  assert.deepEqual(dev(r, 'pcie@10000000').interrupts.map((q) => q.number), [3, 4]);
  assert.deepEqual(dev(r, 'expr@1000').reg, [{ base: 0x1000n, size: 33n }]);
  assert.deepEqual(dev(r, 'expr@1000').interrupts, [{ type: 'spi', number: 16, trigger: 'level-high' }]);
});

test('syntax errors name file:line and the rest of the tree is still read', () => {
  const r = imp({
    '/e.dts': `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	a@100 { compatible = "acme,a"; reg = <0x100 0x10>; };
	b@200 { compatible = "acme,b" reg = <0x200 0x10>; };
	c@300 { compatible = "acme,c"; reg = <0x300 UNKNOWN_MACRO>; };
	d@400 { compatible = "acme,d"; reg = <0x400 0x10>; };
	e@500 { compatible = "acme,e"; reg = <0x500 0x10 0x1>; };
};
&nolabel { x = <1>; };
`,
  }, { arch: 'arm64' });
  const text = r.diags.map(formatDtsDiag).join('\n');
  assert.match(text, /\/e\.dts:6:32: error: expected ',' or ';' after a property value/);
  assert.match(text, /\/e\.dts:7:\d+: warning: \/c@300: cannot evaluate 'UNKNOWN_MACRO' in reg/);
  assert.match(text, /\/e\.dts:9:\d+: warning: \/e@500: reg has 3 cells/);
  assert.match(text, /\/e\.dts:11:1: error: reference to undefined label 'nolabel'/);
  assert.ok(r.board!.devices.some((d) => d.name === 'a@100'));
  assert.ok(r.board!.devices.some((d) => d.name === 'd@400'), 'recovered after the error');
});

test('never a crash: truncated and garbled inputs give diagnostics', () => {
  const text = readFileSync(join(FIXTURES, 'rpi4', 'soc.dtsi'), 'utf8');
  const fuzz = (s: string) => importDts('/fuzz.dts', s, { readFile: () => undefined, arch: 'arm64' }).diags;
  const lineOf = (s: string, offset: number) => s.slice(0, offset).split('\n').length;
  // Every diagnostic points into the text it is about and reads as a sentence.
  const sound = (s: string, ds: ReturnType<typeof fuzz>, what: string) => {
    const lines = s.split('\n');
    for (const d of ds) {
      assert.ok(d.line >= 1 && d.line <= lines.length && d.column >= 1 && d.column <= lines[d.line - 1].length + 1, `${what}: ${formatDtsDiag(d)} is outside the text`);
      assert.ok(d.message.length > 5 && !/undefined|NaN|\[object/.test(d.message), `${what}: ${formatDtsDiag(d)}`);
    }
  };
  // Cut anywhere: the file is unfinished, and that is an error.
  for (let n = 613; n < text.length; n += 613) {
    const s = text.slice(0, n);
    const ds = fuzz(s);
    sound(s, ds, `cut at ${n}`);
    assert.ok(ds.some((d) => d.severity === 'error' && /not closed|expected|unterminated/.test(d.message)), `cut at ${n}: ${ds.map(formatDtsDiag).join('\n')}`);
  }
  // Garbage pasted in: an error on the line it lands on, unless that line is a comment.
  let inComment = 0;
  for (let n = 7; n < text.length; n += 1511) {
    const s = text.slice(0, n) + '}};<<"' + text.slice(n + 5);
    const ds = fuzz(s);
    sound(s, ds, `garbage at ${n}`);
    const line = lineOf(s, n);
    if (/^\s*\/\//.test(s.split('\n')[line - 1])) {
      inComment++;
      assert.deepEqual(ds.map(formatDtsDiag), [], `garbage in the comment of line ${line}`);
    } else {
      assert.ok(ds.some((d) => d.severity === 'error' && d.line === line), `garbage at ${n} (line ${line}): ${ds.map(formatDtsDiag).join('\n')}`);
    }
  }
  assert.equal(inComment, 1, 'one paste lands in the licence comment');
  // Hand-made junk: the first error says what is wrong, where.
  const first: [string, string][] = [
    ['', '/fuzz.dts:1:1: error: no device-tree root node (/ { … };) found'],
    ['/', "/fuzz.dts:1:2: error: expected '{' before the end of the file"],
    ['{{{{', "/fuzz.dts:1:1: error: expected '/ {', '&label {' or a directive at top level but found '{'"],
    ['/ { a = <(((((((1>; };', "/fuzz.dts:1:19: error: unexpected ';' in a cell list"],
    ['/ { a = [0g]; };', '/fuzz.dts:1:10: error: expected hex byte pairs in [ … ]'],
    ['/ { a = "x', '/fuzz.dts:1:9: error: unterminated string'],
    ['#if\n', '/fuzz.dts:1:2: error: #if with no expression'],
    ['\u0000\u0001/ {};', "/fuzz.dts:1:2: error: unexpected character '\u0001'"],
    ['/ {'.repeat(2000), '/fuzz.dts:1:601: error: nodes nested more than 200 levels deep'],
    [`/ {${'a {'.repeat(100000)}`, '/fuzz.dts:1:601: error: nodes nested more than 200 levels deep'],
  ];
  for (const [s, want] of first) {
    const ds = fuzz(s);
    sound(s, ds, JSON.stringify(s.slice(0, 20)));
    assert.equal(ds.filter((d) => d.severity === 'error').map(formatDtsDiag)[0], want, JSON.stringify(s.slice(0, 20)));
  }
  // A macro that expands to itself stops expanding (as in cpp), and the rest is read.
  const selfRef = fuzz('#define F(x) F(x)\n/ { a = <F(1)>; };');
  assert.deepEqual(selfRef.filter((d) => d.severity === 'error').map(formatDtsDiag), []);
});

test('the fixtures exercise -I include dirs and /include/', () => {
  const noInc = importDtsFile(join(FIXTURES, 'k3-am625-sk', 'board.dts'));
  assert.match(noInc.diags.map(formatDtsDiag).join('\n'), /soc\.dtsi:6:1: error: cannot find include file "fixture-pins\.h"/);
  const opi = importDtsFile(join(FIXTURES, 'orangepi-zero', 'board.dts'));
  assert.deepEqual(opi.diags, []);
  assert.ok(opi.board!.devices.length > 20);
});
