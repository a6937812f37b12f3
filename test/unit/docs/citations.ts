// Finds what the code's comments cite in docs/ and whether it exists. A citation is
// `docs/<file>.md` followed by `#anchor`, by section numbers (a section sign and `5.4`, or a list
// such as `5.2, 5.8-5.12` with a sign before each) or by a quoted heading (`"Wrapper configs"`). Anchors follow GitHub's rule, so a cited anchor is one a
// reader can click on GitHub.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(__dirname, '../../..');

/** Folders that hold no source of ours: dependencies, build output, caches. */
const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', 'out', '.vscode-test', 'test-results', '.bench-cache', '.conformance-cache']);
const SCRIPT_EXT = /\.(ts|mts|cts|js|mjs|cjs)$/;
const C_EXT = /\.(c|h)$/;

export interface Heading {
  text: string;
  anchor: string;
}

/** GitHub's heading anchor: the rendered text lowercased, punctuation dropped, spaces to dashes. */
export function slug(heading: string): string {
  const text = heading.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The headings of a markdown text, outside fenced code; repeated anchors get GitHub's -1, -2. */
export function headings(markdown: string): Heading[] {
  const out: Heading[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({ text: m[1].replace(/`/g, ''), anchor: n ? `${base}-${n}` : base });
  }
  return out;
}

export interface Citation {
  file: string; // as written, e.g. docs/format.md
  anchor?: string;
  sections?: string[];
  title?: string;
  /** Where the citation's text ends in the comment (section signs up to here belong to it). */
  end: number;
  start: number;
}

const SECTION = String.raw`\d+(?:\.\d+)*`;
const SECTION_LIST = new RegExp(String.raw`^[ \t]*§[ \t]?(${SECTION})((?:[ \t]*(?:,|and|to|[-–])[ \t]*§?[ \t]?${SECTION})*)`);

/** Every docs/ citation in one piece of text. */
export function citationsIn(text: string): Citation[] {
  const out: Citation[] = [];
  const re = /(?:\.\.\/)*docs\/([\w.-]+?\.md)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const file = `docs/${m[1]}`;
    const rest = text.slice(re.lastIndex);
    const c: Citation = { file, start: m.index, end: re.lastIndex };
    const anchor = /^#([\w-]+)/.exec(rest);
    const list = SECTION_LIST.exec(rest);
    const title = /^[ \t]+"([^"\n]+)"/.exec(rest);
    if (anchor) {
      c.anchor = anchor[1];
      c.end += anchor[0].length;
    } else if (list) {
      c.sections = [list[1], ...[...list[2].matchAll(new RegExp(SECTION, 'g'))].map((x) => x[0])];
      c.end += list[0].length;
    } else if (title) {
      c.title = title[1];
      c.end += title[0].length;
    }
    out.push(c);
  }
  return out;
}

/** The comments of a TypeScript or JavaScript file, with the line each starts on. */
export function scriptComments(source: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  const lineOf = lineCounter(source);
  // Template literals and regular expressions need the scanner's help to be skipped correctly:
  // a `}` may resume a template, and a `/` after an operand divides, elsewhere it opens a regex.
  const templates: number[] = []; // open braces inside each template substitution
  const operandEnd = new Set([ts.SyntaxKind.Identifier, ts.SyntaxKind.NumericLiteral, ts.SyntaxKind.BigIntLiteral, ts.SyntaxKind.StringLiteral,
    ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.CloseBraceToken, ts.SyntaxKind.NoSubstitutionTemplateLiteral,
    ts.SyntaxKind.TemplateTail, ts.SyntaxKind.ThisKeyword, ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword,
    ts.SyntaxKind.RegularExpressionLiteral, ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken]);
  let last = ts.SyntaxKind.Unknown;
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
    if (t === ts.SyntaxKind.SingleLineCommentTrivia || t === ts.SyntaxKind.MultiLineCommentTrivia) {
      out.push({ text: scanner.getTokenText(), line: lineOf(scanner.getTokenStart()) });
      continue;
    }
    if (t === ts.SyntaxKind.WhitespaceTrivia || t === ts.SyntaxKind.NewLineTrivia) continue;
    if (t === ts.SyntaxKind.TemplateHead) templates.push(0);
    else if (t === ts.SyntaxKind.OpenBraceToken && templates.length) templates[templates.length - 1]++;
    else if (t === ts.SyntaxKind.CloseBraceToken && templates.length) {
      if (templates[templates.length - 1] === 0) {
        t = scanner.reScanTemplateToken(false);
        if (t === ts.SyntaxKind.TemplateTail) templates.pop();
      } else templates[templates.length - 1]--;
    } else if ((t === ts.SyntaxKind.SlashToken || t === ts.SyntaxKind.SlashEqualsToken) && !operandEnd.has(last)) {
      t = scanner.reScanSlashToken();
    }
    last = t;
  }
  return out;
}

/** The comments of a C file (configs have no string holding a comment opener). */
export function cComments(source: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lineOf = lineCounter(source);
  const re = /"(?:\\.|[^"\\\n])*"|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m[0][0] !== '"') out.push({ text: m[0], line: lineOf(m.index) });
  }
  return out;
}

/** Line number (1-based) of an offset, by binary search over the line starts. */
function lineCounter(source: string): (pos: number) => number {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

export interface Place {
  file: string; // relative to ROOT
  line: number;
  text: string;
}

/** Every comment of our code, and the prose of every markdown file outside docs/. */
export function commentPlaces(root = ROOT): Place[] {
  const out: Place[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(root, p).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && rel !== 'docs') walk(p);
        continue;
      }
      let text: string;
      try {
        text = fs.readFileSync(p, 'utf8');
      } catch {
        continue; // removed while we walked (another change in progress)
      }
      const comments = SCRIPT_EXT.test(e.name) && !e.name.endsWith('.d.ts') ? scriptComments(text) : C_EXT.test(e.name) ? cComments(text) : e.name.endsWith('.md') ? [{ text, line: 1 }] : [];
      for (const c of comments) out.push({ file: rel, line: c.line, text: c.text });
    }
  };
  walk(root);
  return out;
}

/** What is wrong with the citations of one piece of text, as messages; [] when all resolve. */
export function problems(text: string, readDoc: (file: string) => string | undefined): string[] {
  const out: string[] = [];
  const cites = citationsIn(text);
  for (const c of cites) {
    const doc = readDoc(c.file);
    if (doc === undefined) {
      out.push(`${c.file} does not exist`);
      continue;
    }
    const hs = headings(doc);
    if (c.anchor && !hs.some((h) => h.anchor === c.anchor)) out.push(`${c.file}#${c.anchor}: no such heading`);
    for (const s of c.sections ?? []) {
      if (!hs.some((h) => h.text.startsWith(`${s} `))) out.push(`${c.file} §${s}: no such section`);
    }
    if (c.title && !hs.some((h) => h.text.toLowerCase().startsWith(c.title!.toLowerCase()))) out.push(`${c.file} "${c.title}": no such heading`);
  }
  // A section sign outside a docs/ citation points at a document the reader cannot find.
  for (const m of text.matchAll(/§/g)) {
    if (!cites.some((c) => m.index! > c.start && m.index! < c.end)) out.push(`"${around(text, m.index!)}": § without the document it refers to`);
  }
  for (const m of text.matchAll(/jailhouse-format|\.\.\/shared\/|\/work\/shared|format reference|catalogue/gi)) {
    out.push(`"${around(text, m.index!)}": points outside the repository`);
  }
  return out;
}

function around(text: string, i: number): string {
  return text.slice(Math.max(0, i - 30), i + 30).replace(/\s+/g, ' ').trim();
}

/** Reads docs/<file>.md from the repository, undefined when it is not there. */
export function repoDoc(root = ROOT): (file: string) => string | undefined {
  return (file) => {
    const p = path.join(root, file);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
  };
}
