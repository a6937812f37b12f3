// Device tree → board description: devices with CPU-visible register windows (through every
// `ranges` on the way up) and GIC interrupts (through inherited `interrupt-parent` and
// `interrupts-extended`), RAM from memory nodes, CPUs, and the GIC's own bases.
import { basename, extname } from 'node:path';
import type { Board, BoardArch, BoardCpu, BoardDevice, BoardIrq, GicController, RegWindow } from '../types';
import { IRQ_TRIGGERS } from './bindings';
import { lineColOf, type DtsDiag } from './diag';
import { parseDts, type DtTree } from './parser';
import { defaultReadFile, locate, preprocess, type PpOptions, type PpResult } from './preprocess';
import { baseName, cellsOf, numProp, pathOf, resolveTarget, stringsOf, walk, type DtCell, type DtNode } from './tree';

export interface ImportOptions extends PpOptions {
  /** Board id; default: the file name without extension. */
  id?: string;
  /** Used when no CPU compatible tells the architecture. */
  arch?: BoardArch;
}

export interface ImportResult {
  /** Undefined only when nothing could be read at all. */
  board?: Board;
  diags: DtsDiag[];
}

const GIC_V2 = ['arm,gic-400', 'arm,cortex-a15-gic', 'arm,cortex-a7-gic', 'arm,cortex-a9-gic', 'arm,cortex-a5-gic', 'arm,arm11mp-gic', 'arm,pl390'];
const GIC_V3 = ['arm,gic-v3'];
const ARM64_CPUS = /^arm,(cortex-a(3[45]|5[3-9]|6[05]|7[0-9]|78c?)|cortex-x\d|neoverse-|armv8|armv9)/;
const ARM32_CPUS = /^arm,(cortex-a(5|7|8|9|12|15|17)|armv7)$/;

const GENERIC_KINDS: [RegExp, string][] = [
  [/^(serial|uart)$/, 'UART'],
  [/^ethernet$/, 'Ethernet controller'],
  [/^(mmc|sdhci)$/, 'SD/MMC controller'],
  [/^i2c$/, 'I2C controller'],
  [/^spi$/, 'SPI controller'],
  [/^gpio$/, 'GPIO controller'],
  [/^(watchdog|wdt)$/, 'Watchdog'],
  [/^timer$/, 'Timer'],
  [/^pcie?$/, 'PCIe controller'],
  [/^usb$/, 'USB controller'],
  [/^interrupt-controller$/, 'Interrupt controller'],
  [/^rtc$/, 'Real-time clock'],
  [/^dma(-controller)?$/, 'DMA controller'],
  [/^pwm$/, 'PWM controller'],
  [/^can$/, 'CAN controller'],
  [/^iommu$/, 'IOMMU'],
  [/^mailbox$/, 'Mailbox'],
  [/^clock-controller$/, 'Clock controller'],
  [/^(pinctrl|pinmux)$/, 'Pin controller'],
  [/^(crypto|rng)$/, 'Crypto / RNG'],
  [/^(thermal-sensor|tmu)$/, 'Thermal sensor'],
  [/^(audio-controller|sai|i2s)$/, 'Audio interface'],
  [/^(display|gpu|vpu)/, 'Graphics / video'],
  [/^(syscon|system-controller)$/, 'System controller'],
  [/^(memory-controller)$/, 'Memory controller'],
  [/^(sata)$/, 'SATA controller'],
];

/** Public reference manuals of ARM IP blocks, by compatible. */
export const ARM_DOCS: Record<string, string> = {
  'arm,pl011': 'https://developer.arm.com/documentation/ddi0183/latest/',
  'arm,pl031': 'https://developer.arm.com/documentation/ddi0224/latest/',
  'arm,pl061': 'https://developer.arm.com/documentation/ddi0190/latest/',
  'arm,gic-400': 'https://developer.arm.com/documentation/ddi0471/latest/',
  'arm,cortex-a15-gic': 'https://developer.arm.com/documentation/ihi0048/latest/',
  'arm,cortex-a7-gic': 'https://developer.arm.com/documentation/ihi0048/latest/',
  'arm,gic-v3': 'https://developer.arm.com/documentation/ihi0069/latest/',
  'arm,armv8-timer': 'https://developer.arm.com/documentation/ddi0487/latest/',
  'arm,armv7-timer': 'https://developer.arm.com/documentation/ddi0406/latest/',
};

export function docsOf(compatible: string[]): string | undefined {
  for (const c of compatible) if (ARM_DOCS[c]) return ARM_DOCS[c];
  return undefined;
}

export function describeNode(n: DtNode, compatible: string[]): string {
  const base = baseName(n);
  const kind = GENERIC_KINDS.find(([re]) => re.test(base))?.[1] ?? base;
  return compatible.length > 0 ? `${kind} (${compatible[0]})` : kind;
}

const joinCells = (cells: bigint[]): bigint => cells.reduce((acc, c) => (acc << 32n) | (c & 0xffffffffn), 0n);

export function importDts(path: string, text: string, opts: ImportOptions = {}): ImportResult {
  const pp = preprocess(path, text, opts);
  const diags: DtsDiag[] = [...pp.diags];
  const tree = parseDts(pp.text);
  const at = (offset: number, severity: DtsDiag['severity'], message: string) => diags.push(diagAt(pp, offset, severity, message));
  for (const i of tree.issues) at(i.at, i.severity, i.message);
  if (tree.root.children.size === 0 && tree.root.props.size === 0) {
    const message = tree.plugin ? 'an overlay (/plugin/) has no tree of its own: import the board .dts it applies to' : 'no device-tree root node (/ { … };) found';
    diags.push({ severity: 'error', file: path, line: 1, column: 1, message });
    return { diags };
  }
  const board = buildBoard(tree, path, opts, at);
  return { board, diags };
}

export function importDtsFile(path: string, opts: ImportOptions = {}): ImportResult {
  const text = (opts.readFile ?? defaultReadFile)(path);
  if (text === undefined) return { diags: [{ severity: 'error', file: path, line: 1, column: 1, message: 'cannot read the file' }] };
  return importDts(path, text, opts);
}

function diagAt(pp: PpResult, offset: number, severity: DtsDiag['severity'], message: string): DtsDiag {
  const loc = locate(pp, offset);
  const text = pp.files.get(loc.file) ?? '';
  return { severity, file: loc.file, ...lineColOf(text, loc.offset), message };
}

type Report = (offset: number, severity: DtsDiag['severity'], message: string) => void;

function buildBoard(tree: DtTree, path: string, opts: ImportOptions, report: Report): Board {
  const root = tree.root;
  const phandles = new Map<bigint, DtNode>();
  for (const n of walk(root)) {
    const ph = numProp(n, 'phandle') ?? numProp(n, 'linux,phandle');
    if (ph !== undefined) phandles.set(ph, n);
  }
  const refNode = (c: DtCell): DtNode | undefined => {
    if (c.kind === 'ref') return resolveTarget(root, tree.labels, c.target);
    if (c.kind === 'num') return phandles.get(c.value);
    return undefined;
  };
  const addressCells = (n: DtNode) => Number(numProp(n, '#address-cells') ?? 2n);
  const sizeCells = (n: DtNode) => Number(numProp(n, '#size-cells') ?? 1n);

  const numbers = (n: DtNode, prop: string): bigint[] | undefined => {
    const p = n.props.get(prop);
    const cells = cellsOf(p);
    if (!cells) return undefined;
    const bad = cells.find((c) => c.kind !== 'num');
    if (bad) {
      report(bad.kind === 'bad' ? bad.at : p!.at, 'warning', `${pathOf(n)}: cannot evaluate '${bad.kind === 'bad' ? bad.text : '&' + (bad as { target: string }).target}' in ${prop}; property ignored`);
      return undefined;
    }
    return cells.map((c) => (c as { value: bigint }).value);
  };

  /** Translates a bus address of `bus`'s children to a CPU address; undefined when not memory-mapped. */
  const translate = (bus: DtNode, addr: bigint): bigint | undefined => {
    let node = bus;
    let a = addr;
    while (node.parent) {
      if (stringsOf(node.props.get('device_type'))[0] === 'pci') return undefined;
      const ranges = node.props.get('ranges');
      if (!ranges) return undefined;
      const cells = numbers(node, 'ranges');
      if (!cells) return undefined;
      if (cells.length > 0) {
        const ca = addressCells(node);
        const pa = addressCells(node.parent);
        const sc = sizeCells(node);
        const width = ca + pa + sc;
        if (width === 0 || cells.length % width !== 0) {
          report(ranges.at, 'warning', `${pathOf(node)}: ranges length is not a multiple of ${width} cells`);
          return undefined;
        }
        let mapped: bigint | undefined;
        for (let i = 0; i < cells.length; i += width) {
          const child = joinCells(cells.slice(i, i + ca));
          const parent = joinCells(cells.slice(i + ca, i + ca + pa));
          const size = joinCells(cells.slice(i + ca + pa, i + width));
          if (a >= child && a - child < size) {
            mapped = parent + (a - child);
            break;
          }
        }
        if (mapped === undefined) return undefined;
        a = mapped;
      }
      node = node.parent;
    }
    return a;
  };

  const regWindows = (n: DtNode): RegWindow[] => {
    if (!n.parent || !n.props.has('reg')) return [];
    const cells = numbers(n, 'reg');
    if (!cells) return [];
    const ac = addressCells(n.parent);
    const sc = sizeCells(n.parent);
    if (ac + sc === 0 || cells.length % (ac + sc) !== 0) {
      report(n.props.get('reg')!.at, 'warning', `${pathOf(n)}: reg has ${cells.length} cells, not a multiple of #address-cells ${ac} + #size-cells ${sc}`);
      return [];
    }
    const out: RegWindow[] = [];
    for (let i = 0; i < cells.length; i += ac + sc) {
      const base = translate(n.parent, joinCells(cells.slice(i, i + ac)));
      const size = joinCells(cells.slice(i + ac, i + ac + sc));
      if (base !== undefined && size > 0n) out.push({ base, size });
    }
    return out;
  };

  const isGic = (n: DtNode) => stringsOf(n.props.get('compatible')).some((c) => GIC_V2.includes(c) || GIC_V3.includes(c));

  const interruptParent = (n: DtNode): DtNode | undefined => {
    for (let x: DtNode | undefined = n; x; x = x.parent) {
      const p = x.props.get('interrupt-parent');
      if (p) {
        const cells = cellsOf(p) ?? [];
        const target = cells.length === 1 ? refNode(cells[0]) : undefined;
        if (!target) report(p.at, 'warning', `${pathOf(x)}: interrupt-parent does not name a node`);
        return target;
      }
      if (x !== n && x.props.has('interrupt-controller')) return x;
    }
    return undefined;
  };

  const decodeGic = (spec: bigint[]): BoardIrq | undefined => {
    if (spec.length < 2) return undefined;
    const [kind, num, flags] = spec;
    if (kind !== 0n && kind !== 1n) return undefined;
    const irq: BoardIrq = { type: kind === 0n ? 'spi' : 'ppi', number: Number(num) };
    const trig = flags !== undefined ? IRQ_TRIGGERS[Number(flags & 0xfn)] : undefined;
    if (trig) irq.trigger = trig;
    return irq;
  };

  const interruptsOf = (n: DtNode): BoardIrq[] => {
    const out: BoardIrq[] = [];
    const ext = n.props.get('interrupts-extended');
    if (ext) {
      const cells = cellsOf(ext) ?? [];
      let i = 0;
      while (i < cells.length) {
        const ctrl = refNode(cells[i]);
        if (!ctrl) {
          report(ext.at, 'warning', `${pathOf(n)}: interrupts-extended names an unknown controller`);
          break;
        }
        const count = Number(numProp(ctrl, '#interrupt-cells') ?? 0n);
        const spec = cells.slice(i + 1, i + 1 + count);
        i += 1 + count;
        if (count === 0 || spec.some((c) => c.kind !== 'num')) continue;
        if (isGic(ctrl)) {
          const irq = decodeGic(spec.map((c) => (c as { value: bigint }).value));
          if (irq) out.push(irq);
        }
      }
      return out;
    }
    if (!n.props.has('interrupts')) return n.props.has('interrupt-map') ? mappedInterrupts(n) : out;
    const ctrl = interruptParent(n);
    if (!ctrl || !isGic(ctrl)) return out;
    const count = Number(numProp(ctrl, '#interrupt-cells') ?? 3n);
    const cells = numbers(n, 'interrupts');
    if (!cells || count === 0) return out;
    if (cells.length % count !== 0) {
      report(n.props.get('interrupts')!.at, 'warning', `${pathOf(n)}: interrupts has ${cells.length} cells, not a multiple of #interrupt-cells ${count}`);
      return out;
    }
    for (let i = 0; i < cells.length; i += count) {
      const irq = decodeGic(cells.slice(i, i + count));
      if (irq) out.push(irq);
    }
    return out;
  };

  /** PCI-style `interrupt-map`: the GIC interrupts its entries lead to (INTx lines). */
  const mappedInterrupts = (n: DtNode): BoardIrq[] => {
    const out: BoardIrq[] = [];
    const cells = cellsOf(n.props.get('interrupt-map')) ?? [];
    const childWidth = addressCells(n) + Number(numProp(n, '#interrupt-cells') ?? 1n);
    let i = 0;
    while (i + childWidth < cells.length) {
      const ctrl = refNode(cells[i + childWidth]);
      if (!ctrl) break;
      const pa = Number(numProp(ctrl, '#address-cells') ?? 0n);
      const pc = Number(numProp(ctrl, '#interrupt-cells') ?? 0n);
      const spec = cells.slice(i + childWidth + 1 + pa, i + childWidth + 1 + pa + pc);
      i += childWidth + 1 + pa + pc;
      if (!isGic(ctrl) || spec.length !== pc || spec.some((c) => c.kind !== 'num')) continue;
      const irq = decodeGic(spec.map((c) => (c as { value: bigint }).value));
      if (irq && !out.some((q) => q.type === irq.type && q.number === irq.number)) out.push(irq);
    }
    return out;
  };

  const isDisabled = (n: DtNode) => {
    for (let x: DtNode | undefined = n; x; x = x.parent) {
      const s = stringsOf(x.props.get('status'))[0];
      if (s !== undefined && s !== 'okay' && s !== 'ok') return true;
    }
    return false;
  };

  // ---- CPUs and architecture ----
  const cpusNode = root.children.get('cpus');
  const cpus: BoardCpu[] = [];
  let arch: BoardArch | undefined;
  if (cpusNode) {
    for (const c of cpusNode.children.values()) {
      const type = stringsOf(c.props.get('device_type'))[0];
      if (type !== 'cpu' && !(type === undefined && baseName(c) === 'cpu')) continue;
      const cpu: BoardCpu = { id: cpus.length };
      const reg = numbers(c, 'reg');
      if (reg && reg.length > 0) cpu.reg = joinCells(reg);
      const comp = stringsOf(c.props.get('compatible'))[0];
      if (comp) {
        cpu.compatible = comp;
        if (!arch) arch = ARM64_CPUS.test(comp) ? 'arm64' : ARM32_CPUS.test(comp) ? 'arm' : undefined;
      }
      cpus.push(cpu);
    }
  }
  if (!arch) {
    arch = opts.arch ?? 'arm64';
    if (!opts.arch) report(cpusNode?.at ?? 0, 'warning', `no known CPU compatible tells the architecture; assuming ${arch}`);
  }
  if (cpus.length === 0) report(cpusNode?.at ?? 0, 'warning', 'no cpu nodes under /cpus');

  // ---- GIC ----
  const rootParentCells = cellsOf(root.props.get('interrupt-parent'));
  const rootParent = rootParentCells?.length === 1 ? refNode(rootParentCells[0]) : undefined;
  let gicNode = rootParent && isGic(rootParent) ? rootParent : undefined;
  gicNode ??= [...walk(root)].find((n) => !n.deleted && isGic(n));
  let gic: GicController | undefined;
  if (gicNode) {
    const comps = stringsOf(gicNode.props.get('compatible'));
    const version = comps.some((c) => GIC_V3.includes(c)) ? 3 : 2;
    const regs = regWindows(gicNode).map((w) => w.base);
    if (regs.length === 0) report(gicNode.at, 'warning', `${pathOf(gicNode)}: the GIC has no usable reg`);
    else {
      gic = { type: 'gic', version, gicd: regs[0] };
      const names = version === 3 ? (['gicr', 'gicc', 'gich', 'gicv'] as const) : (['gicc', 'gich', 'gicv'] as const);
      names.forEach((k, i) => {
        if (regs[i + 1] !== undefined) gic![k] = regs[i + 1];
      });
      const maint = interruptsOf(gicNode).find((q) => q.type === 'ppi');
      if (maint) gic.maintenancePpi = maint.number;
    }
  } else report(0, 'warning', 'no GIC (arm,gic-400, arm,cortex-a15-gic, arm,gic-v3, …) found; interrupts are not decoded');

  // ---- RAM and devices ----
  const ram: RegWindow[] = [];
  const devices: BoardDevice[] = [];
  const skipSubtrees = new Set(['cpus', 'chosen', 'aliases', '__symbols__', '__fixups__', '__local_fixups__', 'reserved-memory', 'memory-reserved']);
  const visit = (n: DtNode) => {
    for (const c of n.children.values()) {
      if (n === root && skipSubtrees.has(baseName(c))) continue;
      if (stringsOf(c.props.get('device_type'))[0] === 'memory') {
        const windows = regWindows(c);
        if (windows.length === 0) report(c.at, 'warning', `${pathOf(c)}: memory node without a usable size (the boot loader fills it in?)`);
        ram.push(...windows);
        continue;
      }
      const compatible = stringsOf(c.props.get('compatible'));
      if (compatible.length > 0) {
        const reg = regWindows(c);
        // The same line listed several times (per-context SMMU interrupts, shared lines) is one fact.
        const interrupts = interruptsOf(c).filter((q, i, all) => all.findIndex((x) => x.type === q.type && x.number === q.number) === i);
        if (reg.length > 0 || interrupts.length > 0) {
          const label = c.labels[0];
          const d: BoardDevice = {
            name: label ? label.toUpperCase() : c.name,
            compatible,
            reg,
            interrupts,
            description: describeNode(c, compatible),
            path: pathOf(c),
          };
          const docs = docsOf(compatible);
          if (docs) d.docs = docs;
          if (label) d.label = label;
          if (isDisabled(c)) d.disabled = true;
          devices.push(d);
        }
      }
      visit(c);
    }
  };
  visit(root);
  // Names must identify a device: add the unit address where two would look the same.
  const seen = new Map<string, number>();
  for (const d of devices) seen.set(d.name, (seen.get(d.name) ?? 0) + 1);
  for (const d of devices) {
    if ((seen.get(d.name) ?? 0) > 1 && d.reg[0] && !d.name.includes('@')) d.name = `${d.name}@${d.reg[0].base.toString(16)}`;
  }
  const again = new Map<string, number>();
  for (const d of devices) again.set(d.name, (again.get(d.name) ?? 0) + 1);
  for (const d of devices) if ((again.get(d.name) ?? 0) > 1 && d.path) d.name = d.path;
  ram.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  // Banks that touch are one range for a cell author (a 1-cell size cannot say 4 GiB at once).
  for (let i = ram.length - 1; i > 0; i--) {
    if (ram[i - 1].base + ram[i - 1].size === ram[i].base) ram.splice(i - 1, 2, { base: ram[i - 1].base, size: ram[i - 1].size + ram[i].size });
  }

  const model = stringsOf(root.props.get('model'))[0];
  const rootCompat = stringsOf(root.props.get('compatible'));
  const id = (opts.id ?? basename(path, extname(path))).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'imported';
  const board: Board = {
    id,
    name: model ?? id,
    arch,
    source: { description: `Imported from the device tree ${basename(path)}`, paths: [path] },
    cpus: cpus.length > 0 ? { count: cpus.length, list: cpus } : { count: 1 },
    ram,
    devices,
  };
  if (rootCompat.length > 0) board.soc = rootCompat[rootCompat.length - 1];
  if (gic) board.interruptController = gic;
  return board;
}
