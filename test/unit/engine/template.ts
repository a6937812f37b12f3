// A small arm64 cell config with holes for the text a test is about, so that each test shows
// only the lines it varies.

export interface CellParts {
  /** Lines before the wrapper (defines, includes). */
  pre?: string;
  /** Extra member declarations after the standard ones. */
  members?: string;
  /** Extra fields of `.cell`. */
  cell?: string;
  /** The contents of `.mem_regions = { … }` (default: one RAM region). */
  mem?: string;
  /** Declared length of mem_regions (default 1). */
  memLength?: number;
  /** Declared length of irqchips (default 0: not declared). */
  irqLength?: number;
  /** The contents of `.irqchips = { … }`. */
  irq?: string;
  /** Declared length of pio_regions (default 1). */
  pioLength?: number;
  /** The contents of `.pio_regions = { … }` (default: one range). */
  pio?: string;
  /** The contents of `.pci_devices = { … }` (default: one empty device). */
  pci?: string;
  /** Extra top-level initializers (after `.pci_devices`). */
  tail?: string;
}

export const RAM = '{ .phys_start = 0x80000000, .virt_start = 0, .size = 0x100000, .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE, }';

export function cellSource(p: CellParts = {}): string {
  return `#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>
${p.pre ?? ''}
struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[${p.memLength ?? 1}];
${p.irqLength ? `\tstruct jailhouse_irqchip irqchips[${p.irqLength}];` : ''}
	struct jailhouse_pio pio_regions[${p.pioLength ?? 1}];
	struct jailhouse_pci_device pci_devices[1];
${p.members ?? ''}
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_ARM64,
		.name = "template",
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pio_regions = ARRAY_SIZE(config.pio_regions),
		.num_irqchips = ${p.irqLength ?? 0},
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
${p.cell ?? ''}
	},
	.cpus = { 0x2, },
	.mem_regions = {
${p.mem ?? RAM}
	},
${p.irqLength ? `\t.irqchips = {\n${p.irq ?? ''}\n\t},` : ''}
	.pio_regions = {
${p.pio ?? 'PIO_RANGE(0x3f8, 8),'}
	},
	.pci_devices = {
${p.pci ?? '{ .type = JAILHOUSE_PCI_TYPE_DEVICE, },'}
	},
${p.tail ?? ''}
};
`;
}
