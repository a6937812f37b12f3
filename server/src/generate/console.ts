// The hypervisor's debug console: which board device (the user's --console, the device
// tree's chosen/stdout-path, else the first enabled UART the hypervisor has a driver for), and
// the console type and flags its compatible calls for (docs/format.md §3.3, §5.10).
import type { Board, BoardDevice, RegWindow } from '../boards/types';
import { hex } from '../util/format';
import { GenerateError } from './errors';

export interface ConsoleChoice {
  device: BoardDevice;
  window: RegWindow;
  /** JAILHOUSE_CON_TYPE_* name. */
  type: string;
  /** JAILHOUSE_CON_* flag names, or-ed. */
  flags: string[];
  /** Where the choice came from, for the notes. */
  why: string;
}

/** Compatible strings → console type and register distance, first match wins. */
const DRIVERS: { match: RegExp; type: string; regdist4: boolean; what: string }[] = [
  { match: /^(arm,pl011|arm,sbsa-uart)$/, type: 'PL011', regdist4: true, what: 'ARM PL011' },
  { match: /^fsl,.*-lpuart$/, type: 'IMX_LPUART', regdist4: true, what: 'i.MX LPUART' },
  { match: /^fsl,imx.*-uart$/, type: 'IMX', regdist4: true, what: 'i.MX UART' },
  { match: /^(xlnx,xuartps|xlnx,zynqmp-uart|cdns,uart-r1p\d+)$/, type: 'XUARTPS', regdist4: true, what: 'Cadence/Xilinx PS UART' },
  { match: /^marvell,armada-3700-uart$/, type: 'MVEBU', regdist4: true, what: 'Marvell Armada 3700 UART' },
  { match: /^renesas,hscif/, type: 'HSCIF', regdist4: true, what: 'Renesas HSCIF' },
  { match: /^renesas,scifa/, type: 'SCIFA', regdist4: true, what: 'Renesas SCIFA' },
  { match: /^renesas,(rcar-gen\d-)?scif/, type: 'SCIF', regdist4: true, what: 'Renesas SCIF' },
  // 8250/16550 and their SoC variants; on ARM SoCs their registers are 4 bytes apart (reg-shift 2).
  {
    match: /^(ns16550a?|ns16450|ns8250|snps,dw-apb-uart|ti,am654-uart|ti,omap[2-4]-uart|brcm,bcm2835-aux-uart|allwinner,sun\w+-uart|nvidia,tegra\d+-uart|mediatek,mt\d+-uart|rockchip,.*-uart|marvell,armada-38x-uart|intel,xscale-uart)$/,
    type: '8250',
    regdist4: true,
    what: '8250/16550',
  },
];

/** The console type a device's compatible calls for, or undefined when the hypervisor has no driver for it. */
export function consoleDriver(d: BoardDevice): { type: string; flags: string[]; what: string } | undefined {
  for (const c of d.compatible) {
    const hit = DRIVERS.find((x) => x.match.test(c));
    if (!hit) continue;
    const flags = ['JAILHOUSE_CON_ACCESS_MMIO', hit.regdist4 ? 'JAILHOUSE_CON_REGDIST_4' : 'JAILHOUSE_CON_REGDIST_1'];
    // TI's 8250 variant needs the mode-definition register written before it prints.
    if (/^ti,(am654|omap[2-4])-uart$/.test(c)) flags.push('JAILHOUSE_CON_MDR_QUIRK');
    return { type: `JAILHOUSE_CON_TYPE_${hit.type}`, flags, what: hit.what };
  }
  return undefined;
}

/** A device by what a user calls it: its name, device-tree label or path, or a window's address. */
export function findDevice(board: Board, spec: string): BoardDevice | undefined {
  const s = spec.trim();
  const lower = s.toLowerCase();
  const byName = board.devices.find((d) => d.name.toLowerCase() === lower || d.label?.toLowerCase() === lower || d.path === s);
  if (byName) return byName;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(s)) {
    const addr = BigInt(s);
    return board.devices.find((d) => d.reg.some((w) => w.space !== 'pio' && w.base === addr));
  }
  return undefined;
}

const mmioWindow = (d: BoardDevice) => d.reg.find((w) => w.space !== 'pio');

export function chooseConsole(board: Board, spec?: string): ConsoleChoice {
  let device: BoardDevice | undefined;
  let why: string;
  if (spec !== undefined) {
    device = findDevice(board, spec);
    if (!device) throw new GenerateError(`--console ${spec}: the board ${board.id} has no device of that name, label, path or address`);
    why = `--console ${spec}`;
  } else if (board.console) {
    device = board.devices.find((d) => d.name === board.console!.device);
    why = `the board's console (chosen/stdout-path${board.console.options ? ` ${board.console.options}` : ''})`;
  } else {
    device = board.devices.find((d) => !d.disabled && mmioWindow(d) && consoleDriver(d));
    why = 'the board names no console (no chosen/stdout-path): the first enabled UART the hypervisor drives';
  }
  if (!device) throw new GenerateError(`the board ${board.id} has no UART the hypervisor can print to; give one with --console`);
  const window = mmioWindow(device);
  if (!window) throw new GenerateError(`the console ${device.name} has no memory-mapped registers: the ${board.arch} hypervisor prints only to MMIO UARTs; choose another with --console`);
  const driver = consoleDriver(device);
  if (!driver) {
    throw new GenerateError(
      `the console ${device.name} (${device.compatible.join(', ') || 'no compatible'}) at ${hex(window.base)} is no UART the hypervisor has a driver for ` +
        '(8250/16550, PL011, i.MX, i.MX LPUART, Xilinx PS, Marvell, Renesas SCIF/SCIFA/HSCIF); choose another with --console',
    );
  }
  return { device, window, type: driver.type, flags: driver.flags, why: `${why}: ${driver.what}` };
}
