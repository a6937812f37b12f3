// Strings in device-tree sources as dtc reads them: a string may span lines (upstream's
// inmate-emtrion-emconrzg1*.dts split `bootargs` so) and keeps its newlines; only a quote
// left open to the end of the file is an error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDtsDiag } from '../../../server/src/boards/dts/diag';
import { importDts } from '../../../server/src/boards/dts/import';
import { parseDts } from '../../../server/src/boards/dts/parser';

const SPLIT = `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "Split strings";
	chosen {
		bootargs = "console=ttyS0,115200 root=/dev/sda1
			    ip=dhcp
			    quiet", "second";
	};
	uart@1000 { compatible = "acme,uart"; reg = <0x1000 0x100>; };
	timer@2000 { compatible = "acme,timer"; reg = <0x2000 0x100>; };
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		wdt@3000 { compatible = "acme,wdt"; reg = <0x3000 0x100>; };
	};
};
`;

test('a string that spans lines is one value, newlines kept, like dtc', () => {
  const tree = parseDts(SPLIT);
  assert.deepEqual(tree.issues, []);
  const bootargs = tree.root.children.get('chosen')!.props.get('bootargs')!;
  assert.deepEqual(bootargs.chunks, [
    { kind: 'string', value: 'console=ttyS0,115200 root=/dev/sda1\n\t\t\t    ip=dhcp\n\t\t\t    quiet' },
    { kind: 'string', value: 'second' },
  ]);
});

test('the nodes after a multi-line string are all imported', () => {
  const r = importDts('/split.dts', SPLIT, { readFile: () => undefined, arch: 'arm64' });
  assert.deepEqual(r.diags.filter((d) => d.severity === 'error').map(formatDtsDiag), []);
  assert.deepEqual(r.board!.devices.map((d) => d.name).sort(), ['timer@2000', 'uart@1000', 'wdt@3000']);
});

test('a quote left open to the end of the file is reported once, at the quote', () => {
  const text = `/dts-v1/;\n/ {\n\ta@100 { compatible = "acme,a"; reg = <0x100 0x10>; };\n\tbootargs = "never closed;\n\tb@200 { };\n};\n`;
  const r = importDts('/open.dts', text, { readFile: () => undefined, arch: 'arm64' });
  const errors = r.diags.filter((d) => d.severity === 'error').map(formatDtsDiag);
  assert.deepEqual(errors, ['/open.dts:4:13: error: unterminated string']);
});
