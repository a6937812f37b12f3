// Content detection: a `.c` file is a Jailhouse configuration when it declares the wrapper
// header (`struct jailhouse_system header;` or `struct jailhouse_cell_desc cell;`). Only such
// files get diagnostics and answers; every other C file is left to the C tooling.
const HEADER = /\bstruct\s+jailhouse_(?:system|cell_desc)\s+[A-Za-z_]\w*\s*;/;
/** The header member always sits near the top; bounding the scan keeps detection O(1) per edit. */
const SCAN_LIMIT = 64 * 1024;

export function isJailhouseConfig(text: string): boolean {
  return HEADER.test(text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text);
}
