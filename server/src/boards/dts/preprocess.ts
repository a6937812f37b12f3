// The C preprocessor as dtc uses it (`cpp -x assembler-with-cpp`): #include/#define/#if…
// plus dtc's own `/include/`. Lines starting with `#` that are not directives
// (`#address-cells = <1>;`) are device-tree text. Output keeps a map back to the sources so
// every later error names file:line.
//
// This is separate from the engine's C preprocessor on purpose: DTS needs the
// assembler-with-cpp treatment of unknown `#` lines, dtc's `/include/`, and text output
// (the DTS lexer is context sensitive, e.g. `cpu@0` vs `(32-1)`), none of which a C token
// stream gives.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { BUILTIN_BINDINGS } from './bindings';
import { lineColOf, type DtsDiag } from './diag';
import { ExprError, evalExpr, tokenizeExpr } from './expr';

export interface PpOptions {
  includeDirs?: string[];
  /** Reads a file; default: the disk (files above 8 MiB are refused). */
  readFile?: (path: string) => string | undefined;
  defines?: Record<string, string>;
}

export interface Segment {
  /** Offset in the output where this piece starts. */
  out: number;
  file: string;
  src: number;
  /** false: macro expansion text; every offset in it maps to the invocation. */
  exact: boolean;
}

export interface PpResult {
  text: string;
  segments: Segment[];
  files: Map<string, string>;
  diags: DtsDiag[];
}

interface Macro {
  params?: string[];
  variadic?: boolean;
  /** The last parameter takes the variadic rest (GNU `x...`). */
  namedRest?: boolean;
  body: string;
}

const MAX_INCLUDE_DEPTH = 40;
const MAX_OUTPUT = 32 * 1024 * 1024;
const MAX_FILE = 8 * 1024 * 1024;
const DIRECTIVES = new Set(['include', 'define', 'undef', 'ifdef', 'ifndef', 'if', 'elif', 'else', 'endif', 'error', 'warning', 'pragma', 'line', 'include_next']);

export function defaultReadFile(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_FILE) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Replaces comments by spaces (newlines kept) so offsets stay valid. */
export function blankComments(text: string): string {
  const out = text.split('');
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let k = i; k < stop; k++) if (out[k] !== '\n') out[k] = ' ';
      i = stop;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') out[i++] = ' ';
    } else i++;
  }
  return out.join('');
}

const IDENT = /[A-Za-z_]\w*/y;
const PPNUM = /\.?[0-9](?:[eEpP][+-]|[\w.])*/y;

export function preprocess(mainPath: string, mainText: string, opts: PpOptions = {}): PpResult {
  const readFile = opts.readFile ?? defaultReadFile;
  const includeDirs = opts.includeDirs ?? [];
  const macros = new Map<string, Macro>();
  const files = new Map<string, string>();
  const diags: DtsDiag[] = [];
  const segments: Segment[] = [];
  const chunks: string[] = [];
  let outLen = 0;
  let overflow = false;

  for (const [k, v] of Object.entries(opts.defines ?? {})) macros.set(k, { body: v });

  const stack: string[] = [];
  const reported = new Set<string>();
  const report = (severity: DtsDiag['severity'], file: string, offset: number, message: string) => {
    const text = files.get(file) ?? '';
    const d: DtsDiag = { severity, file, ...lineColOf(text, offset), message };
    const key = `${d.file}:${d.line}:${d.column}:${d.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    diags.push(d);
  };

  const emit = (text: string, file: string, src: number, exact: boolean) => {
    if (!text || overflow) return;
    if (outLen + text.length > MAX_OUTPUT) {
      overflow = true;
      report('error', file, src, 'preprocessed output exceeds 32 MiB; stopped');
      return;
    }
    const last = segments[segments.length - 1];
    if (!(last && exact && last.exact && last.file === file && last.src + (outLen - last.out) === src)) segments.push({ out: outLen, file, src, exact });
    chunks.push(text);
    outLen += text.length;
  };

  // ---- macro expansion -------------------------------------------------------------
  class ExpandError extends Error {}

  /** Reads a parenthesised argument list starting at text[i] === '('. */
  const readArgs = (text: string, i: number): { args: string[]; end: number } | undefined => {
    let depth = 0;
    const args: string[] = [];
    let start = i + 1;
    for (let k = i; k < text.length; k++) {
      const ch = text[k];
      if (ch === '"' || ch === "'") {
        const q = ch;
        k++;
        while (k < text.length && text[k] !== q) k += text[k] === '\\' ? 2 : 1;
        continue;
      }
      if (ch === '(') depth++;
      else if (ch === ')') {
        depth--;
        if (depth === 0) {
          args.push(text.slice(start, k));
          return { args, end: k + 1 };
        }
      } else if (ch === ',' && depth === 1) {
        args.push(text.slice(start, k));
        start = k + 1;
      }
    }
    return undefined;
  };

  const substitute = (m: Macro, rawArgs: string[], hide: Set<string>): string => {
    const params = m.params ?? [];
    const argOf = (name: string): string | undefined => {
      if (m.variadic && !m.namedRest && name === '__VA_ARGS__') return rawArgs.slice(params.length).join(',');
      const idx = params.indexOf(name);
      if (m.namedRest && idx === params.length - 1) return rawArgs.slice(idx).join(',').trim();
      return idx >= 0 ? (rawArgs[idx] ?? '').trim() : undefined;
    };
    const body = m.body;
    let out = '';
    let i = 0;
    // Pieces adjacent to ## use the raw argument; others the fully expanded one.
    while (i < body.length) {
      if (body[i] === '#' && body[i + 1] === '#') {
        out = out.replace(/\s+$/, '');
        i += 2;
        while (i < body.length && /\s/.test(body[i])) i++;
        IDENT.lastIndex = i;
        const id = IDENT.exec(body);
        if (id) {
          const a = argOf(id[0]);
          out += a ?? id[0];
          i += id[0].length;
        }
        continue;
      }
      if (body[i] === '#') {
        let k = i + 1;
        while (k < body.length && /\s/.test(body[k])) k++;
        IDENT.lastIndex = k;
        const id = IDENT.exec(body);
        const a = id ? argOf(id[0]) : undefined;
        if (id && a !== undefined) {
          out += JSON.stringify(a);
          i = k + id[0].length;
          continue;
        }
      }
      IDENT.lastIndex = i;
      const id = IDENT.exec(body);
      if (id) {
        const a = argOf(id[0]);
        if (a === undefined) out += id[0];
        else {
          let k = i + id[0].length;
          while (k < body.length && /\s/.test(body[k])) k++;
          out += body.startsWith('##', k) ? a : rescan(a, hide);
        }
        i += id[0].length;
        continue;
      }
      out += body[i++];
    }
    return out;
  };

  /** Expands every macro in `text`; names in `hide` are not expanded again (C rescanning). */
  const rescan = (text: string, hide: Set<string>, depth = 0): string => {
    if (depth > 200) throw new ExpandError('macro expansion nests too deeply');
    let out = '';
    let i = 0;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        let k = i + 1;
        while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
        out += text.slice(i, k + 1);
        i = k + 1;
        continue;
      }
      PPNUM.lastIndex = i;
      const num = /[0-9.]/.test(ch) ? PPNUM.exec(text) : null;
      if (num) {
        out += num[0];
        i += num[0].length;
        continue;
      }
      IDENT.lastIndex = i;
      const id = /[A-Za-z_]/.test(ch) ? IDENT.exec(text) : null;
      if (!id) {
        out += ch;
        i++;
        continue;
      }
      const name = id[0];
      const m = macros.get(name);
      i += name.length;
      if (!m || hide.has(name)) {
        out += name;
        continue;
      }
      const inner = new Set(hide).add(name);
      if (m.params === undefined) {
        out += rescan(m.body, inner, depth + 1);
      } else {
        let k = i;
        while (k < text.length && /\s/.test(text[k])) k++;
        if (text[k] !== '(') {
          out += name;
          continue;
        }
        const call = readArgs(text, k);
        if (!call) throw new ExpandError(`unterminated argument list of macro ${name}`);
        out += rescan(substitute(m, call.args, hide), inner, depth + 1);
        i = call.end;
      }
      if (out.length > 1024 * 1024) throw new ExpandError('macro expansion too large');
    }
    return out;
  };

  /** The line calls a function-like macro whose argument list is not closed on it. */
  const openMacroCall = (line: string): boolean => {
    if (!line.includes('(')) return false;
    const re = /[A-Za-z_]\w*/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (macros.get(m[0])?.params === undefined) continue;
      let k = m.index + m[0].length;
      while (k < line.length && /\s/.test(line[k])) k++;
      if (line[k] !== '(') continue;
      let depth = 0;
      for (; k < line.length; k++) {
        if (line[k] === '(') depth++;
        else if (line[k] === ')' && --depth === 0) break;
      }
      if (depth > 0) return true;
    }
    return false;
  };

  /** Expands one text line, emitting exact pieces where no macro was involved. */
  const emitLine = (line: string, file: string, src: number) => {
    let i = 0;
    let plainStart = 0;
    const flush = (end: number) => {
      if (end > plainStart) emit(line.slice(plainStart, end), file, src + plainStart, true);
    };
    while (i < line.length) {
      const ch = line[i];
      if (ch === '"') {
        let k = i + 1;
        while (k < line.length && line[k] !== '"') k += line[k] === '\\' ? 2 : 1;
        i = k + 1;
        continue;
      }
      PPNUM.lastIndex = i;
      const num = /[0-9]/.test(ch) ? PPNUM.exec(line) : null;
      if (num) {
        i += num[0].length;
        continue;
      }
      IDENT.lastIndex = i;
      const id = /[A-Za-z_]/.test(ch) ? IDENT.exec(line) : null;
      if (!id) {
        i++;
        continue;
      }
      const m = macros.get(id[0]);
      if (!m) {
        i += id[0].length;
        continue;
      }
      const start = i;
      let end = i + id[0].length;
      let expansion: string;
      try {
        if (m.params === undefined) expansion = rescan(m.body, new Set([id[0]]));
        else {
          let k = end;
          while (k < line.length && /\s/.test(line[k])) k++;
          if (line[k] !== '(') {
            i = end;
            continue;
          }
          const call = readArgs(line, k);
          if (!call) throw new ExpandError(`unterminated argument list of macro ${id[0]}`);
          expansion = rescan(substitute(m, call.args, new Set()), new Set([id[0]]));
          end = call.end;
        }
      } catch (e) {
        if (!(e instanceof ExpandError)) throw e;
        report('error', file, src + start, e.message);
        expansion = '';
      }
      flush(start);
      // No padding: cpp's output keeps `&LABEL_MACRO` and `pmic@SID_MACRO` glued, and dtc relies on it.
      emit(expansion, file, src + start, false);
      i = end;
      plainStart = end;
    }
    flush(line.length);
  };

  // ---- files and directives ----------------------------------------------------------
  const findInclude = (spec: string, angled: boolean, from: string): { path: string; text: string } | undefined => {
    const dirs = angled ? includeDirs : [dirname(from), ...includeDirs];
    for (const d of dirs) {
      const p = isAbsolute(spec) ? spec : resolve(d, spec);
      const t = readFile(p);
      if (t !== undefined) return { path: p, text: t };
    }
    const builtin = BUILTIN_BINDINGS[spec];
    if (builtin !== undefined) return { path: `<builtin>/${spec}`, text: builtin };
    return undefined;
  };

  const include = (spec: string, angled: boolean, file: string, offset: number, depth: number) => {
    if (depth >= MAX_INCLUDE_DEPTH) {
      report('error', file, offset, `#include nested more than ${MAX_INCLUDE_DEPTH} levels deep (include loop?)`);
      return;
    }
    const found = findInclude(spec, angled, file);
    if (found && stack.includes(found.path)) {
      report('error', file, offset, `include loop: ${[...stack.slice(stack.indexOf(found.path)), found.path].map((p) => p.split('/').pop()).join(' → ')}`);
      return;
    }
    if (!found) {
      if (spec.startsWith('dt-bindings/')) report('warning', file, offset, `${spec} not found (add its directory with -I); its macros stay unexpanded`);
      else report('error', file, offset, `cannot find include file "${spec}"`);
      return;
    }
    processFile(found.path, found.text, depth + 1);
  };

  const evalIf = (expr: string, file: string, offset: number): boolean => {
    try {
      const withDefined = expr.replace(/\bdefined\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))/g, (_m, a, b) => (macros.has(a ?? b) ? ' 1 ' : ' 0 '));
      const toks = tokenizeExpr(rescan(withDefined, new Set()));
      const r = evalExpr(toks, () => 0n);
      if (r.end !== toks.length) throw new ExprError('extra tokens after the expression');
      return r.value !== 0n;
    } catch (e) {
      if (!(e instanceof ExprError) && !(e instanceof ExpandError)) throw e;
      report('error', file, offset, `cannot evaluate #if: ${e.message}`);
      return false;
    }
  };

  const define = (rest: string, file: string, offset: number) => {
    const m = /^\s*([A-Za-z_]\w*)(\(([^)]*)\))?\s*([\s\S]*)$/.exec(rest);
    if (!m) {
      report('error', file, offset, '#define needs a macro name');
      return;
    }
    const macro: Macro = { body: m[4].replace(/\\\n/g, ' ').trim() };
    if (m[2] !== undefined) {
      const params = m[3].split(',').map((p) => p.trim()).filter((p) => p.length > 0);
      const last = params[params.length - 1];
      if (last === '...') {
        params.pop();
        macro.variadic = true;
      } else if (last?.endsWith('...')) {
        // GNU named variadic parameter: `x...` collects the rest of the arguments as `x`.
        params[params.length - 1] = last.slice(0, -3).trim();
        macro.variadic = true;
        macro.namedRest = true;
      }
      if (params.some((p) => !/^[A-Za-z_]\w*$/.test(p))) {
        report('error', file, offset, `bad parameter list in #define ${m[1]}`);
        return;
      }
      macro.params = params;
    }
    macros.set(m[1], macro);
  };

  function processFile(path: string, text: string, depth: number) {
    files.set(path, text);
    stack.push(path);
    try {
      processLines(path, text, depth);
    } finally {
      stack.pop();
    }
  }

  function processLines(path: string, text: string, depth: number) {
    const clean = blankComments(text);
    interface Cond { active: boolean; taken: boolean; sawElse: boolean; offset: number }
    const conds: Cond[] = [];
    const active = () => conds.every((c) => c.active);
    let pos = 0;
    while (pos < clean.length && !overflow) {
      // One logical line (backslash-newline joins lines).
      let end = pos;
      let logical = '';
      let joins = 0;
      for (;;) {
        const nl = clean.indexOf('\n', end);
        const lineEnd = nl < 0 ? clean.length : nl;
        const piece = clean.slice(end, lineEnd);
        if (piece.endsWith('\\') && nl >= 0) {
          logical += piece.slice(0, -1) + ' ';
          end = nl + 1;
          continue;
        }
        logical += piece;
        end = nl < 0 ? clean.length : nl + 1;
        // A macro call whose arguments go on over the next lines (`PDO_FIXED(5000, 2000,⏎ …)`)
        // is expanded as one line; the newline becomes a space, so offsets stay exact.
        if (nl >= 0 && joins < 64 && !/^\s*#/.test(logical) && openMacroCall(logical)) {
          logical += ' ';
          joins++;
          continue;
        }
        break;
      }
      const lineStart = pos;
      const consumed = clean.slice(pos, end);
      // Newlines to emit for this logical line, so the output keeps the source's line count.
      const physicalLines = consumed.split('\n').length - 1;
      const joined = consumed.replace(/\n$/, '').includes('\n');
      pos = end;
      const d = /^\s*#\s*([A-Za-z_]+)\b([\s\S]*)$/.exec(logical);
      if (d && DIRECTIVES.has(d[1])) {
        const [, name, rest] = d;
        const top = conds[conds.length - 1];
        switch (name) {
          case 'ifdef':
          case 'ifndef': {
            const id = /^\s*([A-Za-z_]\w*)/.exec(rest)?.[1];
            const v = active() && (id !== undefined && macros.has(id)) === (name === 'ifdef');
            conds.push({ active: v, taken: v, sawElse: false, offset: lineStart });
            break;
          }
          case 'if': {
            const v = active() && evalIf(rest, path, lineStart);
            conds.push({ active: v, taken: v, sawElse: false, offset: lineStart });
            break;
          }
          case 'elif':
            if (!top || top.sawElse) report('error', path, lineStart, '#elif without #if');
            else {
              const outer = conds.slice(0, -1).every((c) => c.active);
              const v = outer && !top.taken && evalIf(rest, path, lineStart);
              top.active = v;
              top.taken ||= v;
            }
            break;
          case 'else':
            if (!top || top.sawElse) report('error', path, lineStart, '#else without #if');
            else {
              top.active = !top.taken;
              top.taken = true;
              top.sawElse = true;
            }
            break;
          case 'endif':
            if (!top) report('error', path, lineStart, '#endif without #if');
            else conds.pop();
            break;
          default:
            if (!active()) break;
            if (name === 'define') define(rest, path, lineStart);
            else if (name === 'undef') {
              const id = /^\s*([A-Za-z_]\w*)/.exec(rest)?.[1];
              if (id) macros.delete(id);
            } else if (name === 'include' || name === 'include_next') {
              let spec = /^\s*(?:"([^"]*)"|<([^>]*)>)/.exec(rest);
              if (!spec) spec = /^\s*(?:"([^"]*)"|<([^>]*)>)/.exec(rescan(rest, new Set()));
              if (!spec) report('error', path, lineStart, '#include expects "FILE" or <FILE>');
              else include(spec[1] ?? spec[2], spec[1] === undefined, path, lineStart, depth);
            } else if (name === 'error') report('error', path, lineStart, `#error${rest.trimEnd()}`);
            else if (name === 'warning') report('warning', path, lineStart, `#warning${rest.trimEnd()}`);
        }
        // Keep line numbering of the output readable: one newline per source line.
        emit('\n'.repeat(physicalLines), path, lineStart, true);
        continue;
      }
      if (!active()) {
        emit('\n'.repeat(physicalLines), path, lineStart, true);
        continue;
      }
      const inc = /^(\s*)\/include\/\s*"([^"]*)"/.exec(logical);
      if (inc) {
        include(inc[2], false, path, lineStart + inc[1].length, depth);
        emit(logical.slice(inc[0].length) + '\n'.repeat(physicalLines), path, lineStart + inc[0].length, true);
        continue;
      }
      if (joined) {
        emitLine(logical, path, lineStart);
        emit('\n'.repeat(physicalLines), path, end, true);
      } else emitLine(consumed, path, lineStart);
    }
    for (const c of conds) report('error', path, c.offset, 'unterminated #if/#ifdef');
  }

  processFile(mainPath, mainText, 0);
  return { text: chunks.join(''), segments, files, diags };
}

/** Maps an output offset back to its file and source offset. */
export function locate(pp: PpResult, offset: number): { file: string; offset: number } {
  const segs = pp.segments;
  if (segs.length === 0) return { file: '', offset: 0 };
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].out <= offset) lo = mid;
    else hi = mid - 1;
  }
  const s = segs[lo];
  return { file: s.file, offset: s.exact ? s.src + (offset - s.out) : s.src };
}
