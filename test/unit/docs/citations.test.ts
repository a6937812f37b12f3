// The comments of the code cite docs/ for the facts they rely on; every citation must lead to a
// document of this repository and to a heading that exists in it, so a reader who follows one
// lands on the text meant. Links between the documents are held to the same standard.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, citationsIn, cComments, commentPlaces, headings, problems, repoDoc, scriptComments, slug } from './citations';

describe('docs cited by the code', () => {
  const places = commentPlaces();
  const readDoc = repoDoc();

  it('every docs/ citation in a comment names an existing file and heading, and none points outside the repository', () => {
    const found = places.flatMap((p) => problems(p.text, readDoc).map((msg) => `${p.file}:${p.line}: ${msg}`));
    assert.deepEqual(found, []);
  });

  it('finds the citations it checks (the scan reads the code, not nothing)', () => {
    const cites = places.flatMap((p) => citationsIn(p.text).map((c) => ({ ...c, file: p.file, doc: c.file })));
    const bySection = cites.filter((c) => c.doc === 'docs/format.md' && c.sections?.length);
    assert.ok(bySection.length >= 20, `only ${bySection.length} comments cite docs/format.md by section`);
    const inRules = new Set(cites.filter((c) => c.doc === 'docs/format.md').map((c) => c.file.split('/').slice(0, 3).join('/')));
    assert.ok(inRules.has('server/src/rules'), 'the rules cite the format facts they check');
    assert.ok(cites.some((c) => c.doc === 'docs/model-json.md'), 'the JSON contract is cited');
  });

  it('docs/format.md numbers every section it is cited by, and each number once', () => {
    const numbers = headings(readDoc('docs/format.md')!).map((h) => /^(\d+(?:\.\d+)*) /.exec(h.text)?.[1]).filter((n): n is string => !!n);
    assert.deepEqual(numbers.filter((n, i) => numbers.indexOf(n) !== i), [], 'duplicate section numbers');
    for (const n of ['1.2', '1.3', '3.5', '3.6', '3.7', '4.3', '5.2', '5.3', '5.4', '5.4.3', '5.4.5', '5.5', '5.6', '5.7', '5.8', '5.12', '6.1', '6.2', '7']) {
      assert.ok(numbers.includes(n), `docs/format.md has section ${n}`);
    }
  });
});

describe('links between the docs', () => {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));

  for (const name of docs) {
    it(`docs/${name}: relative links reach a file, anchors a heading, § a section`, () => {
      const text = fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8');
      const bad: string[] = [];
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target)) continue; // http:, mailto:
        const [file, anchor] = target.split('#');
        const p = file ? path.resolve(ROOT, 'docs', file) : path.join(ROOT, 'docs', name);
        if (!fs.existsSync(p)) {
          bad.push(`${target}: no such file`);
          continue;
        }
        if (anchor !== undefined && p.endsWith('.md') && !headings(fs.readFileSync(p, 'utf8')).some((h) => h.anchor === anchor)) {
          bad.push(`${target}: no such heading`);
        }
      }
      // Inside a document, a bare section number (sign and `4.3`) means a section of that document.
      const own = headings(text);
      const outside = new Set(citationsIn(text).flatMap((c) => [...text.slice(c.start, c.end).matchAll(/§/g)].map((x) => c.start + x.index!)));
      for (const m of text.matchAll(/§(\d+(?:\.\d+)*)/g)) {
        if (!outside.has(m.index!) && !own.some((h) => h.text.startsWith(`${m[1]} `))) bad.push(`§${m[1]}: no such section`);
      }
      assert.deepEqual(bad, []);
    });
  }
});

describe('the citation checker', () => {
  const doc = '# Title\n\n## 5 Rules\n\n### 5.4 Memory regions\n\n#### 5.4.3 The `ROOTSHARED` flag\n\n```\n# not a heading\n```\n## Wrapper configs and findings\n';
  const readDoc = (f: string): string | undefined => (f === 'docs/x.md' ? doc : undefined);

  it('makes GitHub anchors of headings, code spans and punctuation removed, fences skipped', () => {
    assert.deepEqual(
      headings(doc).map((h) => h.anchor),
      ['title', '5-rules', '54-memory-regions', '543-the-rootshared-flag', 'wrapper-configs-and-findings'],
    );
    assert.equal(slug('3.5 `JAILHOUSE_SHMEM_NET_REGIONS(start, dev_id)`'), '35-jailhouse_shmem_net_regionsstart-dev_id');
    assert.deepEqual(headings('## a\n## a\n').map((h) => h.anchor), ['a', 'a-1']);
  });

  it('accepts citations that resolve', () => {
    for (const text of [
      '// docs/x.md §5.4: regions',
      '// (docs/x.md §5.4.3, §5.4; rule x)',
      '// docs/x.md §5-§5.4 and §5.4.3',
      '// docs/x.md#543-the-rootshared-flag',
      '// see docs/x.md "Wrapper configs"',
      '// the table of docs/x.md',
    ]) {
      assert.deepEqual(problems(text, readDoc), [], text);
    }
  });

  it('reports each kind of broken citation', () => {
    const cases: [string, RegExp][] = [
      ['// docs/x.md §5.9', /§5\.9: no such section/],
      ['// docs/x.md §5.4, §6', /§6: no such section/],
      ['// docs/x.md#memory', /#memory: no such heading/],
      ['// docs/x.md "Systems"', /"Systems": no such heading/],
      ['// docs/gone.md §1', /docs\/gone\.md does not exist/],
      ['// (format §5.4)', /§ without the document/],
      ['// see ../shared/notes.md', /outside the repository/],
      ['// rule M10 of the catalogue', /outside the repository/],
      ['// jailhouse-format.md §1.2', /outside the repository/],
    ];
    for (const [text, expected] of cases) {
      const found = problems(text, readDoc);
      assert.ok(found.some((m) => expected.test(m)), `${text}: ${JSON.stringify(found)}`);
    }
  });

  it('reads comments only: strings, templates and regular expressions are code', () => {
    const src = [
      "const a = '// docs/a.md §1'; // docs/b.md §2",
      'const b = `/* ${a} */ ${`// docs/c.md`}`; /* docs/d.md */',
      'const r = /\\/\\/ docs\\/e.md/g; const q = 4 / 2; // docs/f.md',
    ].join('\n');
    assert.deepEqual(scriptComments(src).map((c) => [c.text, c.line]), [['// docs/b.md §2', 1], ['/* docs/d.md */', 2], ['// docs/f.md', 3]]);
    assert.deepEqual(cComments('char *s = "/* no */"; /* yes */\n// too\n').map((c) => c.text), ['/* yes */', '// too']);
  });
});
