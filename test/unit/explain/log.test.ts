// The log reader on consoles we wrote for invented boards (test/fixtures/explain/*.log): every
// format of the hypervisor and the driver, with every field checked; the same logs dressed as
// dmesg/syslog/terminals deliver them (timestamps, colours, CRLF, prefixes); cut at every line and
// at every character of a line; and two cells failing at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readLog } from '../../../server/src/explain/log';
import type { LogEvent } from '../../../server/src/explain/types';

const dir = path.resolve(__dirname, '../../fixtures/explain');
const fixture = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
// Ours, by name: other tests keep their own logs in the same folder.
const logs = ['arm-iabt.log', 'arm64-mmio.log', 'arm64-other.log', 'driver.log', 'driver-python.log', 'interleaved.log', 'x86.log'];

// The parking lines, as the reader reports them.
const parked = (line: number, cpu: number, cellName?: string): LogEvent => ({
  line, endLine: line, kind: 'info', cpu,
  text: `Parking CPU ${cpu} (Cell: "${cellName}")`,
  ...(cellName === undefined ? {} : { cellName }),
});

describe('readLog: every format, every field', () => {
  it('arm64: boot, pool usage, cell creation, a data abort with its trap line and register dump', () => {
    assert.deepEqual(readLog(fixture('arm64-mmio.log')), [
      { line: 2, endLine: 2, kind: 'info', text: 'Page pool usage after early setup: mem 47/992, remap 0/131072', pool: { memUsed: 47, memTotal: 992, remapUsed: 0, remapTotal: 131072 } },
      { line: 3, endLine: 3, kind: 'info', text: 'Page pool usage after late setup: mem 61/992, remap 144/131072', pool: { memUsed: 61, memTotal: 992, remapUsed: 144, remapTotal: 131072 } },
      { line: 6, endLine: 6, kind: 'info', text: 'Created cell "orchid-uart-demo"', cellName: 'orchid-uart-demo' },
      { line: 7, endLine: 7, kind: 'info', text: 'Page pool usage after cell creation: mem 78/992, remap 144/131072', pool: { memUsed: 78, memTotal: 992, remapUsed: 144, remapTotal: 131072 } },
      { line: 8, endLine: 8, kind: 'info', text: 'Created Jailhouse cell "orchid-uart-demo"', cellName: 'orchid-uart-demo' },
      // The dump (lines 14–26) is the fault's; the blank line and the parking line are not.
      { line: 11, endLine: 26, kind: 'mmio', text: 'Unhandled data read at 0x1c0a0014(4)', access: 'read', address: 0x1c0a0014n, size: 4, exceptionClass: 0x24, cpu: 3, cellName: 'orchid-uart-demo' },
      parked(28, 3, 'orchid-uart-demo'),
    ]);
  });

  it('arm64: instruction abort, SMCCC and bare SMC traps, the sub-page MMIO line', () => {
    assert.deepEqual(readLog(fixture('arm64-other.log')), [
      { line: 0, endLine: 5, kind: 'instruction', text: 'FATAL: instruction abort at 0x8a000000', address: 0x8a000000n, exceptionClass: 0x20, cpu: 2, cellName: 'orchid-rtos' },
      parked(7, 2, 'orchid-rtos'),
      { line: 8, endLine: 12, kind: 'smc', text: 'Unhandled SMC arch trap c2000005', address: 0xc2000005n, exceptionClass: 0x17, cpu: 2, cellName: 'orchid-rtos' },
      parked(13, 2, 'orchid-rtos'),
      // No SMCCC line (a PSCI or vendor call): the exception class alone says SMC.
      { line: 15, endLine: 16, kind: 'smc', text: 'FATAL: unhandled trap (exception class 0x17)', exceptionClass: 0x17, cpu: 2, cellName: 'orchid-rtos' },
      parked(17, 2, 'orchid-rtos'),
      // mmio.c's sub-page line: address and size in hex without 0x.
      { line: 18, endLine: 21, kind: 'mmio', text: 'FATAL: Invalid MMIO write, address: 38e01040, size: 2', access: 'write', address: 0x38e01040n, size: 2, exceptionClass: 0x24, cpu: 2, cellName: 'orchid-rtos' },
      parked(22, 2, 'orchid-rtos'),
    ]);
  });

  it('arm (32-bit): the pc=/r0= register dump belongs to the fault', () => {
    assert.deepEqual(readLog(fixture('arm-iabt.log')), [
      { line: 0, endLine: 6, kind: 'instruction', text: 'FATAL: instruction abort at 0x7f000010', address: 0x7f000010n, exceptionClass: 0x20, cpu: 1, cellName: 'orchid-bare' },
      parked(7, 1, 'orchid-bare'),
      { line: 8, endLine: 11, kind: 'mmio', text: 'Unhandled data write at 0x48020000(1)', access: 'write', address: 0x48020000n, size: 1, exceptionClass: 0x24, cpu: 1, cellName: 'orchid-bare' },
      parked(12, 1, 'orchid-bare'),
    ]);
  });

  it('x86 (CRLF): MMIO/RAM, PIO, MSR read and write, IOAPIC, i8042, VM exits, PCI config, a stopped CPU', () => {
    const cell = { cpu: 3, cellName: 'orchid-x86-demo' };
    assert.deepEqual(readLog(fixture('x86.log')), [
      { line: 0, endLine: 0, kind: 'info', text: 'Created cell "orchid-x86-demo"', cellName: 'orchid-x86-demo' },
      { line: 1, endLine: 1, kind: 'info', text: 'Page pool usage after cell creation: mem 310/1519, remap 16392/131072', pool: { memUsed: 310, memTotal: 1519, remapUsed: 16392, remapTotal: 131072 } },
      { line: 2, endLine: 8, kind: 'mmio', text: 'FATAL: Invalid MMIO/RAM read, addr: 0x00000000fed40000 size: 4', access: 'read', address: 0xfed40000n, size: 4, ...cell },
      parked(9, 3, 'orchid-x86-demo'),
      { line: 10, endLine: 11, kind: 'pio', text: 'FATAL: Invalid PIO write, port: 3f8 size: 1', access: 'write', address: 0x3f8n, size: 1, ...cell },
      parked(12, 3, 'orchid-x86-demo'),
      { line: 13, endLine: 14, kind: 'msr', text: 'FATAL: Unhandled MSR read: c0011020', access: 'read', address: 0xc0011020n, ...cell },
      parked(15, 3, 'orchid-x86-demo'),
      { line: 16, endLine: 16, kind: 'msr', text: 'FATAL: Unhandled MSR write: 1a0', access: 'write', address: 0x1a0n, ...cell },
      parked(17, 3, 'orchid-x86-demo'),
      { line: 18, endLine: 19, kind: 'trap', text: 'FATAL: Invalid IOAPIC write, reg: 10, index: 3e', access: 'write', ...cell },
      parked(20, 3, 'orchid-x86-demo'),
      { line: 21, endLine: 21, kind: 'trap', text: 'FATAL: Invalid write to i8042 controller port', access: 'write', address: 0x64n, ...cell },
      parked(22, 3, 'orchid-x86-demo'),
      // The exit details (qualification, vectoring info) and the dump are the exit's.
      { line: 23, endLine: 26, kind: 'trap', text: 'FATAL: Unhandled VM-Exit, reason 2', exceptionClass: 2, ...cell },
      parked(27, 3, 'orchid-x86-demo'),
      // A FATAL line with no format of its own is still reported.
      { line: 28, endLine: 28, kind: 'trap', text: 'FATAL: Invalid PCI config write, port: 0xcfc, size: 4', ...cell },
      parked(29, 3, 'orchid-x86-demo'),
      // `<UNSET>` is no cell name: the CPU is known, the cell is not.
      { line: 30, endLine: 30, kind: 'mmio', text: 'FATAL: Invalid MMIO read, address: fed00104, size: 4', access: 'read', address: 0xfed00104n, size: 4, cpu: 3 },
      { line: 31, endLine: 31, kind: 'info', text: 'Stopping CPU 3 (Cell: "<UNSET>")', cpu: 3 },
    ]);
  });

  it('driver: perror lines of the jailhouse tool with their errno, and the driver\'s own refusals', () => {
    // The command typed before the error names the config file.
    const create = (line: number, text: string, errno: string, configFile: string): LogEvent => ({ line, endLine: line, kind: 'driver', text: `JAILHOUSE_CELL_CREATE: ${text}`, ioctl: 'JAILHOUSE_CELL_CREATE', errno, configFile });
    assert.deepEqual(readLog(fixture('driver.log')), [
      create(1, 'Argument list too long', 'E2BIG', 'orchid-big.cell'),
      create(3, 'Invalid argument', 'EINVAL', 'orchid-uart-demo.cell'),
      { line: 5, endLine: 5, kind: 'driver', text: 'jailhouse: Configuration revision mismatch', errno: 'EINVAL' },
      create(7, 'Device or resource busy', 'EBUSY', 'orchid-linux.cell'),
      create(8, 'No space left on device', 'ENOSPC', 'orchid-linux.cell'),
      // The command was `cell create`: a LOAD/START/ENABLE error after it is not about its file.
      { line: 9, endLine: 9, kind: 'driver', text: 'JAILHOUSE_CELL_LOAD: Cannot allocate memory', ioctl: 'JAILHOUSE_CELL_LOAD', errno: 'ENOMEM' },
      { line: 10, endLine: 10, kind: 'driver', text: 'JAILHOUSE_CELL_START: Operation not permitted', ioctl: 'JAILHOUSE_CELL_START', errno: 'EPERM' },
      { line: 11, endLine: 11, kind: 'driver', text: 'JAILHOUSE_ENABLE: No such device', ioctl: 'JAILHOUSE_ENABLE', errno: 'ENODEV' },
      // An error text we do not know: the ioctl is still named, no errno is guessed.
      { line: 12, endLine: 12, kind: 'driver', text: 'JAILHOUSE_CELL_DESTROY: Bad frobnication', ioctl: 'JAILHOUSE_CELL_DESTROY' },
    ]);
  });

  it('driver: `jailhouse cell linux`\'s Python traceback, and the cell or file each command names', () => {
    assert.deepEqual(readLog(fixture('driver-python.log')), [
      // The options' values (-d DTB, -i INITRD) are not the config file.
      { line: 6, endLine: 6, kind: 'driver', text: 'OSError: [Errno 16] Device or resource busy', ioctl: 'JAILHOUSE_CELL_CREATE', errno: 'EBUSY', configFile: 'orchid-linux.cell' },
      // Line 9: an OSError with no ioctl in its traceback is not the driver's.
      { line: 11, endLine: 11, kind: 'driver', text: 'JAILHOUSE_CELL_LOAD: Invalid argument', ioctl: 'JAILHOUSE_CELL_LOAD', errno: 'EINVAL', cellName: 'orchid-rtos' },
      { line: 13, endLine: 13, kind: 'driver', text: 'JAILHOUSE_CELL_START: Device or resource busy', ioctl: 'JAILHOUSE_CELL_START', errno: 'EBUSY', cellName: 'orchid-rtos' },
      // A cell given by its id: no name.
      { line: 15, endLine: 15, kind: 'driver', text: 'JAILHOUSE_CELL_DESTROY: No such file or directory', ioctl: 'JAILHOUSE_CELL_DESTROY', errno: 'ENOENT' },
      { line: 17, endLine: 17, kind: 'driver', text: 'JAILHOUSE_ENABLE: Cannot allocate memory', ioctl: 'JAILHOUSE_ENABLE', errno: 'ENOMEM', configFile: '/etc/jailhouse/orchid.cell' },
    ]);
  });

  it('two cells failing at once: each fault gets its own trap line, dump, CPU and cell, in the order they faulted', () => {
    assert.deepEqual(readLog(fixture('interleaved.log')), [
      { line: 0, endLine: 5, kind: 'mmio', text: 'Unhandled data read at 0x1c0a0014(4)', access: 'read', address: 0x1c0a0014n, size: 4, exceptionClass: 0x24, cpu: 3, cellName: 'orchid-uart-demo' },
      { line: 1, endLine: 7, kind: 'mmio', text: 'Unhandled data write at 0x1c0b0008(4)', access: 'write', address: 0x1c0b0008n, size: 4, exceptionClass: 0x24, cpu: 2, cellName: 'orchid-rtos' },
      parked(9, 3, 'orchid-uart-demo'),
      parked(10, 2, 'orchid-rtos'),
    ]);
  });

  it('a whole block of one cell between two lines of another keeps both apart', () => {
    const log = [
      'Unhandled data read at 0x1c0a0014(4)',
      'FATAL: unhandled trap (exception class 0x24)',
      'Parking CPU 3 (Cell: "orchid-uart-demo")',
      'Unhandled data write at 0x1c0b0008(4)',
      'FATAL: unhandled trap (exception class 0x24)',
      'Parking CPU 2 (Cell: "orchid-rtos")',
    ].join('\n');
    const faults = readLog(log).filter((e) => e.kind === 'mmio');
    assert.deepEqual(faults.map((e) => [e.address, e.cpu, e.cellName, e.endLine]), [
      [0x1c0a0014n, 3, 'orchid-uart-demo', 1],
      [0x1c0b0008n, 2, 'orchid-rtos', 4],
    ]);
  });
});

// The same lines as other tools deliver them: each transform must leave the events unchanged.
const dress: Record<string, (line: string, i: number) => string> = {
  'dmesg timestamps': (l, i) => `[${String(100 + i).padStart(6)}.${String(i * 7919 % 1000000).padStart(6, '0')}] ${l}`,
  'ANSI colours': (l) => (l === '' ? l : `\x1b[1;31m${l.slice(0, 5)}\x1b[0m${l.slice(5)}\x1b[K`),
  'CRLF': (l) => `${l}\r`,
  'syslog prefix': (l) => (l === '' ? l : `Dec  8 00:15:12 orchid kernel: ${l}`),
  'all of them': (l, i) => `<30>Dec  8 00:15:12 orchid kernel: [${String(i).padStart(5)}.000001] \x1b[33m${l}\x1b[0m\r`,
  'trailing blanks and tabs': (l) => `${l} \t `,
};

describe('readLog: faults that are never parked', () => {
  const fault = 'FATAL: Invalid MMIO/RAM write, addr: 0x00000000fed40000 size: 4';
  const park = 'Parking CPU 3 (Cell: "orchid-x86-demo")';

  it('a FATAL line that does not park (the hypervisor failing to start) does not take a later fault\'s cell', () => {
    const log = ['FATAL: IOMMU 0 config is locked in invalid state.', 'Page pool usage after late setup: mem 61/992, remap 144/131072', 'Created cell "orchid-x86-demo"', fault, park].join('\n');
    const events = readLog(log);
    assert.deepEqual(events.filter((e) => e.kind === 'trap').map((e) => [e.line, e.cpu, e.cellName]), [[0, undefined, undefined]]);
    assert.deepEqual(events.filter((e) => e.kind === 'mmio').map((e) => [e.line, e.cpu, e.cellName]), [[3, 3, 'orchid-x86-demo']]);
  });

  it('the driver\'s dmesg line, merged anywhere, closes nothing', () => {
    const log = [fault, '[  46.733902] Created Jailhouse cell "orchid-rtos"', park].join('\n');
    assert.deepEqual(readLog(log).filter((e) => e.kind === 'mmio').map((e) => [e.cpu, e.cellName]), [[3, 'orchid-x86-demo']]);
  });

  it('a fault idle for more than a block\'s length is given up; within it, it is parked', () => {
    const noise = (n: number): string[] => Array.from({ length: n }, (_, i) => `[ ${i}.000000] eth0: link chatter ${i}`);
    const read = (n: number) => readLog(['FATAL: Unhandled MSR read: 1a0', ...noise(n), fault, ...noise(3), park].join('\n'));
    // The MSR fault's parking line never came: after 64 idle lines the parking line is the MMIO fault's.
    assert.deepEqual(read(64).filter((e) => e.kind !== 'info').map((e) => [e.kind, e.cpu]), [['msr', undefined], ['mmio', 3]]);
    // Closer together, the oldest open fault takes the parking line (the two may be interleaved CPUs).
    assert.deepEqual(read(10).filter((e) => e.kind !== 'info').map((e) => [e.kind, e.cpu]), [['msr', 3], ['mmio', undefined]]);
  });
});

describe('readLog: decoration around the lines does not matter', () => {
  for (const name of logs) {
    for (const [how, f] of Object.entries(dress)) {
      it(`${name} with ${how}`, () => {
        const plain = fixture(name).replace(/\r/g, '').split('\n');
        assert.deepEqual(readLog(plain.map(f).join('\n')), readLog(plain.join('\n')));
      });
    }
  }

  it('the decoration really is there (the transforms are not no-ops)', () => {
    const line = 'Unhandled data read at 0x1c0a0014(4)';
    for (const f of Object.values(dress)) assert.notEqual(f(line, 3), line);
  });

  it('a line that merely mentions a format word is not an event', () => {
    assert.deepEqual(readLog([
      'Checking the FATAL:flag', 'Parking lot', 'JAILHOUSE_CELL_CREATE returned 0', 'Unhandled', 'x0 = 1',
      'FATAL: Unhandled MSR read: c0011020zz', // garbled: an MSR line whose number we do not trust
    ].join('\n')).map((e) => [e.line, e.kind, e.address, e.incomplete]), [[5, 'msr', undefined, true]]);
    assert.deepEqual(readLog(''), []);
    assert.deepEqual(readLog('\n\n\r\n'), []);
  });

  it('long and hostile lines are read in linear time (a paste of anything never hangs the reader)', () => {
    const hostile = [
      'JAILHOUSE_ENABLE: a' + ' '.repeat(100000) + 'b', // a lazy field before trailing blanks was quadratic
      '['.repeat(100000), '\x1b['.repeat(50000), 'FATAL: ' + 'x '.repeat(50000), 'Page pool usage ' + 'a'.repeat(100000),
      ' x0: '.repeat(30000), 'Unhandled data read at 0x' + '1'.repeat(100000), '[ 1.0] '.repeat(20000) + 'x',
      'Parking CPU 1 (Cell: "' + 'a'.repeat(100000), 'Unhandled data read at 0x'.repeat(5000),
    ];
    const start = performance.now();
    const events = readLog(hostile.join('\n'));
    assert.ok(performance.now() - start < 2000, `${performance.now() - start} ms`);
    assert.deepEqual(events.map((e) => [e.line, e.kind, e.incomplete]), [
      [0, 'driver', undefined], [3, 'trap', undefined], [4, 'info', true], [6, 'mmio', true], [8, 'info', true], [9, 'mmio', true],
    ]);
  });

  it('lines are numbered as the editor numbers them: \\n, \\r\\n and a lone \\r each end one', () => {
    const log = 'Created cell "orchid-rtos"\r\rFATAL: Unhandled MSR read: 1a0\rParking CPU 2 (Cell: "orchid-rtos")\r\nJAILHOUSE_CELL_START: Invalid argument\n';
    assert.deepEqual(readLog(log).map((e) => [e.line, e.endLine, e.kind]), [[0, 0, 'info'], [2, 2, 'msr'], [3, 3, 'info'], [4, 4, 'driver']]);
  });

  it('a dump with no header line (the hypervisor\'s own exception) belongs to the fault just printed', () => {
    const log = ['FATAL: Unhandled HYP exception: synchronous abort from EL2', ' pc: 0000ffffc0203a10   lr: 0000ffffc0203a00 spsr: 600003c9     EL2', ' x0: 0000000000000000   x1: 0000000000000000   x2: 0000000000000000', 'Stopping CPU 0 (Cell: "orchid-root")'].join('\n');
    assert.deepEqual(readLog(log)[0], { line: 0, endLine: 2, kind: 'trap', text: 'FATAL: Unhandled HYP exception: synchronous abort from EL2', cpu: 0, cellName: 'orchid-root' });
  });

  it('register dump lines with no open fault belong to nothing', () => {
    const log = ['Parking CPU 1 (Cell: "orchid-bare")', ' pc: 0000000000001a3c   lr: 0000000000001a10 spsr: 600003c5     EL1', 'RIP: 0x00000000000f0a10 RSP: 0x0000000000006f88 FLAGS: 10046'].join('\n');
    assert.deepEqual(readLog(log), [parked(0, 1, 'orchid-bare')]);
  });
});

describe('readLog: truncated logs', () => {
  for (const name of logs) {
    it(`${name} cut after every line: the events so far, never more, never different`, () => {
      const lines = fixture(name).split('\n');
      const full = readLog(lines.join('\n'));
      for (let k = 0; k <= lines.length; k++) {
        const cut = readLog(lines.slice(0, k).join('\n'));
        const expected = full.filter((e) => e.line < k);
        assert.equal(cut.length, expected.length, `cut at ${k}`);
        cut.forEach((e, i) => {
          const f = expected[i];
          assert.ok(e.endLine < k, `cut at ${k}: ${e.text} ends at ${e.endLine}`);
          // The trap and parking lines may be cut off: the exception class, CPU and cell are then
          // unknown, never wrong.
          const { endLine, cpu, cellName, exceptionClass, ...rest } = e;
          const { endLine: fEnd, cpu: fCpu, cellName: fCell, exceptionClass: fClass, ...fRest } = f;
          assert.deepEqual(rest, fRest, `cut at ${k}`);
          // The dump is cut with the log; once it is all there, the event ends where it does in full.
          assert.ok(endLine <= fEnd, `cut at ${k}: endLine`);
          if (fEnd < k) assert.equal(endLine, fEnd, `cut at ${k}: endLine`);
          assert.ok(cpu === undefined || cpu === fCpu, `cut at ${k}: cpu`);
          assert.ok(cellName === undefined || cellName === fCell, `cut at ${k}: cell`);
          assert.ok(exceptionClass === undefined || exceptionClass === fClass, `cut at ${k}: exception class`);
          if (fEnd < k && (f.kind === 'info' || f.kind === 'driver')) assert.deepEqual(e, f);
        });
        // Once the whole log is there, nothing differs.
        if (k === lines.length) assert.deepEqual(cut, full);
      }
    });
  }

  // Every line of every fault, cut at every character: a recognised format with its fields cut off
  // is reported as incomplete (never a wrong number), and a whole line reads as in the full log.
  for (const name of logs) {
    it(`${name}: every event line cut at every character`, () => {
      const lines = fixture(name).replace(/\r/g, '').split('\n');
      for (const f of readLog(lines.join('\n'))) {
        const whole = lines[f.line];
        for (let c = 0; c <= whole.length; c++) {
          const part = whole.slice(0, c);
          const got = readLog([...lines.slice(0, f.line), part].join('\n')).filter((e) => e.line === f.line);
          assert.ok(got.length <= 1, `${part}`);
          if (c === whole.length) {
            // What later lines add (trap line, dump, parking line) is not there yet.
            const { cpu: _c, cellName: _n, exceptionClass: _x, ...want } = f;
            const { cpu: _gc, cellName: _gn, exceptionClass: _gx, ...have } = got[0];
            assert.deepEqual({ ...have, endLine: f.line }, { ...want, endLine: f.line }, part);
            continue;
          }
          if (got.length === 0) continue;
          const e = got[0];
          assert.ok(part.includes(e.text), `${part} → ${e.text}`);
          if (e.incomplete) {
            assert.equal(e.address, undefined, part);
            assert.equal(e.size, undefined, part);
            continue;
          }
          // Complete on a cut line: every field it reads is what the whole line says, or (the last
          // number cut short) a prefix of its digits.
          if (e.kind === f.kind) {
            for (const k of ['access', 'exceptionClass', 'ioctl'] as const) if (e[k] !== undefined) assert.equal(e[k], f[k], part);
            if (e.address !== undefined) assert.ok(digitsPrefix(e.address, f.address), `${part}: address`);
          } else {
            assert.equal(e.kind, 'trap', `${part}: only the catch-all FATAL line may read a cut line differently`);
          }
        }
      }
    });
  }

  it('a parking line cut before the cell name still names the CPU, marked incomplete', () => {
    const log = ['FATAL: Invalid PIO read, port: 64 size: 1', 'Parking CPU 3 (Cell: "orchid-x8'].join('\n');
    assert.deepEqual(readLog(log), [
      { line: 0, endLine: 0, kind: 'pio', text: 'FATAL: Invalid PIO read, port: 64 size: 1', access: 'read', address: 0x64n, size: 1, cpu: 3 },
      { line: 1, endLine: 1, kind: 'info', text: 'Parking CPU 3 (Cell: "orchid-x8', cpu: 3, incomplete: true },
    ]);
  });

  it('an access line cut inside its address is incomplete, and its trap line still joins it', () => {
    const log = ['Unhandled data read at 0x1c0a', 'FATAL: unhandled trap (exception class 0x24)', 'Parking CPU 3 (Cell: "orchid-uart-demo")'].join('\n');
    assert.deepEqual(readLog(log), [
      { line: 0, endLine: 1, kind: 'mmio', text: 'Unhandled data read at 0x1c0a', incomplete: true, exceptionClass: 0x24, cpu: 3, cellName: 'orchid-uart-demo' },
      parked(2, 3, 'orchid-uart-demo'),
    ]);
  });
});

// Whether `cut` reads as the leading hex digits of `whole` (a number cut short at the end of a cut line).
function digitsPrefix(cut: bigint, whole: bigint | undefined): boolean {
  return whole !== undefined && whole.toString(16).startsWith(cut.toString(16));
}
