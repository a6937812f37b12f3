// The grammars and snippets are generated from the schema; this checks the committed files are
// current and that the grammars tokenize as asserted in test/grammar/*.test.c.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OUTPUTS, render, constantNames } from '../../../scripts/gen-syntax';
import { CONSTANTS } from '../../../server/src/schema';

const ROOT = path.resolve(__dirname, '../../..');

test('generated grammar and snippet files are up to date (npm run gen:syntax)', () => {
  for (const [rel, make] of OUTPUTS) assert.equal(readFileSync(path.join(ROOT, rel), 'utf8'), render(make), rel);
});

test('the grammar lists every schema constant', () => {
  const grammar = readFileSync(path.join(ROOT, 'syntaxes/jailhouse-cell.tmLanguage.json'), 'utf8');
  for (const k of CONSTANTS) assert.ok(grammar.includes(k.name), k.name);
  assert.equal(constantNames().length, new Set(CONSTANTS.map((c) => c.name)).size);
});

function grammarTest(grammar: string, file: string): void {
  const bin = path.join(ROOT, 'node_modules/vscode-tmgrammar-test/dist/unit.js');
  execFileSync(process.execPath, [bin, '-g', grammar, '-g', 'test/grammar/c-stub.tmLanguage.json', file], { cwd: ROOT, stdio: 'pipe' });
}

test('jailhouse-cell grammar: designators, region names, constants, not in comments or strings', () => {
  grammarTest('syntaxes/jailhouse-cell.tmLanguage.json', 'test/grammar/cell.test.c');
});

test('C injection grammar marks only JAILHOUSE_ constants', () => {
  grammarTest('syntaxes/jailhouse-constants.injection.tmLanguage.json', 'test/grammar/injection.test.c');
});
