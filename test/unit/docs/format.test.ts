// docs/format.md restates two tables of the schema for readers (the order of the wrapper's arrays
// and the struct sizes); the schema is their home, and these tests keep the page in step with it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { WRAPPER_SECTIONS, struct } from '../../../server/src/schema';
import { ROOT, headings } from './citations';

const DOC = fs.readFileSync(path.join(ROOT, 'docs/format.md'), 'utf8');

/** The rows of the first table under the heading numbered `n`, cells trimmed, header dropped. */
function tableOf(n: string): string[][] {
  const h = headings(DOC).find((x) => x.text.startsWith(`${n} `));
  assert.ok(h, `docs/format.md has a section ${n}`);
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => /^#+\s/.test(l) && l.replace(/^#+\s+/, '').replace(/`/g, '').startsWith(`${n} `));
  const rows: string[][] = [];
  for (let i = start + 1; i < lines.length && !/^#+\s/.test(lines[i]); i++) {
    if (!lines[i].startsWith('|')) {
      if (rows.length) break;
      continue;
    }
    rows.push(lines[i].split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows.slice(2); // header and separator
}

const code = (cell: string): string => /`([^`]+)`/.exec(cell)?.[1] ?? cell;

describe('docs/format.md agrees with the schema', () => {
  it('§1.2: the wrapper arrays in image order, their element sizes and count fields', () => {
    const rows = tableOf('1.2');
    assert.deepEqual(rows.map((r) => code(r[1])), WRAPPER_SECTIONS.map((s) => s.member));
    WRAPPER_SECTIONS.forEach((s, i) => {
      const [, , elem, bytes, count] = rows[i];
      const size = s.elem === 'u64' ? 8 : struct(s.elem).size;
      assert.ok(code(elem).endsWith(s.elem), `${s.member}: element ${elem}`);
      assert.equal(Number(bytes), size, `${s.member}: ${bytes} bytes each`);
      assert.equal(code(count), s.count, `${s.member}: counted by ${count}`);
    });
  });

  it('§2.2: every struct size', () => {
    const rows = tableOf('2.2');
    assert.ok(rows.length >= 11, 'the table lists the structs');
    for (const [name, bytes] of rows) {
      const n = code(name);
      const s = (() => {
        try {
          return struct(n);
        } catch {
          return struct(`jailhouse_${n}`);
        }
      })();
      assert.equal(Number(bytes), s.size, `${n}: ${bytes} bytes`);
    }
  });
});
