// The Jailhouse headers a config includes, modelled as C text that our own preprocessor reads.
// Integer constants come from the schema's constant table; the function-like and brace-list
// macros are written out here because their exact shape (which arguments are parenthesised)
// changes what a config means.
import { CONSTANTS, IVSHMEM_BAR_MASKS } from '../schema';

export const BUILTIN_PREFIX = '<builtin>/';

function constantLines(): string {
  return CONSTANTS.map((k) => `#define ${k.name} ${k.literal ?? k.value.toString()}`).join('\n');
}

const TYPES_H = `/* Jailhouse scalar types (built-in model). Type names are known to the parser. */
#ifndef _JAILHOUSE_TYPES_H
#define _JAILHOUSE_TYPES_H
#define NULL ((void *)0)
#define true 1
#define false 0
#endif
`;

const barMasks = Object.entries(IVSHMEM_BAR_MASKS)
  .map(([name, words]) => `#define ${name} { ${words.map((w) => `0x${w.toString(16).padStart(8, '0')}`).join(', ')}, }`)
  .join('\n');

// ARRAY_SIZE deliberately has no outer parentheses, as in the real header (docs/format.md §3.7).
const CELL_CONFIG_H = () => `/* Jailhouse cell configuration header (built-in model). */
#ifndef _JAILHOUSE_CELL_CONFIG_H
#define _JAILHOUSE_CELL_CONFIG_H
#include <jailhouse/console.h>
#include <jailhouse/pci_defs.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) sizeof(a) / sizeof(a[0])
#endif

#define JAILHOUSE_SYSTEM_SIGNATURE "JHSYS"
#define JAILHOUSE_CELL_DESC_SIGNATURE "JHCLL"

${constantLines()}

#define CELL_FLAGS_VIRTUAL_CONSOLE_ACTIVE(flags) !!((flags) & JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE)
#define CELL_FLAGS_VIRTUAL_CONSOLE_PERMITTED(flags) !!((flags) & JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED)
#define SYS_FLAGS_VIRTUAL_DEBUG_CONSOLE(flags) !!((flags) & JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE)

#define JAILHOUSE_SHMEM_NET_REGIONS(start, dev_id) \\
	{ .phys_start = start, .virt_start = start, .size = 0x1000, \\
	  .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED, }, \\
	{ 0 }, \\
	{ .phys_start = (start) + 0x1000, .virt_start = (start) + 0x1000, .size = 0x7f000, \\
	  .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED | ((dev_id == 0) ? JAILHOUSE_MEM_WRITE : 0), }, \\
	{ .phys_start = (start) + 0x80000, .virt_start = (start) + 0x80000, .size = 0x7f000, \\
	  .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED | ((dev_id == 1) ? JAILHOUSE_MEM_WRITE : 0), }

${barMasks}

#define PIO_RANGE(__base, __length) { .base = __base, .length = __length, }
#endif
`;

const CONSOLE_H = `/* Jailhouse console constants (built-in model; values live in cell-config.h's table). */
#define CON_IS_MMIO(flags) !!((flags) & JAILHOUSE_CON_ACCESS_MMIO)
#define CON_USES_REGDIST_1(flags) (((flags) & JAILHOUSE_CON_REGDIST_4) == 0)
#define FB_IS_1920x1080(flags) !!((flags) & JAILHOUSE_CON_FB_1920x1080)
#define CON_HAS_INVERTED_GATE(flags) !!((flags) & JAILHOUSE_CON_INVERTED_GATE)
#define CON_HAS_MDR_QUIRK(flags) !!((flags) & JAILHOUSE_CON_MDR_QUIRK)
`;

const EMPTY = '/* built-in model: nothing a config needs */\n';

let cache: Map<string, string> | undefined;

/** Header text by include spelling (`jailhouse/cell-config.h`). */
export function builtinHeader(spec: string): string | undefined {
  cache ??= new Map([
    ['jailhouse/types.h', TYPES_H],
    ['jailhouse/cell-config.h', CELL_CONFIG_H()],
    ['jailhouse/console.h', CONSOLE_H],
    ['jailhouse/pci_defs.h', EMPTY],
    ['asm/types.h', EMPTY],
    ['jailhouse/config.h', EMPTY],
  ]);
  return cache.get(spec);
}
