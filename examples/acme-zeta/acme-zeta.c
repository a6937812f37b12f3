/*
 * Acme Zeta-8 (invented board): system configuration.
 * Quad Cortex-A53, GICv3, 1 GiB RAM at 0x40000000, PL011 UARTs at 0x0c010000/0x0c020000.
 */
#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[6];
	struct jailhouse_irqchip irqchips[2];
	struct jailhouse_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.architecture = JAILHOUSE_ARM64,
		.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,
		.hypervisor_memory = {
			.phys_start = 0x7fc00000,
			.size = 0x00400000,
		},
		.debug_console = {
			.address = 0x0c010000,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_PL011,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
		.platform_info = {
			.pci_mmconfig_base = 0x7f000000,	/* virtual host, bus 0 */
			.pci_mmconfig_end_bus = 0,
			.pci_is_virtual = 1,
			.pci_domain = -1,			/* let Linux choose */
			.arm = {
				.gic_version = 3,
				.gicd_base = 0x0a100000,
				.gicr_base = 0x0a140000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			.name = "Acme-Zeta-8",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			.vpci_irq_base = 136 - 32,
		},
	},

	.cpus = {
		0xf,				/* CPUs 0-3 */
	},

	.mem_regions = {
		/* ivshmem-net link, this side is peer 0 */
		JAILHOUSE_SHMEM_NET_REGIONS(0x7f800000, 0),
		/* Peripherals */ {
			.phys_start = 0x0c000000,
			.virt_start = 0x0c000000,
			.size = 0x00100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* RAM below the shared-memory/hypervisor carve-out */ {
			.phys_start = 0x40000000,
			.virt_start = 0x40000000,
			.size = 0x3f000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
	},

	.irqchips = {
		/* GIC, INTIDs 32..159 */ {
			.address = 0x0a100000,
			.pin_base = 32,
			.pin_bitmap = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
		},
		/* GIC, INTIDs 160..287 */ {
			.address = 0x0a100000,
			.pin_base = 160,
			.pin_bitmap = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
		},
	},

	.pci_devices = {
		/* 00:01.0 ivshmem-net */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 1 << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 0,
			.shmem_dev_id = 0,
			.shmem_peers = 2,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,
		},
	},
};
