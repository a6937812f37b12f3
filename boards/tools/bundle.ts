// Regenerates the DT-derived bundled boards (boards/*.json) from a checkout of the Linux
// device trees (devicetree-rebasing layout: src/…, include/…), using our own importer:
//   node --import tsx boards/tools/bundle.ts /path/to/devicetree-rebasing [VERSION] [WHERE-FROM]
// Only facts are taken (addresses, sizes, interrupts, compatibles); the selection of devices
// and the board metadata live below. QEMU boards have no kernel DTS and are written by hand.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDtsDiag } from '../../server/src/boards/dts/diag';
import { importDtsFile } from '../../server/src/boards/dts/import';
import { boardFromJson, boardToJson, stringifyBoard } from '../../server/src/boards/json';
import type { Board, RegWindow } from '../../server/src/boards/types';

interface Spec {
  id: string;
  name: string;
  soc: string;
  dts: string;
  extraPaths: string[];
  /** Device names (labels, upper-cased) to keep, in output order. */
  devices: string[];
  ram?: RegWindow[];
  ramNote?: string;
}

const SPECS: Spec[] = [
  {
    id: 'imx8mm-evk',
    name: 'NXP i.MX8M Mini EVK',
    soc: 'NXP i.MX8M Mini (4x Cortex-A53)',
    dts: 'src/arm64/freescale/imx8mm-evk.dts',
    extraPaths: ['src/arm64/freescale/imx8mm-evk.dtsi', 'src/arm64/freescale/imx8mm.dtsi'],
    devices: ['GIC', 'timer', 'SYSTEM_COUNTER', 'UART1', 'UART2', 'UART3', 'UART4', 'GPIO1', 'GPIO2', 'GPIO3', 'GPIO4', 'GPIO5',
      'WDOG1', 'WDOG2', 'WDOG3', 'I2C1', 'I2C2', 'I2C3', 'I2C4', 'ECSPI1', 'ECSPI2', 'ECSPI3', 'USDHC1', 'USDHC2', 'USDHC3',
      'FEC1', 'USBOTG1', 'USBOTG2', 'PCIE0', 'SDMA1', 'PWM1', 'PWM2', 'PWM3', 'PWM4', 'FLEXSPI', 'MU', 'SNVS_RTC'],
  },
  {
    id: 'imx8mp-evk',
    name: 'NXP i.MX8M Plus EVK',
    soc: 'NXP i.MX8M Plus (4x Cortex-A53)',
    dts: 'src/arm64/freescale/imx8mp-evk.dts',
    extraPaths: ['src/arm64/freescale/imx8mp.dtsi'],
    devices: ['GIC', 'timer', 'SYSTEM_COUNTER', 'GPT1', 'UART1', 'UART2', 'UART3', 'UART4', 'GPIO1', 'GPIO2', 'GPIO3', 'GPIO4', 'GPIO5',
      'WDOG1', 'WDOG2', 'WDOG3', 'I2C1', 'I2C2', 'I2C3', 'I2C4', 'I2C5', 'I2C6', 'ECSPI1', 'ECSPI2', 'ECSPI3', 'USDHC1', 'USDHC2', 'USDHC3',
      'FEC', 'EQOS', 'FLEXCAN1', 'FLEXCAN2', 'USB_DWC3_0', 'USB_DWC3_1', 'PCIE0', 'SDMA1', 'PWM1', 'PWM2', 'PWM3', 'PWM4', 'FLEXSPI', 'MU'],
  },
  {
    id: 'k3-am625-sk',
    name: 'TI AM625 SK',
    soc: 'TI AM625 (4x Cortex-A53)',
    dts: 'src/arm64/ti/k3-am625-sk.dts',
    extraPaths: ['src/arm64/ti/k3-am62.dtsi', 'src/arm64/ti/k3-am62-main.dtsi', 'src/arm64/ti/k3-am62-mcu.dtsi', 'src/arm64/ti/k3-am62-wakeup.dtsi'],
    devices: ['GIC500', 'A53_TIMER0', 'MAIN_UART0', 'MAIN_UART1', 'MAIN_UART2', 'MAIN_UART3', 'MAIN_UART4', 'MAIN_UART5', 'MAIN_UART6',
      'WKUP_UART0', 'MCU_UART0', 'MAIN_I2C0', 'MAIN_I2C1', 'MAIN_I2C2', 'MAIN_I2C3', 'WKUP_I2C0', 'MCU_I2C0', 'MAIN_SPI0', 'MAIN_SPI1',
      'MAIN_SPI2', 'MCU_SPI0', 'MCU_SPI1', 'MAIN_GPIO0', 'MAIN_GPIO1', 'MCU_GPIO0', 'MAIN_TIMER0', 'MAIN_TIMER1', 'MAIN_TIMER2',
      'MAIN_TIMER3', 'MAIN_RTI0', 'MAIN_RTI1', 'MAIN_RTI2', 'MAIN_RTI3', 'SDHCI0', 'SDHCI1', 'SDHCI2', 'USB0', 'USB1', 'CPSW3G',
      'MAIN_MCAN0', 'MAILBOX0_CLUSTER0', 'WKUP_RTC0', 'OSPI0'],
  },
  {
    id: 'zynqmp-zcu102',
    name: 'Xilinx ZynqMP ZCU102',
    soc: 'Xilinx Zynq UltraScale+ MPSoC (4x Cortex-A53)',
    dts: 'src/arm64/xilinx/zynqmp-zcu102-rev1.0.dts',
    extraPaths: ['src/arm64/xilinx/zynqmp-zcu102-revB.dts', 'src/arm64/xilinx/zynqmp.dtsi'],
    devices: ['GIC', 'timer', 'UART0', 'UART1', 'I2C0', 'I2C1', 'SPI0', 'SPI1', 'GPIO', 'CAN0', 'CAN1', 'GEM0', 'GEM1', 'GEM2', 'GEM3',
      'SDHCI0', 'SDHCI1', 'DWC3_0', 'DWC3_1', 'PCIE', 'SATA', 'WATCHDOG0', 'LPD_WATCHDOG', 'RTC', 'TTC0', 'TTC1', 'TTC2', 'TTC3',
      'SMMU', 'QSPI', 'FPD_DMA_CHAN1', 'LPD_DMA_CHAN1'],
  },
  {
    id: 'rpi4',
    name: 'Raspberry Pi 4 Model B',
    soc: 'Broadcom BCM2711 (4x Cortex-A72)',
    dts: 'src/arm/broadcom/bcm2711-rpi-4-b.dts',
    extraPaths: ['src/arm/broadcom/bcm2711.dtsi', 'src/arm/broadcom/bcm283x.dtsi', 'src/arm/broadcom/bcm2711-rpi.dtsi'],
    devices: ['GICV2', 'timer', 'SYSTEM_TIMER', 'UART0', 'UART1', 'UART2', 'UART3', 'UART4', 'UART5', 'I2C0', 'I2C1', 'I2C3', 'I2C4',
      'I2C5', 'I2C6', 'SPI', 'SPI3', 'SPI4', 'SPI5', 'SPI6', 'GPIO', 'EMMC2', 'SDHCI', 'SDHOST', 'GENET', 'PCIE0', 'USB', 'XHCI',
      'MAILBOX', 'DMA', 'PWM', 'PWM1', 'PM', 'rng@7e104000'],
    // The firmware fills the memory node; banks of the 8 GiB model as the Jailhouse rpi4 config lists them.
    ram: [{ base: 0x0n, size: 0xfc000000n }, { base: 0x100000000n, size: 0x100000000n }],
    ramNote: 'RAM: the firmware fills /memory; banks of the 8 GiB model (0-4032 MiB, 4-8 GiB).',
  },
  {
    id: 'orangepi-zero',
    name: 'Xunlong Orange Pi Zero',
    soc: 'Allwinner H2+ (4x Cortex-A7)',
    dts: 'src/arm/allwinner/sun8i-h2-plus-orangepi-zero.dts',
    extraPaths: ['src/arm/allwinner/sun8i-h3.dtsi', 'src/arm/allwinner/sunxi-h3-h5.dtsi'],
    devices: ['GIC', 'timer', 'timer@1c20c00', 'UART0', 'UART1', 'UART2', 'UART3', 'I2C0', 'I2C1', 'I2C2', 'SPI0', 'SPI1', 'MMC0',
      'MMC1', 'MMC2', 'EMAC', 'USB_OTG', 'EHCI0', 'OHCI0', 'EHCI1', 'OHCI1', 'EHCI2', 'OHCI2', 'EHCI3', 'OHCI3', 'PIO', 'R_PIO',
      'WDT0', 'RTC', 'DMA'],
    // U-Boot fills the memory node; DRAM of the 256 MiB board.
    ram: [{ base: 0x40000000n, size: 0x10000000n }],
    ramNote: 'RAM: U-Boot fills /memory; DRAM of the 256 MiB board.',
  },
];

function main(): number {
  const [root, version = 'v7.1', via = ''] = process.argv.slice(2);
  if (!root) {
    process.stderr.write('usage: bundle.ts DEVICETREE-REBASING-DIR [VERSION] [WHERE-FROM]\n');
    return 2;
  }
  for (const spec of SPECS) {
    const r = importDtsFile(join(root, spec.dts), { includeDirs: [join(root, 'include'), join(root, 'src')], id: spec.id });
    for (const d of r.diags) process.stderr.write(formatDtsDiag(d) + '\n');
    if (!r.board) return 1;
    const byName = new Map(r.board.devices.map((d) => [d.name, d]));
    const missing = spec.devices.filter((n) => !byName.has(n));
    if (missing.length) {
      process.stderr.write(`${spec.id}: not in the tree: ${missing.join(', ')}\n`);
      return 1;
    }
    const paths = [spec.dts, ...spec.extraPaths].map((p) => `arch/${p.slice(4, p.indexOf('/', 4))}/boot/dts/${p.slice(p.indexOf('/', 4) + 1)}`);
    const board: Board = {
      ...r.board,
      id: spec.id,
      name: spec.name,
      soc: spec.soc,
      source: {
        description: `Linux kernel device tree ${version} (devicetree-rebasing tag ${version}-dts${via ? `, as vendored in ${via}` : ''}).${spec.ramNote ? ' ' + spec.ramNote : ''}`,
        repo: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git',
        paths,
        version,
      },
      ram: spec.ram ?? r.board.ram,
      devices: spec.devices.map((n) => byName.get(n)!),
    };
    const json = boardToJson(board, '../schemas/board.schema.json');
    boardFromJson(json, spec.id);
    writeFileSync(join(__dirname, '..', `${spec.id}.json`), stringifyBoard(json) + '\n');
    process.stdout.write(`${spec.id}: ${board.devices.length} devices\n`);
  }
  return 0;
}

process.exitCode = main();
