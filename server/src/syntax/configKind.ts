// The one answer to "is this C file a Jailhouse configuration, and which kind?" for every front
// end: the language server (which files get diagnostics and answers, what Check Workspace
// counts), workspace discovery (system or cell, for grouping), the CLI and the VS Code client.
//
// A config declares the header member of its wrapper struct (`struct jailhouse_system header;`
// or `struct jailhouse_cell_desc cell;`, README "How Jailhouse files are recognised"; the
// model's `kind` follows the same member, docs/model-json.md). A wrapper config declares none
// itself: it sets a macro and includes another config (`#define USE_AARCH32` +
// `#include "board-demo.c"`), so the answer follows `#include "….c"` a few levels.
//
// Cheap enough for every keystroke: only the first SCAN_LIMIT characters of each file are
// looked at, at most MAX_DEPTH included files deep and MAX_FILES included files in all.
import * as path from 'node:path';

export type ConfigKind = 'system' | 'cell';

/** Reads a file's text (editor buffer or disk); undefined when it cannot be read. */
export type ReadText = (file: string) => string | undefined;

export interface ConfigDetection {
  kind?: ConfigKind;
  /** Offsets in the file's own text of what decided: its header member, or for a wrapper the `#include` that leads to one. */
  at?: { start: number; end: number };
  /** For a wrapper: the included files down to the one declaring the header member, outermost first. */
  via: string[];
  /** Every included file looked at (read or not): a cached answer is stale once one of them changes. */
  consulted: string[];
  /**
   * Why the kind cannot be told: an included `.c` file cannot be read or closes a cycle (the
   * engine reports both as `include` errors, so front ends check such a file anyway), or the
   * includes nest deeper than MAX_DEPTH (checked as a cell: see checkedKind).
   */
  undecided?: string;
}

/** The header member sits near the top of every config; a bounded scan keeps this O(1) per edit. */
export const SCAN_LIMIT = 64 * 1024;
/** Wrapper of a wrapper of … a config: upstream has one level; deeper chains are undecided. */
export const MAX_DEPTH = 4;
/** Included files read per detection (a wrapper needs one; a C file including many is no wrapper). */
const MAX_FILES = 16;

const HEADER_MEMBER = /\bstruct\s+jailhouse_(system|cell_desc)\s+[A-Za-z_]\w*\s*;/;
const C_INCLUDE = /^[ \t]*#[ \t]*include[ \t]*"([^"\n]+\.c)"/gm;
const HAS_C_INCLUDE = new RegExp(C_INCLUDE.source, 'm');
/** Comments are blanked before matching so that nothing commented out counts; string and character literals are matched only to be skipped (a `//` inside them starts no comment). */
const COMMENT_OR_LITERAL = /\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/g;

/**
 * The scanned window with comments replaced by spaces (offsets unchanged). Most C files hold
 * neither a header member nor a `.c` include at all: those skip the blanking.
 */
function codeOnly(text: string): string {
  const window = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
  if (!HEADER_MEMBER.test(window) && !HAS_C_INCLUDE.test(window)) return '';
  return window.replace(COMMENT_OR_LITERAL, (m) => (m[0] === '/' ? ' '.repeat(m.length) : m));
}

function headerIn(code: string): { kind: ConfigKind; at: { start: number; end: number } } | undefined {
  const m = HEADER_MEMBER.exec(code);
  if (!m) return undefined;
  return { kind: m[1] === 'system' ? 'system' : 'cell', at: { start: m.index, end: m.index + m[0].length } };
}

/** The kind a file declares itself (no includes followed), with where its header member is. */
export function ownConfigKind(text: string): { kind: ConfigKind; at: { start: number; end: number } } | undefined {
  return headerIn(codeOnly(text));
}

/**
 * What `file` (with text `text`) is. `read` gives the text of included files (relative to the
 * including file, as the compiler finds a quoted include). Never throws.
 */
export function detectConfig(file: string, text: string, read: ReadText): ConfigDetection {
  const abs = path.resolve(file);
  const consulted: string[] = [];
  return { ...detect(abs, text, read, [abs], consulted), consulted };
}

type Found = Omit<ConfigDetection, 'consulted'>;

function detect(file: string, text: string, read: ReadText, chain: string[], consulted: string[]): Found {
  const code = codeOnly(text);
  const own = headerIn(code);
  if (own) return { ...own, via: [] };
  let undecided: string | undefined;
  for (const m of code.matchAll(C_INCLUDE)) {
    if (consulted.length >= MAX_FILES) return { via: [] };
    const spec = m[1];
    const start = (m.index ?? 0) + m[0].lastIndexOf(`"${spec}"`);
    const at = { start, end: start + spec.length + 2 };
    const target = path.resolve(path.dirname(file), spec);
    let sub: Found;
    if (chain.includes(target)) sub = { via: [], undecided: `#include "${spec}" closes a cycle: ${[...chain, target].map((f) => path.basename(f)).join(' → ')}` };
    else if (chain.length > MAX_DEPTH) sub = { via: [], undecided: `#include "….c" nests more than ${MAX_DEPTH} levels deep` };
    else {
      consulted.push(target);
      let t: string | undefined;
      try {
        t = read(target);
      } catch {
        t = undefined;
      }
      sub = t === undefined ? { via: [], undecided: `the included "${spec}" cannot be read` } : detect(target, t, read, [...chain, target], consulted);
    }
    if (sub.kind) return { kind: sub.kind, at, via: [target, ...sub.via] };
    undecided ??= sub.undecided;
  }
  return undecided ? { via: [], undecided } : { via: [] };
}

/**
 * The kind a file is checked as: undecided files count as cells (grouped, analysed and
 * reported like one), so the engine's diagnostic on their `#include` says what is wrong.
 */
export function checkedKind(d: ConfigDetection): ConfigKind | undefined {
  return d.kind ?? (d.undecided !== undefined ? 'cell' : undefined);
}

/** Whether front ends treat the file as a config: it is one, or it cannot be told (see `undecided`). */
export function treatAsConfig(d: ConfigDetection): boolean {
  return checkedKind(d) !== undefined;
}

/**
 * Looser than detectConfig, for the engine alone: a file that names the Jailhouse config types
 * or includes their header, so a missing config object is reported rather than passed over.
 */
export function looksLikeJailhouseConfig(text: string): boolean {
  return /\bjailhouse_(system|cell_desc)\b|<jailhouse\/cell-config\.h>/.test(text);
}
