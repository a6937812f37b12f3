// Sources `jhcell build` must refuse: test/fixtures/build/clean-cell.c with one defect each, one
// per engine code gcc -Werror rejects (binary/buildPolicy.ts GCC_VERDICTS). Written from the
// clean fixture at test time, so the defect is the only difference.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_FIXTURES = join(__dirname, '../fixtures/build');

/** Per code: what gcc says, and the edit of clean-cell.c that shows it. */
export const DEFECTS: Record<string, { gcc: string; edit: (text: string) => string }> = {
  syntax: { gcc: 'a missing comma: syntax error', edit: (s) => swap(s, '.name = "build-demo",', '.name = "build-demo"') },
  'unknown-field': { gcc: 'the struct has no such member', edit: (s) => swap(s, '.flags = JAILHOUSE_CELL_PASSIVE_COMMREG,', '.flgas = JAILHOUSE_CELL_PASSIVE_COMMREG,') },
  'duplicate-designator': { gcc: '-Woverride-init', edit: (s) => swap(s, '.vpci_irq_base = 100,', '.vpci_irq_base = 100,\n\t\t.vpci_irq_base = 101,') },
  'value-range': { gcc: '-Woverflow (a value wider than its 32-bit field)', edit: (s) => swap(s, '.vpci_irq_base = 100,', '.vpci_irq_base = 0x100000064,') },
  'unknown-macro': { gcc: 'undeclared identifier', edit: (s) => swap(s, 'JAILHOUSE_MEM_LOADABLE,', 'JAILHOUSE_MEM_LOADABEL,') },
  include: { gcc: 'no such file', edit: (s) => swap(s, '#include <jailhouse/cell-config.h>', '#include <jailhouse/cell-config.h>\n#include "build-demo-board.h"') },
};

function swap(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`clean-cell.c no longer holds '${from}': update test/support/buildDefects.ts`);
  return text.replace(from, to);
}

/** Writes `refuse-<code>.c` into `dir` and returns its path. */
export function writeDefect(dir: string, code: string): string {
  const defect = DEFECTS[code];
  if (!defect) throw new Error(`no defect source for ${code}: add one to test/support/buildDefects.ts`);
  const file = join(dir, `refuse-${code}.c`);
  writeFileSync(file, defect.edit(readFileSync(join(BUILD_FIXTURES, 'clean-cell.c'), 'utf8')));
  return file;
}
