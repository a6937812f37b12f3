// `jhcell new system` as a process: config on stdout and notes on stderr, -o with `wrote` and
// no overwrite without --force, a device tree whose stdout-path goes through an alias, and every
// bad request a message with exit 1 or 2, never a stack trace.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { checkSystem } from '../../../server/src/rules';
import { loadSystems } from '../../../server/src/workspace';

const MAIN = join(__dirname, 'newSystemMain.ts');
// The runs start in temporary folders, where `tsx` alone would not resolve.
const TSX = pathToFileURL(require.resolve('tsx')).href;

function jhcell(args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'jhcell-cli-newsys-'));

const DTS = `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "Test board";
	compatible = "acme,test";
	aliases { serial1 = &uart1; };
	chosen { stdout-path = "serial1:115200n8"; };
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <0>; };
		cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <1>; };
	};
	memory@40000000 { device_type = "memory"; reg = <0x40000000 0x20000000>; };
	gic: interrupt-controller@1c81000 {
		compatible = "arm,cortex-a7-gic";
		#interrupt-cells = <3>;
		interrupt-controller;
		reg = <0x1c81000 0x1000>, <0x1c82000 0x2000>, <0x1c84000 0x2000>, <0x1c86000 0x2000>;
		interrupts = <1 9 0xf04>;
	};
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		interrupt-parent = <&gic>;
		uart0: serial@1c28000 { compatible = "snps,dw-apb-uart"; reg = <0x1c28000 0x400>; interrupts = <0 0 4>; };
		uart1: serial@1c28400 { compatible = "snps,dw-apb-uart"; reg = <0x1c28400 0x400>; interrupts = <0 1 4>; };
	};
};
`;

describe('jhcell new system', () => {
  it('prints the config to stdout and the notes to stderr; -o writes it and the system checks clean', () => {
    const dir = tmp();
    const r = jhcell(['system', '--board', 'zynqmp-zcu102', '--cell-ram', '64M', '--ivshmem-links', '2'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\/\*[\s\S]*\.name = "zynqmp-zcu102",[\s\S]*\};\n$/);
    assert.match(r.err, /^note: Linux must not use 0x7ba00000-0x7fffffff/);
    assert.match(r.err, /\n      reserved-memory \{\n/);
    assert.match(r.err, /jailhouse@7fc00000 \{\n {6}\t\treg = <0x0 0x7fc00000 0x0 0x400000>;/);
    assert.match(r.err, /note: RAM for cells: 64 MiB at 0x7bc00000/);
    const w = jhcell(['system', '--board', 'zynqmp-zcu102', '--cell-ram', '64M', '--ivshmem-links', '2', '-o', 'zcu.c'], dir);
    assert.equal(w.code, 0, w.err);
    assert.equal(w.out, '');
    assert.match(w.err, /^wrote zcu\.c\nnote: /);
    assert.equal(readFileSync(join(dir, 'zcu.c'), 'utf8'), r.out);
    const errors = loadSystems([join(dir, 'zcu.c')]).systems.flatMap((s) => [...checkSystem(s).values()].flat()).filter((d) => d.severity === 'error');
    assert.deepEqual(errors, []);
    const again = jhcell(['system', '--board', 'zynqmp-zcu102', '-o', 'zcu.c'], dir);
    assert.equal(again.code, 1);
    assert.match(again.err, /zcu\.c exists; give --force/);
    assert.equal(jhcell(['system', '--board', 'rpi4', '-o', 'zcu.c', '--force'], dir).code, 0);
    assert.match(readFileSync(join(dir, 'zcu.c'), 'utf8'), /Raspberry Pi 4/);
  });

  it('a device tree: the console stdout-path names through an alias, sizes with suffixes', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'test.dts'), DTS);
    const r = jhcell(['system', '--board', 'test.dts', '--hypervisor-size', '0x600000', '--name', 'demo'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\/\* UART1 \*\/\n\t\t\.debug_console = \{\n\t\t\t\.address = 0x1c28400,\n\t\t\t\.size = 0x400,\n\t\t\t\.type = JAILHOUSE_CON_TYPE_8250,/);
    assert.match(r.out, /\.architecture = JAILHOUSE_ARM,/);
    assert.match(r.out, /\.phys_start = 0x5fa00000,\n\t\t\t\.size = 0x600000,/);
    assert.match(r.err, /note: Debug console: UART1 at 0x1c28400 \(the board's console \(chosen\/stdout-path 115200n8\)/);
    assert.match(r.err, /#address-cells = <1>;/);
  });

  it('bad requests: a message and exit 2 (usage) or 1 (board), never a trace', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'nogic.json'), JSON.stringify({ id: 'nogic', name: 'No GIC', arch: 'arm64', source: { description: 'test' }, cpus: { count: 1 }, ram: [{ base: '0x40000000', size: '0x40000000' }], devices: [] }));
    writeFileSync(join(dir, 'noram.json'), JSON.stringify({ id: 'noram', name: 'No RAM', arch: 'arm64', source: { description: 'test' }, cpus: { count: 1 }, ram: [], interruptController: { type: 'gic', version: 3, gicd: '0x8000000', gicr: '0x80a0000' }, devices: [] }));
    const cases: [string[], number, RegExp][] = [
      [['system'], 2, /needs --board ID\|FILE/],
      [['system', '--board', 'rpi4', '--cell-ram', 'lots'], 2, /--cell-ram lots: not a size/],
      [['system', '--board', 'rpi4', '--ivshmem-links', 'two'], 2, /--ivshmem-links two: give a number/],
      [['system', '--board', 'rpi4', '--bogus'], 2, /unknown option --bogus/],
      [['system', 'rpi4'], 2, /takes no file arguments/],
      [['thing'], 2, /unknown new command 'thing'/],
      [['system', '--board', 'nosuchboard'], 1, /unknown board 'nosuchboard' \(bundled: /],
      [['system', '--board', 'missing.json'], 1, /cannot read/],
      [['system', '--board', 'qemu-x86-q35'], 1, /x86 root cells are not generated from a board/],
      [['system', '--board', 'nogic.json'], 1, /has no interrupt controller/],
      [['system', '--board', 'noram.json'], 1, /lists no RAM/],
      [['system', '--board', 'rpi4', '--console', 'GPIO'], 1, /GPIO .* is no UART the hypervisor has a driver for/],
      [['system', '--board', 'orangepi-zero', '--cell-ram', '1G'], 1, /has no bank that holds/],
      [['system', '--board', 'rpi4', '--hypervisor-size', '5000'], 1, /not a positive multiple of the 4 KiB page/],
    ];
    for (const [args, code, re] of cases) {
      const r = jhcell(args, dir);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re, args.join(' '));
      assert.doesNotMatch(r.err, /\n\s+at /, `${args.join(' ')} printed a stack trace`);
      assert.equal(r.out, '', args.join(' '));
    }
  });
});
