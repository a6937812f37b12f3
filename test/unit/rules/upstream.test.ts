// Opt-in (JAILHOUSE_SRC=/path/to/jailhouse): every upstream board folder checked as systems.
// Upstream's `jailhouse config check` fails on 14 of its 38 root configs with their own cells
// (docs/format.md §6.2); each must get a counterpart finding on its root file, and no
// other root file may get one. Then every quick fix offered there is applied and re-checked.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ENGINE_CODES } from '../../../server/src/core/diagnostics';
import { applyEdits, checkSystem, fixesFor } from '../../../server/src/rules';
import { loadSystems } from '../../../server/src/workspace';
import { hostWith, stillReported } from './harness';

const SRC = process.env.JAILHOUSE_SRC;

const CONFIG_CHECK_FAILS = [
  'arm/emtrion-rzg1h.c', 'arm/emtrion-rzg1m.c', 'arm/jetson-tk1.c', 'arm64/jetson-tx1.c', 'arm64/jetson-tx2.c',
  'arm64/ls1046a-rdb.c', 'arm64/imx8dxl.c', 'arm64/imx8qm.c', 'arm64/k3-j7200-evm.c', 'arm64/k3-j721e-evm.c',
  'arm64/ultra96.c', 'arm64/zynqmp-zcu102.c', 'x86/f2a88xm-hd3.c', 'x86/imb-a180.c',
];
const CHK_CODES = new Set(['memory-overlap', 'memory-overlap-hypervisor', 'memory-overlap-platform']);

describe('upstream configs', { skip: !SRC && 'set JAILHOUSE_SRC to run' }, () => {
  it('config check counterparts on exactly the 14 failing root configs, no crash', () => {
    const configs = path.join(SRC!, 'configs');
    const { systems } = loadSystems([configs], { declaration: false });
    assert.ok(systems.length >= 38);
    const flagged = new Set<string>();
    for (const s of systems) {
      for (const [file, diags] of checkSystem(s)) {
        for (const d of diags) {
          assert.notEqual(d.code, 'internal', d.message);
          // Redistributor frames after CPU 0's are trapped by the hypervisor but not sized by config check.
          if ((d.data as { pastConfigCheck?: boolean } | undefined)?.pastConfigCheck) continue;
          if (s.root && file === s.root.file && CHK_CODES.has(d.code)) flagged.add(path.relative(configs, file));
          if (CHK_CODES.has(d.code) && s.root && file !== s.root.file) assert.fail(`non-root finding ${d.code} in ${file}: ${d.message}`);
        }
      }
    }
    assert.deepEqual([...flagged].sort(), [...CONFIG_CHECK_FAILS].sort());
  });
});

describe('upstream configs: rules without upstream findings', { skip: !SRC && 'set JAILHOUSE_SRC to run' }, () => {
  // The shipped configs work on their boards: rules for hardware limits and missing interrupt
  // routes must stay silent there (x86 cells with INTx-only devices would be irqchip-missing).
  it('memory-dma-width, pci-mmconfig, x86 irqchip-missing and the iommu unit index find nothing', () => {
    const { systems } = loadSystems([path.join(SRC!, 'configs')], { declaration: false });
    const hits: string[] = [];
    for (const s of systems) {
      const x86 = s.root?.model?.arch === 'x86';
      for (const d of [...checkSystem(s).values()].flat()) {
        if (d.code === 'memory-dma-width' || d.code === 'pci-mmconfig' || (x86 && (d.code === 'irqchip-missing' || d.code === 'iommu'))) hits.push(`${d.loc.file}: ${d.code}: ${d.message}`);
      }
    }
    assert.deepEqual(hits, []);
  });

  // Upstream lists its MSI devices' capabilities writable and keeps devices within end_bus; the
  // one physical device without DMA RAM is pci-demo's audio controller, whose demo only reads it.
  it('pci-msi-cap and pci-end-bus find nothing; pci-dma only pci-demo.c', () => {
    const { systems } = loadSystems([path.join(SRC!, 'configs')], { declaration: false });
    const hits = new Set<string>();
    for (const s of systems) {
      for (const d of [...checkSystem(s).values()].flat()) {
        if (d.code === 'pci-msi-cap' || d.code === 'pci-end-bus' || d.code === 'pci-dma') hits.add(`${path.basename(d.loc.file)}: ${d.code}`);
      }
    }
    assert.deepEqual([...hits], ['pci-demo.c: pci-dma']);
  });
});

describe('upstream configs: severities that match what happens', { skip: !SRC && 'set JAILHOUSE_SRC to run' }, () => {
  it('the emtrion files leave their last count out: warnings only, and nothing else in arm is an error', () => {
    const { systems } = loadSystems([path.join(SRC!, 'configs/arm')], { declaration: false });
    const all = systems.flatMap((s) => [...checkSystem(s).values()].flat());
    const counts = all.filter((d) => d.code === 'count-mismatch');
    assert.deepEqual([...new Set(counts.map((d) => path.basename(d.loc.file).replace(/-linux-demo/, '')))].sort(), ['emtrion-rzg1e.c', 'emtrion-rzg1h.c', 'emtrion-rzg1m.c']);
    assert.equal(counts.length, 6);
    assert.ok(counts.every((d) => d.severity === 'warning'), counts.map((d) => d.message).join('\n'));
    // The inmate demos load into RAM that lies in the root's read-only ivshmem-net output region
    // of peer 1 (JAILHOUSE_SHMEM_NET_REGIONS at 0x7bf00000): cell load maps it back read-only.
    const loadIntoReadonly = all.filter((d) => d.code === 'memory-loadable-readonly').map((d) => path.basename(d.loc.file));
    assert.deepEqual(loadIntoReadonly.sort(), ['bananapi-inmate-demo.c', 'emtrion-rzg1e-inmate-demo.c', 'emtrion-rzg1h-inmate-demo.c', 'emtrion-rzg1m-inmate-demo.c']);
    assert.deepEqual(all.filter((d) => d.severity === 'error' && d.code !== 'memory-loadable-readonly').map((d) => `${d.loc.file}: ${d.message}`), []);
  });

  it('ivshmem peers that are not below shmem_peers are run-time breaks (warnings), and x86 cells checked with qemu-x86 get no irqchip finding', () => {
    const { systems } = loadSystems([path.join(SRC!, 'configs')], { declaration: false });
    const all = systems.flatMap((s) => [...checkSystem(s).values()].flat());
    const devId = all.filter((d) => d.code === 'ivshmem' && /shmem_dev_id \d+ is not below shmem_peers/.test(d.message));
    assert.equal(devId.length, 10);
    assert.ok(devId.every((d) => d.severity === 'warning'));
    assert.deepEqual(all.filter((d) => d.code === 'cpu-root-empty'), []);
    // Every x86 demo cell with the QEMU system as its root (the folder has three systems).
    const x86 = path.join(SRC!, 'configs/x86');
    const cells = fs.readdirSync(x86).filter((f) => f.endsWith('-demo.c')).map((f) => path.join(x86, f));
    const decl = path.join(x86, 'virtual-cells.json');
    const host = hostWith(new Map([[decl, JSON.stringify({ version: 1, systems: [{ root: 'qemu-x86.c', cells: cells.map((c) => path.basename(c)) }] })]]));
    const qemu = loadSystems([path.join(x86, 'qemu-x86.c')], { declaration: decl, host }).systems.find((s) => s.root?.file.endsWith('qemu-x86.c'))!;
    assert.equal(qemu.cells.length, cells.length);
    const x86Findings = [...checkSystem(qemu).values()].flat();
    assert.deepEqual(x86Findings.filter((d) => /^(irqchip-|irq-not-in-root|cpu-root-empty)/.test(d.code)).map((d) => d.message), []);
  });
});

describe('upstream configs: quick fixes', { skip: !SRC && 'set JAILHOUSE_SRC to run' }, () => {
  it('every fix offered on an upstream system keeps it compiling and clears its finding', (t) => {
    const engineErrors = (ds: { code: string; severity: string }[]) => ds.filter((d) => (ENGINE_CODES as readonly string[]).includes(d.code) && d.severity === 'error').length;
    const configs = path.join(SRC!, 'configs');
    const { systems } = loadSystems([configs], { declaration: false });
    let applied = 0;
    for (const s of systems) {
      const anchor = s.root?.file ?? s.cells[0]?.file;
      if (!anchor) continue;
      const before = [...checkSystem(s).values()].flat();
      const seen = new Set<string>();
      for (const diag of before) {
        for (const fix of fixesFor(diag, s)) {
          const k = `${diag.code}|${fix.title}|${diag.loc.file}`;
          if (seen.has(k)) continue;
          seen.add(k);
          const texts = new Map<string, string>();
          for (const file of new Set(fix.edits.map((e) => e.loc.file))) texts.set(file, applyEdits(fs.readFileSync(file, 'utf8'), file, fix.edits));
          const again = loadSystems([anchor], { declaration: false, host: hostWith(texts) }).systems.find((x) => (x.root?.file ?? x.cells[0]?.file) === anchor)!;
          const after = [...checkSystem(again).values()].flat();
          const what = `${path.relative(configs, diag.loc.file)}: "${fix.title}" for ${diag.code}: ${diag.message}`;
          assert.ok(engineErrors(after) <= engineErrors(before), `still compiles — ${what}`);
          assert.ok(!stillReported(diag, after), `clears its finding — ${what}`);
          applied++;
        }
      }
    }
    t.diagnostic(`applied ${applied} fixes`);
    assert.ok(applied > 50, `applied ${applied} fixes`);
  });
});
