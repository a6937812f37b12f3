// Shared by the feature tests: analyse a fixture or an inline text into a feature Doc.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/engine/analyze';
import { Doc } from '../../../server/src/features/context';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/lsp/orbit');

export function docOf(text: string, file = '/virtual/cell.c'): Doc {
  return new Doc(analyze(file, text), text);
}

export function fixtureDoc(name: string): Doc {
  const file = path.join(FIXTURES, name);
  return docOf(readFileSync(file, 'utf8'), file);
}

/** Offset of `needle` (the nth occurrence) plus `delta`. */
export function at(text: string, needle: string, delta = 0, nth = 0): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`'${needle}' not in text`);
  }
  return i + delta;
}
