// Built-in stand-ins for the few dt-bindings headers whose values the importer needs
// (interrupt specifiers and GPIO flags). Values are the device-tree binding ABI; any other
// dt-bindings header that is not found through -I is skipped with a warning, since its
// macros (clock ids, pin functions) only appear in properties the importer does not read.

export const BUILTIN_BINDINGS: Record<string, string> = {
  'dt-bindings/interrupt-controller/irq.h': [
    '#define IRQ_TYPE_NONE 0',
    '#define IRQ_TYPE_EDGE_RISING 1',
    '#define IRQ_TYPE_EDGE_FALLING 2',
    '#define IRQ_TYPE_EDGE_BOTH (IRQ_TYPE_EDGE_FALLING | IRQ_TYPE_EDGE_RISING)',
    '#define IRQ_TYPE_LEVEL_HIGH 4',
    '#define IRQ_TYPE_LEVEL_LOW 8',
  ].join('\n'),
  'dt-bindings/interrupt-controller/arm-gic.h': [
    '#include <dt-bindings/interrupt-controller/irq.h>',
    '#define GIC_SPI 0',
    '#define GIC_PPI 1',
    '#define GIC_CPU_MASK_RAW(x) ((x) << 8)',
    '#define GIC_CPU_MASK_SIMPLE(num) GIC_CPU_MASK_RAW((1 << (num)) - 1)',
  ].join('\n'),
  'dt-bindings/gpio/gpio.h': [
    '#define GPIO_ACTIVE_HIGH 0',
    '#define GPIO_ACTIVE_LOW 1',
    '#define GPIO_PUSH_PULL 0',
    '#define GPIO_SINGLE_ENDED 2',
    '#define GPIO_LINE_OPEN_SOURCE 0',
    '#define GPIO_LINE_OPEN_DRAIN 4',
    '#define GPIO_OPEN_DRAIN (GPIO_SINGLE_ENDED | GPIO_LINE_OPEN_DRAIN)',
    '#define GPIO_OPEN_SOURCE (GPIO_SINGLE_ENDED | GPIO_LINE_OPEN_SOURCE)',
    '#define GPIO_PERSISTENT 0',
    '#define GPIO_TRANSITORY 8',
    '#define GPIO_PULL_UP 16',
    '#define GPIO_PULL_DOWN 32',
  ].join('\n'),
};

/** Interrupt trigger names by the low four bits of a GIC specifier's flags cell. */
export const IRQ_TRIGGERS: Record<number, 'edge-rising' | 'edge-falling' | 'edge-both' | 'level-high' | 'level-low'> = {
  1: 'edge-rising',
  2: 'edge-falling',
  3: 'edge-both',
  4: 'level-high',
  8: 'level-low',
};
