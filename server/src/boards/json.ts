// Board JSON ⇄ Board: validation with precise paths (the same rules as
// schemas/board.schema.json, which VS Code uses for editing), and serialisation.
import type {
  Board,
  BoardCpu,
  BoardDevice,
  BoardIrq,
  BoardSource,
  InterruptController,
  Ioapic,
  RegWindow,
} from './types';
import { hex } from './types';
import { ARCH_NAMES } from '../schema';

export class BoardError extends Error {
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
  }
}

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const IRQ_TYPES = ['spi', 'ppi', 'sgi', 'ioapic'] as const;
const TRIGGERS = ['edge-rising', 'edge-falling', 'edge-both', 'level-high', 'level-low'] as const;

/** Keys each object may hold (kept in step with the schema by a unit test). */
export const BOARD_KEYS = {
  board: ['$schema', 'id', 'name', 'soc', 'arch', 'source', 'cpus', 'ram', 'interruptController', 'devices', 'console'],
  console: ['device', 'options'],
  source: ['description', 'repo', 'paths', 'version', 'commit', 'url'],
  cpus: ['count', 'list'],
  cpu: ['id', 'reg', 'compatible'],
  window: ['base', 'size', 'space'],
  gic: ['type', 'version', 'gicd', 'gicc', 'gich', 'gicv', 'gicr', 'maintenancePpi'],
  ioapicController: ['type', 'ioapics'],
  ioapic: ['base', 'id', 'pins', 'gsiBase'],
  device: ['name', 'compatible', 'reg', 'interrupts', 'description', 'docs', 'path', 'label', 'disabled'],
  irq: ['type', 'number', 'ioapic', 'trigger'],
} as const;

class Reader {
  constructor(readonly where: string) {}
  fail(msg: string, at = ''): never {
    throw new BoardError(msg, this.where + at);
  }
  obj(v: Json, at: string, keys: readonly string[]): Record<string, Json> {
    if (!isObj(v)) this.fail('expected an object', at);
    for (const k of Object.keys(v)) if (!keys.includes(k)) this.fail(`unknown property "${k}"`, at);
    return v;
  }
  str(v: Json, at: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail('expected a non-empty string', at);
    return v;
  }
  optStr(v: Json, at: string): string | undefined {
    return v === undefined ? undefined : this.str(v, at);
  }
  int(v: Json, at: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(`expected an integer in ${min}..${max}`, at);
    return v;
  }
  /** 64-bit values: "0x…" strings (or small plain integers). */
  addr(v: Json, at: string): bigint {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(v)) return BigInt(v);
    return this.fail('expected a hexadecimal string "0x…" (at most 64 bits)', at);
  }
  arr(v: Json, at: string): Json[] {
    if (!Array.isArray(v)) this.fail('expected an array', at);
    return v;
  }
  oneOf<T extends string>(v: Json, at: string, allowed: readonly T[]): T {
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) this.fail(`expected one of ${allowed.join(', ')}`, at);
    return v as T;
  }
}

function readWindow(r: Reader, v: Json, at: string): RegWindow {
  const o = r.obj(v, at, BOARD_KEYS.window);
  const w: RegWindow = { base: r.addr(o.base, at + '.base'), size: r.addr(o.size, at + '.size') };
  if (o.space !== undefined) w.space = r.oneOf(o.space, at + '.space', ['mmio', 'pio'] as const);
  if (w.size === 0n) r.fail('size must not be 0', at + '.size');
  if (w.base + w.size > 1n << 64n) r.fail('window ends beyond 2^64', at);
  return w;
}

function readIrq(r: Reader, v: Json, at: string): BoardIrq {
  const o = r.obj(v, at, BOARD_KEYS.irq);
  const type = r.oneOf(o.type, at + '.type', IRQ_TYPES);
  const max = type === 'spi' ? 987 : type === 'ppi' ? 15 : type === 'sgi' ? 15 : 255;
  const irq: BoardIrq = { type, number: r.int(o.number, at + '.number', 0, max) };
  if (o.ioapic !== undefined) irq.ioapic = r.int(o.ioapic, at + '.ioapic', 0, 127);
  if (o.trigger !== undefined) irq.trigger = r.oneOf(o.trigger, at + '.trigger', TRIGGERS);
  return irq;
}

function readController(r: Reader, v: Json, at: string): InterruptController {
  if (!isObj(v)) r.fail('expected an object', at);
  if (v.type === 'gic') {
    const o = r.obj(v, at, BOARD_KEYS.gic);
    const version = r.int(o.version, at + '.version', 2, 3) as 2 | 3;
    const g: InterruptController = { type: 'gic', version, gicd: r.addr(o.gicd, at + '.gicd') };
    for (const k of ['gicc', 'gich', 'gicv', 'gicr'] as const) if (o[k] !== undefined) g[k] = r.addr(o[k], `${at}.${k}`);
    if (o.maintenancePpi !== undefined) g.maintenancePpi = r.int(o.maintenancePpi, at + '.maintenancePpi', 0, 15);
    if (version === 3 && g.gicr === undefined) r.fail('a GICv3 needs "gicr"', at);
    if (version === 2 && g.gicc === undefined) r.fail('a GICv2 needs "gicc"', at);
    return g;
  }
  if (v.type === 'ioapic') {
    const o = r.obj(v, at, BOARD_KEYS.ioapicController);
    const ioapics = r.arr(o.ioapics, at + '.ioapics').map((x, i): Ioapic => {
      const a = `${at}.ioapics[${i}]`;
      const io = r.obj(x, a, BOARD_KEYS.ioapic);
      const out: Ioapic = { base: r.addr(io.base, a + '.base'), pins: r.int(io.pins, a + '.pins', 1, 240) };
      if (io.id !== undefined) out.id = r.int(io.id, a + '.id', 0, 0xffffffff);
      if (io.gsiBase !== undefined) out.gsiBase = r.int(io.gsiBase, a + '.gsiBase', 0, 0xffff);
      return out;
    });
    return { type: 'ioapic', ioapics };
  }
  return r.fail('type must be "gic" or "ioapic"', at + '.type');
}

function readDevice(r: Reader, v: Json, at: string): BoardDevice {
  const o = r.obj(v, at, BOARD_KEYS.device);
  const compatible =
    o.compatible === undefined ? [] : r.arr(o.compatible, at + '.compatible').map((c, i) => r.str(c, `${at}.compatible[${i}]`));
  const d: BoardDevice = {
    name: r.str(o.name, at + '.name'),
    compatible,
    reg: o.reg === undefined ? [] : r.arr(o.reg, at + '.reg').map((w, i) => readWindow(r, w, `${at}.reg[${i}]`)),
    interrupts:
      o.interrupts === undefined ? [] : r.arr(o.interrupts, at + '.interrupts').map((q, i) => readIrq(r, q, `${at}.interrupts[${i}]`)),
  };
  for (const k of ['description', 'docs', 'path', 'label'] as const) {
    const s = r.optStr(o[k], `${at}.${k}`);
    if (s !== undefined) d[k] = s;
  }
  if (o.disabled !== undefined) {
    if (typeof o.disabled !== 'boolean') r.fail('expected true or false', at + '.disabled');
    if (o.disabled) d.disabled = true;
  }
  return d;
}

function readSource(r: Reader, v: Json): BoardSource {
  const o = r.obj(v, '.source', BOARD_KEYS.source);
  const s: BoardSource = { description: r.str(o.description, '.source.description') };
  for (const k of ['repo', 'version', 'commit', 'url'] as const) {
    const x = r.optStr(o[k], `.source.${k}`);
    if (x !== undefined) s[k] = x;
  }
  if (o.paths !== undefined) s.paths = r.arr(o.paths, '.source.paths').map((p, i) => r.str(p, `.source.paths[${i}]`));
  return s;
}

/** Checks and converts parsed JSON; throws BoardError naming the offending property. */
export function boardFromJson(v: Json, where = 'board'): Board {
  const r: Reader = new Reader(where);
  const o = r.obj(v, '', BOARD_KEYS.board);
  const id = r.str(o.id, '.id');
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) r.fail('id: lowercase letters, digits, ".", "_" and "-" only', '.id');
  const cpusObj = r.obj(o.cpus, '.cpus', BOARD_KEYS.cpus);
  const list =
    cpusObj.list === undefined
      ? undefined
      : r.arr(cpusObj.list, '.cpus.list').map((c, i): BoardCpu => {
          const at = `.cpus.list[${i}]`;
          const co = r.obj(c, at, BOARD_KEYS.cpu);
          const cpu: BoardCpu = { id: r.int(co.id, at + '.id', 0, 4095) };
          if (co.reg !== undefined) cpu.reg = r.addr(co.reg, at + '.reg');
          const comp = r.optStr(co.compatible, at + '.compatible');
          if (comp !== undefined) cpu.compatible = comp;
          return cpu;
        });
  const count = cpusObj.count === undefined ? list?.length : r.int(cpusObj.count, '.cpus.count', 1, 4096);
  if (count === undefined || count === 0) r.fail('give "count" or a non-empty "list"', '.cpus');
  if (list && list.length !== count) r.fail(`count ${count} disagrees with ${list.length} listed CPUs`, '.cpus');
  const board: Board = {
    id,
    name: r.str(o.name, '.name'),
    arch: r.oneOf(o.arch, '.arch', ARCH_NAMES),
    source: readSource(r, o.source),
    cpus: list ? { count, list } : { count },
    ram: r.arr(o.ram, '.ram').map((w, i) => readWindow(r, w, `.ram[${i}]`)),
    devices: r.arr(o.devices, '.devices').map((d, i) => readDevice(r, d, `.devices[${i}]`)),
  };
  const soc = r.optStr(o.soc, '.soc');
  if (soc !== undefined) board.soc = soc;
  if (o.interruptController !== undefined) board.interruptController = readController(r, o.interruptController, '.interruptController');
  if (o.console !== undefined) {
    const co = r.obj(o.console, '.console', BOARD_KEYS.console);
    board.console = { device: r.str(co.device, '.console.device') };
    const opts = r.optStr(co.options, '.console.options');
    if (opts !== undefined) board.console.options = opts;
    if (!board.devices.some((d) => d.name === board.console!.device)) r.fail(`no device named "${board.console.device}"`, '.console.device');
  }
  const ic = board.interruptController;
  if (ic && (ic.type === 'gic') !== (board.arch !== 'x86')) r.fail(`a ${ic.type} does not fit arch ${board.arch}`, '.interruptController');
  board.devices.forEach((d, i) =>
    d.interrupts.forEach((q, j) => {
      if ((q.type === 'ioapic') !== (board.arch === 'x86')) r.fail(`${q.type} interrupt on a ${board.arch} board`, `.devices[${i}].interrupts[${j}]`);
      if (q.ioapic !== undefined && ic?.type === 'ioapic' && q.ioapic >= ic.ioapics.length) r.fail('no such IOAPIC', `.devices[${i}].interrupts[${j}].ioapic`);
    }),
  );
  return board;
}

/** Parses board JSON text; errors carry `where`. */
export function parseBoardJson(text: string, where = 'board'): Board {
  let v: Json;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new BoardError(`not valid JSON (${(e as Error).message})`, where);
  }
  return boardFromJson(v, where);
}

function windowJson(w: RegWindow): Record<string, Json> {
  return w.space && w.space !== 'mmio' ? { base: hex(w.base), size: hex(w.size), space: w.space } : { base: hex(w.base), size: hex(w.size) };
}

/** The JSON form (key order fixed, so files diff well). */
export function boardToJson(b: Board, schemaRef?: string): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (schemaRef) out.$schema = schemaRef;
  out.id = b.id;
  out.name = b.name;
  if (b.soc !== undefined) out.soc = b.soc;
  out.arch = b.arch;
  out.source = { ...b.source };
  out.cpus = b.cpus.list
    ? { count: b.cpus.count, list: b.cpus.list.map((c) => ({ id: c.id, ...(c.reg !== undefined ? { reg: hex(c.reg) } : {}), ...(c.compatible ? { compatible: c.compatible } : {}) })) }
    : { count: b.cpus.count };
  out.ram = b.ram.map(windowJson);
  const ic = b.interruptController;
  if (ic?.type === 'gic') {
    const g: Record<string, Json> = { type: 'gic', version: ic.version, gicd: hex(ic.gicd) };
    for (const k of ['gicc', 'gich', 'gicv', 'gicr'] as const) if (ic[k] !== undefined) g[k] = hex(ic[k]);
    if (ic.maintenancePpi !== undefined) g.maintenancePpi = ic.maintenancePpi;
    out.interruptController = g;
  } else if (ic) {
    out.interruptController = {
      type: 'ioapic',
      ioapics: ic.ioapics.map((a) => ({ base: hex(a.base), ...(a.id !== undefined ? { id: a.id } : {}), pins: a.pins, ...(a.gsiBase !== undefined ? { gsiBase: a.gsiBase } : {}) })),
    };
  }
  out.devices = b.devices.map((d) => {
    const o: Record<string, Json> = { name: d.name, compatible: d.compatible, reg: d.reg.map(windowJson), interrupts: d.interrupts.map((q) => ({ ...q })) };
    for (const k of ['description', 'docs', 'path', 'label'] as const) if (d[k] !== undefined) o[k] = d[k];
    if (d.disabled) o.disabled = true;
    return o;
  });
  if (b.console) out.console = { ...b.console };
  return out;
}

/** JSON text with small objects and arrays kept on one line (readable, diff-friendly board files). */
export function stringifyBoard(v: unknown, indent = ''): string {
  const flat = JSON.stringify(v);
  if (flat === undefined) return 'null';
  if (flat.length + indent.length <= 110 || v === null || typeof v !== 'object') return flat.replace(/([,:])(?=["{[\d-])/g, (_m, c) => (c === ':' ? ': ' : ', '));
  const inner = indent + '  ';
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + stringifyBoard(x, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${stringifyBoard(x, inner)}`).join(',\n')}\n${indent}}`;
}
