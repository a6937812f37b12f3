// Which checks explain an errno the driver returns, where the rule's own description does not
// name it: docs/format.md §5 says where the hypervisor and driver refuse a config and with what
// (header and size, CPUs, memory regions, interrupt controllers, ivshmem links, IOMMUs, cache
// allocation). The descriptions that do name an errno (config-size: E2BIG, …) are read from
// the rules themselves.
export const ERRNO_RULES: Readonly<Record<string, readonly string[]>> = {
  E2BIG: ['config-size', 'vtd-interrupt-limit', 'memory-dma-width', 'irqchip-count'],
  EINVAL: ['count-mismatch', 'header', 'irqchip-pin-base', 'irqchip-address', 'comm-region', 'test-device', 'stream-id-conflict', 'iommu', 'gic-version', 'hypervisor-memory', 'cpu-not-in-root', 'ivshmem'],
  EBUSY: ['cpu-shared', 'memory-overlap-cells', 'pci-shared', 'ivshmem', 'cache-region'],
  ENOMEM: ['hypervisor-memory'],
};
