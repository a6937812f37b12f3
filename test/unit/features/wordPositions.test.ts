// Position features answer the same at every character of a word. An editor asks at wherever the
// cursor stands: Neovim's `K` after a `w` motion lands on a word's first character, right after the
// `.` of a designator, where hover used to answer nothing. So hover, go to definition and the
// completion context are asked at every offset of every identifier and number of every fixture
// config, and at the offset just after each word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/engine/analyze';
import { Doc } from '../../../server/src/features/context';
import { cursorContext, tokenAt, tokensOf } from '../../../server/src/features/cursor';
import { definition } from '../../../server/src/features/definition';
import { hover } from '../../../server/src/features/hover';
import { TK, type Token } from '../../../server/src/syntax/lexer';
import { cursorIn, cursors } from '../../support/cursor';
import { docOf } from './helpers';

const FIXTURE_ROOT = path.resolve(__dirname, '../../fixtures');
// Every fixture folder, so configs added later are covered too.
const FIXTURE_DIRS = readdirSync(FIXTURE_ROOT).filter((d) => statSync(path.join(FIXTURE_ROOT, d)).isDirectory()).sort();

function cFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) cFiles(p, out);
    else if (name.endsWith('.c')) out.push(p);
  }
  return out;
}

/** The fixture files of one folder that analyse as a config (a model comes out). */
function configDocs(dir: string): Doc[] {
  const out: Doc[] = [];
  for (const file of cFiles(path.join(FIXTURE_ROOT, dir))) {
    const text = readFileSync(file, 'utf8');
    const analysis = analyze(file, text);
    if (analysis.model) out.push(new Doc(analysis, text));
  }
  return out;
}

/** Everything the completion list is built from, as one comparable string. */
function contextKey(doc: Doc, offset: number): string {
  const c = cursorContext(doc.text, offset, doc.tokens);
  return JSON.stringify({
    frame: c.frame,
    path: c.path,
    structName: c.structName,
    given: [...c.given].sort(),
    valueField: c.valueField && `${c.valueField.structName}.${c.valueField.field.name}`,
    inIntArray: c.inIntArray,
    wrapper: c.wrapper.map((w) => w.name),
    wordStart: c.wordStart,
    afterDot: c.afterDot,
  });
}

const FEATURES = ['hover', 'definition', 'context'] as const;
type Answers = Record<(typeof FEATURES)[number], string>;

function answers(doc: Doc, offset: number): Answers {
  const h = hover(doc, offset);
  return { hover: h ? JSON.stringify(h) : '', definition: JSON.stringify(definition(doc, offset)), context: contextKey(doc, offset) };
}

function isWord(t: Token): boolean {
  return t.kind === TK.Ident || t.kind === TK.Number;
}

function where(doc: Doc, tok: Token, offset: number): string {
  const line = doc.text.slice(0, offset).split('\n').length;
  return `${path.relative(FIXTURE_ROOT, doc.file)}:${line} '${tok.text}' +${offset - tok.start}`;
}

const swept = { configs: 0, words: 0, hoveredDesignators: 0 };

// The last character is inside the word whichever way a boundary is read: it is the reference.
// The offset just after a word is checked too, unless another word starts there (C never puts
// one there; punctuation may, and a word beats it).
for (const dir of FIXTURE_DIRS) {
  test(`fixtures/${dir}: every character of every identifier and number, and the offset just after it, get the same hover, definition and completion context`, (t) => {
    const docs = configDocs(dir);
    if (!docs.length) return t.skip(`no file under fixtures/${dir} analyses as a config`);
    swept.configs += docs.length;
    const inside: string[] = [];
    const after: string[] = [];
    let words = 0;
    for (const doc of docs) {
      const toks = doc.tokens;
      for (let i = 0; i < toks.length; i++) {
        const tok = toks[i];
        if (!isWord(tok)) continue;
        words++;
        const ref = answers(doc, tok.end - 1);
        if (ref.hover && toks[i - 1]?.text === '.') swept.hoveredDesignators++;
        for (let o = tok.start; o < tok.end - 1; o++) {
          const here = answers(doc, o);
          for (const k of FEATURES) if (here[k] !== ref[k]) inside.push(`${where(doc, tok, o)}: ${k}${here[k] ? '' : ' (none)'}`);
        }
        const next = toks[i + 1];
        if (next && next.start === tok.end && next.kind !== TK.Punct && next.kind !== TK.EOF) continue;
        if (tokenAt(toks, tok.end) !== tok) after.push(`${where(doc, tok, tok.end)}: token`);
        const end = answers(doc, tok.end);
        for (const k of FEATURES) if (end[k] !== ref[k]) after.push(`${where(doc, tok, tok.end)}: ${k}`);
      }
    }
    swept.words += words;
    assert.deepEqual(inside.slice(0, 15), [], `${inside.length} positions inside ${words} words disagree with the word's last character`);
    assert.deepEqual(after.slice(0, 15), [], `${after.length} word ends disagree with the word's last character`);
  });
}

test('the sweep above saw the fixture configs, their words, and designator names that hover', () => {
  assert.ok(swept.configs >= 100, `${swept.configs} fixture configs`);
  assert.ok(swept.words >= 10000, `${swept.words} words`);
  assert.ok(swept.hoveredDesignators >= 1000, `${swept.hoveredDesignators} designator names with a hover`);
});

test('tokenAt: the first character of a designator name is on the name, wherever a search would land', () => {
  // Vary what precedes so a bisection meets the `.` on some of these and the name on others.
  for (let n = 0; n < 24; n++) {
    const text = `${'a, '.repeat(n)}.phys_start = 0x10;`;
    const toks = tokensOf(text);
    const name = text.indexOf('phys_start');
    for (let o = name; o <= name + 'phys_start'.length; o++) assert.equal(tokenAt(toks, o)?.text, 'phys_start', `n=${n} offset ${o}`);
    assert.equal(tokenAt(toks, name - 1)?.text, '.', `n=${n}: on the dot itself`);
  }
});

test('tokenAt: words win over touching punctuation; blanks, comments and the end of the text are on nothing', () => {
  const { text, offsets: [afterA, beforeB, paren, num, numEnd, afterParen, blank, comment] } = cursors('a$0+$1b $2($30x10$4)$5 $6/* $7c */ x');
  const toks = tokensOf(text);
  assert.equal(tokenAt(toks, afterA)?.text, 'a', 'a|+b: just after a');
  assert.equal(tokenAt(toks, beforeB)?.text, 'b', 'a+|b');
  assert.equal(tokenAt(toks, paren)?.text, '(', 'on ( with nothing before it');
  assert.equal(tokenAt(toks, num)?.text, '0x10', '(|0x10');
  assert.equal(tokenAt(toks, numEnd)?.text, '0x10', '0x10|)');
  assert.equal(tokenAt(toks, afterParen)?.text, ')', '(0x10)| before a blank: just after )');
  assert.equal(tokenAt(toks, blank), undefined, 'in the blank before a comment');
  assert.equal(tokenAt(toks, comment), undefined, 'inside a comment');
  assert.equal(tokenAt(toks, text.length)?.text, 'x', 'end of text right after a word');
  assert.equal(tokenAt(tokensOf('x '), 2), undefined, 'end of text after a blank');
  assert.equal(tokenAt(tokensOf(''), 0), undefined, 'empty text');
});

test('hover on the first character of a designator name, of a number after `(`, and of a constant after `|`', () => {
  const doc = docOf(`#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.name = "w",
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
	},
	.cpus = { (0x2) },
	.mem_regions = {
		{ .phys_start = 0x1000, .virt_start = 0, .size = 0x1000,
		  .flags = JAILHOUSE_MEM_READ|JAILHOUSE_MEM_WRITE, },
	},
};
`);
  const t = doc.text;
  assert.match(hover(doc, cursorIn(t, '{ .$0phys_start'))?.markdown ?? '', /\*\*phys_start\*\* `__u64`[\s\S]*Value: `0x1000`/);
  assert.match(hover(doc, cursorIn(t, '.$0size'))?.markdown ?? '', /\*\*size\*\*/);
  assert.match(hover(doc, cursorIn(t, '($00x2)'))?.markdown ?? '', /CPUs: 1/);
  assert.match(hover(doc, cursorIn(t, '|$0JAILHOUSE_MEM_WRITE'))?.markdown ?? '', /\*\*JAILHOUSE_MEM_WRITE\*\*/);
});
