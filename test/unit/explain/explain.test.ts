// The explainer on an invented arm64 board (test/fixtures/explain/kestrel: a root and two
// cells): each fault names its cell, the regions and device at the address and what is wrong;
// each fix is applied, the system analysed again, the address then covered in the cell with
// the access allowed, and no new error.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { explainEvents } from '../../../server/src/explain/explain';
import { readLog } from '../../../server/src/explain/log';
import { hex } from '../../../server/src/util/format';
import type { Explanation, LogEvent } from '../../../server/src/explain/types';
import { MEM } from '../../../server/src/boards/rootBoard';
import { loadBoard } from '../../../server/src/boards/load';
import { applyEdits, checkSystem, type Diag, type System, type TextEdit } from '../../../server/src/rules';
import { gccRejects, type GccJob } from '../features/insertApply';
import { hostWith, loadFixture } from '../rules/harness';

const DIR = path.resolve(__dirname, '../../fixtures/explain/kestrel');
const ROOT = path.join(DIR, 'kestrel.c');
const DEMO = path.join(DIR, 'kestrel-demo.c');
const RTOS = path.join(DIR, 'kestrel-rtos.c');

const systems = loadFixture(DIR);
const ev = (e: Partial<LogEvent> & Pick<LogEvent, 'kind'>): LogEvent => ({ line: 0, endLine: 0, text: '', ...e });
const one = (e: LogEvent, s: System[] = systems): Explanation => {
  const r = explainEvents([e], s);
  assert.equal(r.length, 1);
  return r[0];
};

/** Every config text a fix produced: gcc must accept each (the last test). */
const gccJobs: GccJob[] = [];
function fixed(file: string, edits: TextEdit[]): string {
  const text = applyEdits(fs.readFileSync(file, 'utf8'), file, edits);
  gccJobs.push({ file, text, what: edits.map((e) => e.newText.trim().split('\n')[0]).join(' + ') });
  return text;
}

const errors = (s: System[]): Diag[] => s.flatMap((x) => [...checkSystem(x).values()].flat()).filter((d) => d.severity === 'error');

/** Applies the first fix, re-reads the system and returns it (with the edited file's text). */
function applied(x: Explanation): { systems: System[]; text: string } {
  assert.ok(x.fixes.length, `no fix: ${x.message}`);
  const file = x.fixes[0].edits[0].loc.file;
  assert.ok(x.fixes[0].edits.every((e) => e.loc.file === file));
  const text = fixed(file, x.fixes[0].edits);
  return { systems: loadFixture(DIR, hostWith(new Map([[file, text]]))), text };
}

function cellModel(s: System[], file: string) {
  for (const x of s) for (const a of [x.root, ...x.cells]) if (a?.file === file && a.model) return a.model;
  throw new Error(`no ${file}`);
}

describe('explainEvents', () => {
  it('the fixture is clean: every error after a fix is new', () => {
    assert.deepEqual(errors(systems), []);
  });

  it('an unmapped device, named cell: the root region names it, the fix maps it ROOTSHARED and grows the array', () => {
    const x = one(ev({ kind: 'mmio', address: 0x30890010n, access: 'read', size: 4, cellName: 'kestrel-demo' }));
    assert.deepEqual(x.cell, { name: 'kestrel-demo', file: DEMO, how: 'named' });
    assert.deepEqual(x.covering, [{ file: ROOT, region: 2, name: 'GPIO3', cell: 'kestrel-k2' }]);
    assert.equal(x.device?.name, 'GPIO3');
    assert.equal(x.device?.start, 0x30890000n);
    assert.match(x.message, /no region of the cell maps 0x30890010/);
    assert.match(x.message, /root cell \(region 2, GPIO3\)/);
    const { systems: after, text } = applied(x);
    assert.match(text, /struct jailhouse_memory mem_regions\[4\];/);
    assert.match(text, /JAILHOUSE_MEM_IO \| JAILHOUSE_MEM_ROOTSHARED/);
    const m = cellModel(after, DEMO);
    const r = m.mem_regions.find((q) => 0x30890010n >= q.virt_start && 0x30890010n < q.virt_start + q.size);
    assert.ok(r, 'the address is mapped after the fix');
    assert.equal(r.phys_start, 0x30890000n);
    assert.equal(r.size, 0x10000n);
    assert.ok((r.flags & MEM.READ) !== 0n);
    assert.deepEqual(errors(after), []);
    // Explained again, the access is no longer "not mapped".
    assert.doesNotMatch(one(ev({ kind: 'mmio', address: 0x30890010n, access: 'read', size: 4, cellName: 'kestrel-demo' }), after).message, /no region of the cell/);
  });

  it('a literal count follows the grown array', () => {
    const x = one(ev({ kind: 'mmio', address: 0x1c090000n, access: 'write', size: 4, cellName: 'kestrel-rtos' }));
    assert.equal(x.device?.name, 'UART0');
    const { systems: after, text } = applied(x);
    assert.match(text, /\.num_memory_regions = 3,/);
    assert.match(text, /mem_regions\[3\]/);
    assert.ok(cellModel(after, RTOS).mem_regions.some((r) => r.phys_start === 0x1c090000n && r.size === 0x1000n));
    assert.deepEqual(errors(after), []);
  });

  it('a sub-page region without the width: by the CPU that owns it, the fix adds the width flag', () => {
    const x = one(ev({ kind: 'mmio', address: 0x1c0b0004n, access: 'write', size: 1, cpu: 2 }));
    assert.deepEqual(x.cell, { name: 'kestrel-demo', file: DEMO, how: 'cpu' });
    assert.equal(x.covering[0].file, DEMO);
    assert.equal(x.covering[0].region, 0);
    assert.ok(x.covering.some((k) => k.file === ROOT && k.name === 'TIMER'));
    assert.match(x.message, /sub-page region/);
    assert.match(x.message, /JAILHOUSE_MEM_IO_8/);
    const { systems: after } = applied(x);
    assert.ok((cellModel(after, DEMO).mem_regions[0].flags & (1n << 16n)) !== 0n);
    assert.deepEqual(errors(after), []);
    // A width the region allows is not blamed on the width.
    assert.doesNotMatch(one(ev({ kind: 'mmio', address: 0x1c0b0004n, access: 'write', size: 4, cpu: 2 })).message, /IO_32 \(/);
  });

  it('the parking line after a fault names the cell', () => {
    const r = explainEvents(
      [ev({ kind: 'mmio', line: 0, address: 0x30890000n, access: 'read', size: 4 }), ev({ kind: 'trap', line: 2, text: 'FATAL: unhandled trap (exception class 0x24)' }), ev({ kind: 'info', line: 5, cpu: 3, cellName: 'kestrel-rtos' })],
      systems,
    );
    assert.equal(r.length, 2);
    assert.equal(r[0].cell?.name, 'kestrel-rtos');
    assert.equal(r[1].cell?.name, 'kestrel-rtos');
  });

  it('a GIC window: no region may map it, no fix', () => {
    const x = one(ev({ kind: 'mmio', address: 0x2f000100n, access: 'read', size: 4, cpu: 3 }));
    assert.equal(x.cell?.name, 'kestrel-rtos');
    assert.match(x.message, /GIC distributor/);
    assert.deepEqual(x.fixes, []);
  });

  it('RAM the cell does not own: the guest address is the cell\'s, the root\'s RAM region is named', () => {
    const x = one(ev({ kind: 'mmio', address: 0x90000000n, access: 'write', size: 8, cellName: 'kestrel-rtos' }));
    assert.match(x.message, /RAM of the root cell \(region 3 \(RAM\)\) that this cell does not own/);
    assert.deepEqual(x.fixes, []);
    // Guest 0x10 of kestrel-rtos is its own RAM (physical 0xb0000010), mapped: no blame.
    const own = one(ev({ kind: 'mmio', address: 0x10n, access: 'read', size: 4, cellName: 'kestrel-rtos' }));
    assert.equal(own.covering[0].file, RTOS);
    assert.ok(own.covering.some((k) => k.file === ROOT && k.name === 'RAM'), 'the root region at physical 0xb0000010');
  });

  it('an address no device or region is known at: said, no fix', () => {
    const x = one(ev({ kind: 'mmio', address: 0x50000000n, access: 'read', size: 4, cellName: 'kestrel-demo' }));
    assert.match(x.message, /No config of the system maps it/);
    assert.match(x.message, /no region is proposed/);
    assert.deepEqual(x.fixes, []);
  });

  it('an instruction fetch from a region without EXECUTE: the fix adds it', () => {
    const x = one(ev({ kind: 'instruction', address: 0x1c0b0000n, cellName: 'kestrel-demo' }));
    assert.match(x.message, /without JAILHOUSE_MEM_EXECUTE/);
    const { systems: after } = applied(x);
    assert.ok((cellModel(after, DEMO).mem_regions[0].flags & MEM.EXECUTE) !== 0n);
  });

  it('a cell the configs do not know, a CPU nobody owns: said', () => {
    assert.match(one(ev({ kind: 'mmio', address: 0x30890000n, cellName: 'nobody' })).message, /none of the given configs has that name/);
    const x = one(ev({ kind: 'mmio', address: 0x30890000n, cpu: 9 }));
    assert.equal(x.cell, undefined);
    assert.match(x.message, /No given config owns CPU 9/);
    assert.equal(x.covering[0].name, 'GPIO3');
  });

  it('driver errors: the rules that name the errno; the ones that fire on a broken config', () => {
    const x = one(ev({ kind: 'driver', errno: 'E2BIG', ioctl: 'JAILHOUSE_CELL_CREATE', cellName: 'kestrel-demo' }));
    assert.ok(x.rules?.includes('config-size'), String(x.rules));
    assert.match(x.message, /find nothing in these configs/);
    const none = one(ev({ kind: 'driver', errno: 'ENOSPC', ioctl: 'JAILHOUSE_CELL_CREATE', cellName: 'kestrel-demo' }));
    assert.match(none.message, /no check of ours explains ENOSPC/);
    // CPU 2 given to both cells: cpu conflicts explain EBUSY.
    const text = fs.readFileSync(RTOS, 'utf8').replace('0x8,', '0xc,');
    const broken = loadFixture(DIR, hostWith(new Map([[RTOS, text]])));
    const b = one(ev({ kind: 'driver', errno: 'EBUSY', ioctl: 'JAILHOUSE_CELL_CREATE', cellName: 'kestrel-rtos' }), broken);
    assert.deepEqual(b.rules, ['cpu-shared'], b.message);
    assert.match(b.message, /cpu-shared \(in kestrel-demo\.c, kestrel-rtos\.c\) reports why/);
  });

  it('with a board: the board\'s device, and its interrupts granted by the irqchip fix', () => {
    const board = loadBoard(path.resolve(DIR, '../kestrel-board.json')).board!;
    const e = ev({ kind: 'mmio', address: 0x30890010n, access: 'read', size: 4, cellName: 'kestrel-demo' });
    const [x] = explainEvents([e], systems, { board });
    assert.equal(x.device?.name, 'gpio@30890000');
    assert.equal(x.device?.source, 'board kestrel-k2');
    assert.match(x.message, /INTID 42, 43\) are not granted/);
    assert.deepEqual(
      x.fixes.map((f) => f.title),
      ['Map gpio@30890000 (0x30890000, 0x1000)', 'Grant INTID 42 in irqchip "GIC" (gpio@30890000)', 'Grant INTID 43 in irqchip "GIC" (gpio@30890000)'],
    );
    const text = fixed(DEMO, [...x.fixes[0].edits, ...x.fixes[1].edits]);
    const after = loadFixture(DIR, hostWith(new Map([[DEMO, text]])));
    assert.deepEqual(errors(after), []);
    const m = cellModel(after, DEMO);
    assert.ok(m.mem_regions.some((r) => r.phys_start === 0x30890000n && r.size === 0x1000n));
    assert.equal(m.irqchips[0].pin_bitmap[0], (1n << 8n) | (1n << 10n), 'INTID 42 = pin_base 32 + bit 10, beside the timer\'s 40');
    const [y] = explainEvents([e], after, { board });
    assert.match(y.message, /region 3 \(gpio@30890000\) maps 0x30890010/);
    // A board device whose interrupts the cell has: no irqchip fix.
    assert.doesNotMatch(explainEvents([ev({ kind: 'mmio', address: 0x1c0b0800n, access: 'read', size: 4, cellName: 'kestrel-demo' })], systems, { board })[0].message, /not granted/);
  });

  it('a cell name the configs do not have: the CPU\'s owner, said to be a guess', () => {
    const x = one(ev({ kind: 'mmio', address: 0x30890000n, cellName: 'renamed', cpu: 3 }));
    assert.deepEqual(x.cell, { name: 'kestrel-rtos', file: RTOS, how: 'cpu' });
    assert.match(x.message, /the log names cell "renamed", which none of the given configs is called; by its CPU it is this one/);
  });

  it('a driver error after `jailhouse cell create x.cell`: the config x.c', () => {
    const x = one(ev({ kind: 'driver', errno: 'EBUSY', ioctl: 'JAILHOUSE_CELL_CREATE', configFile: '/tmp/build/kestrel-rtos.cell' }));
    assert.deepEqual(x.cell, { name: 'kestrel-rtos', file: RTOS, how: 'named' });
  });

  it('a cut line says so', () => {
    const x = one(ev({ kind: 'mmio', address: 0x30890000n, cellName: 'kestrel-demo', incomplete: true }));
    assert.match(x.message, /The log line is cut or garbled/);
    assert.doesNotMatch(one(ev({ kind: 'mmio', address: 0x30890000n, cellName: 'kestrel-demo' })).message, /cut or garbled/);
  });

  it('driver lines naming no cell (driver.log): every given system is checked', () => {
    const xs = explainEvents(readLog(fs.readFileSync(path.resolve(DIR, '../driver.log'), 'utf8')), systems);
    const e2big = xs.find((x) => x.event.errno === 'E2BIG')!;
    assert.equal(e2big.cell, undefined);
    assert.match(e2big.message, /for the given configs: the checks that explain E2BIG \(config-size, /);
    // A revision the driver refuses: the header rule reports it, in that file.
    const text = fs.readFileSync(RTOS, 'utf8').replace('.revision = JAILHOUSE_CONFIG_REVISION', '.revision = 7');
    const broken = loadFixture(DIR, hostWith(new Map([[RTOS, text]])));
    const inval = explainEvents(readLog(fs.readFileSync(path.resolve(DIR, '../driver.log'), 'utf8')), broken).find((x) => x.event.errno === 'EINVAL')!;
    assert.deepEqual(inval.rules, ['header'], inval.message);
    assert.match(inval.message, /header \(in kestrel-rtos\.c\) reports why/);
  });

  it('msr, smc and other traps: plain words, no fix', () => {
    for (const kind of ['msr', 'smc', 'trap'] as const) {
      const x = one(ev({ kind, cpu: 2, address: 0x1bn, text: 'FATAL' }));
      assert.equal(x.cell?.name, 'kestrel-demo');
      assert.deepEqual(x.fixes, []);
      assert.ok(x.message.length > 20);
    }
  });
});

describe('explainEvents on x86 ports (test/fixtures/explain/heron)', () => {
  const HDIR = path.resolve(__dirname, '../../fixtures/explain/heron');
  const HROOT = path.join(HDIR, 'heron.c');
  const HDEMO = path.join(HDIR, 'heron-demo.c');
  const heron = loadFixture(HDIR);

  it('a port of the root, not granted: the root\'s range and its name, the fix opens it', () => {
    const x = one(ev({ kind: 'pio', address: 0x3f9n, access: 'write', size: 1, cpu: 3 }), heron);
    assert.deepEqual(x.cell, { name: 'heron-demo', file: HDEMO, how: 'cpu' });
    assert.deepEqual(x.covering, [{ file: HROOT, region: 0, name: 'COM1', cell: 'heron-h1' }]);
    assert.match(x.message, /no PIO_RANGE of the cell holds port 0x3f9/);
    assert.equal(x.fixes.length, 1);
    const file = x.fixes[0].edits[0].loc.file;
    const text = fixed(file, x.fixes[0].edits);
    assert.match(text, /PIO_RANGE\(0x3f8, 0x8\), \/\* COM1 \*\//);
    assert.match(text, /\.num_pio_regions = 2,/);
    const after = loadFixture(HDIR, hostWith(new Map([[file, text]])));
    assert.ok(cellModel(after, HDEMO).pio_regions.some((r) => 0x3f9n >= r.base && 0x3f9n < r.base + r.length));
    assert.deepEqual(errors(after), []);
    assert.match(one(ev({ kind: 'pio', address: 0x3f9n, access: 'write', size: 1, cpu: 3 }), after).message, /grants port 0x3f9/);
  });

  it('a port nobody has: only the ports the access used', () => {
    const x = one(ev({ kind: 'pio', address: 0x80n, access: 'write', size: 2, cellName: 'heron-demo' }), heron);
    assert.deepEqual(x.covering, []);
    const file = x.fixes[0].edits[0].loc.file;
    assert.match(fixed(file, x.fixes[0].edits), /PIO_RANGE\(0x80, 0x2\), \/\* port 0x80 \*\//);
  });
});

describe('explainEvents on logs read by readLog (test/fixtures/explain/*.log, the Orchid board)', () => {
  const ODIR = path.resolve(__dirname, '../../fixtures/explain/orchid');
  const orchid = loadFixture(ODIR);
  const logOf = (name: string) => readLog(fs.readFileSync(path.resolve(__dirname, '../../fixtures/explain', name), 'utf8'));

  it('two cells interleaved: each fault its cell; both fixes applied, both addresses covered, no new error', () => {
    const xs = explainEvents(logOf('interleaved.log'), orchid);
    assert.deepEqual(
      xs.map((x) => [x.event.address, x.cell?.name, x.device?.name]),
      [
        [0x1c0a0014n, 'orchid-uart-demo', 'UART1'],
        [0x1c0b0008n, 'orchid-rtos', 'TIMER'],
      ],
    );
    const texts = new Map<string, string>();
    for (const x of xs) {
      assert.equal(x.fixes.length, 1, x.message);
      const file = x.fixes[0].edits[0].loc.file;
      assert.ok(!texts.has(file), 'one fix per cell file');
      texts.set(file, fixed(file, x.fixes[0].edits));
    }
    const after = loadFixture(ODIR, hostWith(texts));
    assert.deepEqual(errors(after), []);
    for (const x of explainEvents(logOf('interleaved.log'), after)) {
      assert.equal(x.covering[0].file, x.cell!.file, `${hex(x.event.address!)} is mapped by its cell now`);
      assert.deepEqual(x.fixes, []);
    }
  });

  it('instruction abort in RAM not owned, an SMC, an address nothing maps', () => {
    const xs = explainEvents(logOf('arm64-other.log'), orchid);
    assert.ok(xs.every((x) => x.cell?.name === 'orchid-rtos'));
    assert.match(xs[0].message, /RAM of the root cell/);
    assert.ok(xs.some((x) => x.event.kind === 'smc' && /function 0xc2000005/.test(x.message)));
    assert.ok(xs.some((x) => /No config of the system maps it/.test(x.message)));
  });
});

describe('explainEvents on the x86 log (test/fixtures/explain/x86.log, orchid-x86)', () => {
  const XDIR = path.resolve(__dirname, '../../fixtures/explain/orchid-x86');
  const XDEMO = path.join(XDIR, 'orchid-x86-demo.c');
  const xs = explainEvents(readLog(fs.readFileSync(path.resolve(__dirname, '../../fixtures/explain/x86.log'), 'utf8')), loadFixture(XDIR));

  it('every fault names the cell; each kind in its own words', () => {
    const faults = xs.filter((x) => x.event.kind !== 'info');
    assert.ok(faults.length >= 8);
    assert.ok(faults.every((x) => x.cell?.file === XDEMO), 'all on CPU 3 of orchid-x86-demo');
    const by = (re: RegExp) => xs.find((x) => re.test(x.event.text))!;
    assert.match(by(/Invalid MMIO\/RAM read/).message, /no region of the cell maps 0xfed40000\. No config of the system maps it/);
    assert.match(by(/Unhandled MSR read/).message, /^A read of MSR 0xc0011020/);
    assert.match(by(/IOAPIC/).message, /IOAPIC emulation refused/);
    assert.match(by(/i8042/).message, /keyboard controller/);
    assert.match(by(/PCI config/).message, /PCI configuration ports/);
    const pio = by(/Invalid PIO write/);
    assert.deepEqual(pio.fixes.map((f) => f.title), ["Open COM1's ports (PIO_RANGE(0x3f8, 0x8))"]);
  });
});

describe('page-pool usage beside the hypervisor-memory floor', () => {
  const XDIR = path.resolve(__dirname, '../../fixtures/explain/orchid-x86');
  const log = fs.readFileSync(path.resolve(__dirname, '../../fixtures/explain/x86.log'), 'utf8');

  it('the pool line is explained on the system config with the measured use and the rule\'s floor', () => {
    const xs = explainEvents(readLog(log), loadFixture(XDIR));
    const pool = xs.filter((x) => x.event.kind === 'info');
    assert.equal(pool.length, 1);
    const [p] = pool;
    assert.equal(p.cell?.file, path.join(XDIR, 'orchid-x1.c'));
    assert.deepEqual(p.rules, ['hypervisor-memory']);
    assert.deepEqual(p.fixes, []);
    assert.match(p.message, /^The hypervisor's page pool: 310 of 1519 pages used \(20 %\), 1209 free/);
    assert.match(p.message, /floor for orchid-x1\.c and its 1 cell\(s\) is \d+ pages/);
    assert.doesNotMatch(p.message, /nearly full/);
  });

  it('a nearly full pool says the next cell create may fail; without configs it says it was not compared', () => {
    const full = readLog('Page pool usage after cell creation: mem 1450/1519, remap 16392/131072\n');
    const [p] = explainEvents(full, loadFixture(XDIR));
    assert.match(p.message, /\(95 %\).*nearly full: the next cell create may fail with -ENOMEM/);
    const [alone] = explainEvents(full, []);
    assert.match(alone.message, /No system config given: not compared with the hypervisor-memory estimate\.$/);
    assert.equal(alone.cell, undefined);
  });
});

describe('what the fixes write compiles', () => {
  it('gcc -Wall -Wextra -Werror accepts every config a fix above produced', (t) => {
    assert.ok(gccJobs.length >= 8, `${gccJobs.length} fixed configs`);
    const rejected = gccRejects(gccJobs);
    if (!rejected) return t.skip('gcc is not installed');
    assert.deepEqual(rejected.map((r) => `${path.basename(r.job.file)} (${r.job.what}): ${r.error}`), []);
  });
});
