// Words for a device a cell author recognises: its kind from the node name, and the public
// reference manual of ARM IP blocks.
import { baseName, type DtNode } from './tree';

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
