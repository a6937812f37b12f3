// DTS source (already preprocessed) → device tree. dtc's grammar: `/dts-v1/;`, root and
// child nodes with labels, properties of cells/strings/bytes/references, `&label { … }` and
// `&{/path} { … }` overrides, `/delete-node/`, `/delete-property/`, `/memreserve/`.
// The lexer is context sensitive like dtc's: inside `< … >` numbers and operators, outside
// node/property names such as `cpu@0`, `#address-cells`, `linux,phandle`.
import { evalExpr, ExprError, parseCInt, charValue, type ExprToken } from './expr';
import { childNamed, markDeleted, newNode, resolveTarget, type DtCell, type DtChunk, type DtNode, type DtProp } from './tree';

export interface ParseIssue {
  severity: 'error' | 'warning';
  at: number;
  message: string;
}

export interface DtTree {
  root: DtNode;
  labels: Map<string, DtNode>;
  /** The source is an overlay (`/plugin/;`). */
  plugin: boolean;
  issues: ParseIssue[];
}

type Tok =
  | { t: 'punct'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'keyword'; v: string; at: number }
  | { t: 'ref'; v: string; at: number }
  | { t: 'label'; v: string; at: number }
  | { t: 'name'; v: string; at: number }
  | { t: 'eof'; v: ''; at: number };

const MAX_DEPTH = 200;
const NAME_CHARS = /[A-Za-z0-9,._+*#?@-]/;
const KEYWORDS = ['/dts-v1/', '/plugin/', '/memreserve/', '/delete-node/', '/delete-property/', '/omit-if-no-ref/', '/bits/'];
const CELL_OPS = [',', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '~', '!', '(', ')', '?', ':'];

class SyntaxErr extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseDts(text: string): DtTree {
  let pos = 0;
  const issues: ParseIssue[] = [];
  const root = newNode('/', 0);
  const labels = new Map<string, DtNode>();
  let plugin = false;

  const skipWs = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };

  const readString = (): string => {
    const start = pos;
    pos++;
    let s = '';
    // A string may span lines: dtc's lexer takes everything up to the closing quote, newlines
    // included (upstream's inmate-emtrion-emconrzg1*.dts split `bootargs` that way).
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') {
        s += String.fromCharCode(charValue(text.slice(pos, pos + 2)));
        pos += 2;
      } else s += text[pos++];
    }
    if (pos >= text.length) throw new SyntaxErr(start, 'unterminated string');
    pos++;
    return s;
  };

  const readRef = (): string => {
    // at '&'
    const start = pos;
    pos++;
    if (text[pos] === '{') {
      const end = text.indexOf('}', pos);
      if (end < 0) throw new SyntaxErr(start, 'unterminated &{…} path reference');
      const path = text.slice(pos + 1, end).trim();
      pos = end + 1;
      if (!path) throw new SyntaxErr(start, 'empty &{} path reference');
      return path;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos, pos + 256));
    if (!m) throw new SyntaxErr(start, "expected a label after '&'");
    pos += m[0].length;
    return m[0];
  };

  const next = (): Tok => {
    skipWs();
    const at = pos;
    if (pos >= text.length) return { t: 'eof', v: '', at };
    const ch = text[pos];
    if ('{};=<>[],'.includes(ch)) {
      pos++;
      return { t: 'punct', v: ch, at };
    }
    if (ch === '"') return { t: 'string', v: readString(), at };
    if (ch === '&') return { t: 'ref', v: readRef(), at };
    if (ch === '/') {
      const kw = KEYWORDS.find((k) => text.startsWith(k, pos));
      if (kw) {
        pos += kw.length;
        return { t: 'keyword', v: kw, at };
      }
      pos++;
      return { t: 'name', v: '/', at };
    }
    if (NAME_CHARS.test(ch)) {
      let end = pos;
      while (end < text.length && NAME_CHARS.test(text[end])) end++;
      const v = text.slice(pos, end);
      pos = end;
      if (text[pos] === ':' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) {
        pos++;
        return { t: 'label', v, at };
      }
      return { t: 'name', v, at };
    }
    pos++;
    throw new SyntaxErr(at, `unexpected character '${ch}'`);
  };

  const expectPunct = (v: string): Tok => {
    const t = next();
    if (t.t !== 'punct' || t.v !== v) throw new SyntaxErr(t.at, `expected '${v}'${t.t === 'eof' ? ' before the end of the file' : ` but found '${t.v}'`}`);
    return t;
  };

  // ---- cells ---------------------------------------------------------------------
  /** One cell-level token: number, char, ref, operator, identifier, label or '>'. */
  const cellToken = (inParens = false): { kind: 'num'; value: bigint; at: number } | { kind: 'op'; op: string; at: number } | { kind: 'ident'; name: string; at: number } | { kind: 'ref'; target: string; at: number } | { kind: 'label'; at: number } | { kind: 'eof'; at: number } => {
    skipWs();
    const at = pos;
    if (pos >= text.length) return { kind: 'eof', at };
    const ch = text[pos];
    if (/[0-9]/.test(ch)) {
      const m = /^[0-9][0-9a-zA-Z_]*/.exec(text.slice(pos, pos + 64))!;
      const v = parseCInt(m[0]);
      if (v === undefined) throw new SyntaxErr(at, `bad number '${m[0]}'`);
      pos += m[0].length;
      return { kind: 'num', value: v, at };
    }
    if (ch === "'") {
      const m = /^'(\\.|[^\\'])'/.exec(text.slice(pos, pos + 8));
      if (!m) throw new SyntaxErr(at, 'bad character literal');
      pos += m[0].length;
      return { kind: 'num', value: BigInt(charValue(m[1])), at };
    }
    if (ch === '&' && !inParens && text[pos + 1] !== '&') return { kind: 'ref', target: readRef(), at };
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos, pos + 256));
    if (id) {
      pos += id[0].length;
      if (text[pos] === ':') {
        pos++;
        return { kind: 'label', at };
      }
      return { kind: 'ident', name: id[0], at };
    }
    const op = CELL_OPS.find((o) => text.startsWith(o, pos));
    if (!op) throw new SyntaxErr(at, `unexpected '${ch}' in a cell list`);
    pos += op.length;
    return { kind: 'op', op, at };
  };

  const parseCells = (bits: number): DtCell[] => {
    // after '<'
    const cells: DtCell[] = [];
    for (;;) {
      const t = cellToken();
      if (t.kind === 'eof') throw new SyntaxErr(t.at, "cell list not closed with '>'");
      if (t.kind === 'op' && t.op === '>') return cells;
      if (t.kind === 'label') continue;
      if (t.kind === 'num') cells.push({ kind: 'num', value: bits < 64 ? t.value & ((1n << BigInt(bits)) - 1n) : t.value });
      else if (t.kind === 'ref') cells.push({ kind: 'ref', target: t.target, at: t.at });
      else if (t.kind === 'ident') {
        skipWs();
        if (text[pos] === '(') {
          pos++;
          parseParenExpr(pos - 1, bits);
        }
        cells.push({ kind: 'bad', text: t.name, at: t.at });
      } else if (t.kind === 'op' && t.op === '(') cells.push(parseParenExpr(t.at, bits));
      else if (t.kind === 'op' && t.op === '-') {
        // dtc accepts a negative literal; wrap it like C would.
        const n = cellToken();
        if (n.kind !== 'num') throw new SyntaxErr(t.at, "expected a number after '-'");
        cells.push({ kind: 'num', value: (-n.value) & ((1n << BigInt(bits)) - 1n) });
      } else throw new SyntaxErr(t.at, `unexpected '${(t as { op?: string }).op ?? '?'}' in a cell list`);
    }
  };

  const parseParenExpr = (start: number, bits: number): DtCell => {
    // after '(' : collect up to the matching ')'
    const toks: ExprToken[] = [{ kind: 'op', op: '(' }];
    let depth = 1;
    let unknown: string | undefined;
    while (depth > 0) {
      const t = cellToken(true);
      if (t.kind === 'eof') throw new SyntaxErr(start, "unbalanced '(' in a cell expression");
      if (t.kind === 'label' || t.kind === 'ref') throw new SyntaxErr(t.at, 'a reference cannot be part of an expression');
      if (t.kind === 'op' && t.op === ',') {
        // only inside the argument list of an unknown macro
        unknown ??= ',';
        continue;
      }
      if (t.kind === 'num') toks.push({ kind: 'num', value: t.value });
      else if (t.kind === 'ident') {
        unknown ??= t.name;
        toks.push({ kind: 'num', value: 0n });
      } else {
        if (t.op === '(') depth++;
        if (t.op === ')') depth--;
        toks.push({ kind: 'op', op: t.op });
      }
    }
    if (unknown !== undefined) return { kind: 'bad', text: unknown, at: start };
    try {
      const r = evalExpr(toks, () => 0n);
      if (r.end !== toks.length) throw new ExprError('extra tokens');
      return { kind: 'num', value: bits < 64 ? r.value & ((1n << BigInt(bits)) - 1n) : r.value };
    } catch (e) {
      if (e instanceof ExprError) throw new SyntaxErr(start, `bad cell expression: ${e.message}`);
      throw e;
    }
  };

  const parseBytes = (): number[] => {
    const out: number[] = [];
    for (;;) {
      skipWs();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      const m = /^[0-9a-fA-F]{2}/.exec(text.slice(pos, pos + 2));
      if (!m) throw new SyntaxErr(pos, 'expected hex byte pairs in [ … ]');
      out.push(parseInt(m[0], 16));
      pos += 2;
    }
  };

  const parseValue = (): DtChunk[] => {
    // after '='
    const chunks: DtChunk[] = [];
    for (;;) {
      let t = next();
      while (t.t === 'label') t = next();
      if (t.t === 'string') chunks.push({ kind: 'string', value: t.v });
      else if (t.t === 'ref') chunks.push({ kind: 'pathref', target: t.v, at: t.at });
      else if (t.t === 'punct' && t.v === '<') chunks.push({ kind: 'cells', bits: 32, cells: parseCells(32) });
      else if (t.t === 'punct' && t.v === '[') chunks.push({ kind: 'bytes', bytes: parseBytes() });
      else if (t.t === 'keyword' && t.v === '/bits/') {
        const b = cellToken();
        if (b.kind !== 'num' || ![8n, 16n, 32n, 64n].includes(b.value)) throw new SyntaxErr(b.at, '/bits/ takes 8, 16, 32 or 64');
        expectPunct('<');
        chunks.push({ kind: 'cells', bits: Number(b.value), cells: parseCells(Number(b.value)) });
      } else throw new SyntaxErr(t.at, `expected a property value but found '${t.v || t.t}'`);
      const sep = next();
      if (sep.t === 'punct' && sep.v === ';') return chunks;
      if (!(sep.t === 'punct' && sep.v === ',')) throw new SyntaxErr(sep.at, `expected ',' or ';' after a property value`);
    }
  };

  // ---- tree building ---------------------------------------------------------------
  // Every node a label was given to: deleting the latest one uncovers the previous one.
  const labelHistory = new Map<string, DtNode[]>();
  const addLabel = (name: string, node: DtNode, at: number) => {
    const old = labels.get(name);
    if (old && old !== node && !old.deleted) issues.push({ severity: 'warning', at, message: `label '${name}' is defined twice; the later node wins` });
    labels.set(name, node);
    labelHistory.set(name, [...(labelHistory.get(name) ?? []), node]);
    if (!node.labels.includes(name)) node.labels.push(name);
  };

  const resolveRef = (target: string, at: number): DtNode | undefined => {
    const n = resolveTarget(root, labels, target);
    if (!n || n.deleted) {
      const what = target.includes('/') ? `no node at path ${target}` : `reference to undefined label '${target}'`;
      // An overlay refers to its base tree, which is not part of this import.
      issues.push(plugin ? { severity: 'warning', at, message: `${what} (an overlay: its base tree is not imported)` } : { severity: 'error', at, message: what });
      return undefined;
    }
    return n;
  };

  /** Skips to just after the next ';' at this nesting level, or before an unmatched '}'. */
  const recover = () => {
    let depth = 0;
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === '"') {
        try {
          readString();
        } catch {
          pos++;
        }
        continue;
      }
      if (ch === '{') depth++;
      else if (ch === '}') {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          pos++;
          skipWs();
          if (text[pos] === ';') pos++;
          return;
        }
      } else if (ch === ';' && depth === 0) {
        pos++;
        return;
      }
      pos++;
    }
  };

  let depth = 0;
  const parseBody = (node: DtNode) => {
    // after '{' ; returns after '}' ';'
    if (++depth > MAX_DEPTH) {
      depth--;
      throw new SyntaxErr(node.at, `nodes nested more than ${MAX_DEPTH} levels deep`);
    }
    try {
      parseBodyItems(node);
    } finally {
      depth--;
    }
  };

  const parseBodyItems = (node: DtNode) => {
    for (;;) {
      const before = pos;
      try {
        let t = next();
        if (t.t === 'eof') throw new SyntaxErr(node.at, `node ${node.name} is not closed with '};'`);
        if (t.t === 'punct' && t.v === '}') {
          expectPunct(';');
          return;
        }
        if (t.t === 'keyword' && t.v === '/omit-if-no-ref/') t = next();
        if (t.t === 'keyword' && (t.v === '/delete-node/' || t.v === '/delete-property/')) {
          const what = next();
          if (what.t !== 'name' && what.t !== 'ref') throw new SyntaxErr(what.at, `${t.v} needs a name`);
          expectPunct(';');
          if (t.v === '/delete-property/') node.props.delete(what.v);
          else if (what.t === 'ref') {
            const target = resolveRef(what.v, what.at);
            if (target) deleteNode(target);
          } else {
            const child = childNamed(node, what.v);
            if (child) deleteNode(child);
          }
          continue;
        }
        const nodeLabels: Tok[] = [];
        while (t.t === 'label') {
          nodeLabels.push(t);
          t = next();
        }
        if (t.t !== 'name') throw new SyntaxErr(t.at, `expected a property or node name but found '${t.v || t.t}'`);
        const after = next();
        if (after.t === 'punct' && after.v === '{') {
          let child = node.children.get(t.v);
          if (!child || child.deleted) {
            child = newNode(t.v, t.at, node);
            node.children.set(t.v, child);
          }
          for (const l of nodeLabels) addLabel(l.v, child, l.at);
          parseBody(child);
          continue;
        }
        if (after.t === 'punct' && after.v === '=') {
          const prop: DtProp = { name: t.v, chunks: parseValue(), at: t.at };
          node.props.set(t.v, prop);
          continue;
        }
        if (after.t === 'punct' && after.v === ';') {
          node.props.set(t.v, { name: t.v, chunks: [], at: t.at });
          continue;
        }
        throw new SyntaxErr(after.at, `expected '{', '=' or ';' after '${t.v}'`);
      } catch (e) {
        if (!(e instanceof SyntaxErr)) throw e;
        issues.push({ severity: 'error', at: e.at, message: e.message });
        if (pos >= text.length) return;
        if (pos === before) pos++;
        recover();
        if (text[pos] === '}') {
          // the node's own closing brace
          continue;
        }
      }
    }
  };

  const deleteNode = (n: DtNode) => {
    if (!n.parent) return;
    n.parent.children.delete(n.name);
    markDeleted(n);
    for (const [name, node] of labels) {
      if (!node.deleted) continue;
      const alive = (labelHistory.get(name) ?? []).filter((x) => !x.deleted);
      if (alive.length) labels.set(name, alive[alive.length - 1]);
      else labels.delete(name);
    }
  };

  // ---- top level -------------------------------------------------------------------
  for (;;) {
    const before = pos;
    try {
      let t = next();
      if (t.t === 'eof') break;
      if (t.t === 'keyword' && (t.v === '/dts-v1/' || t.v === '/plugin/')) {
        if (t.v === '/plugin/') plugin = true;
        expectPunct(';');
        continue;
      }
      if (t.t === 'keyword' && t.v === '/memreserve/') {
        const a = cellToken();
        const b = cellToken();
        if (a.kind !== 'num' || b.kind !== 'num') throw new SyntaxErr(t.at, '/memreserve/ needs an address and a size');
        expectPunct(';');
        continue;
      }
      if (t.t === 'keyword' && t.v === '/delete-node/') {
        const what = next();
        if (what.t !== 'ref') throw new SyntaxErr(what.at, '/delete-node/ at top level needs &label or &{/path}');
        expectPunct(';');
        const target = resolveRef(what.v, what.at);
        if (target) deleteNode(target);
        continue;
      }
      if (t.t === 'keyword' && t.v === '/omit-if-no-ref/') t = next();
      const topLabels: Tok[] = [];
      while (t.t === 'label') {
        topLabels.push(t);
        t = next();
      }
      if (t.t === 'name' && t.v === '/') {
        expectPunct('{');
        for (const l of topLabels) addLabel(l.v, root, l.at);
        parseBody(root);
        continue;
      }
      if (t.t === 'ref') {
        const brace = next();
        if (brace.t === 'punct' && brace.v === '{') {
          const target = resolveRef(t.v, t.at);
          // `newlabel: &old { … };` adds a label to an existing node.
          if (target) for (const l of topLabels) addLabel(l.v, target, l.at);
          // Parse into a scratch node when the target is unknown, so the rest still reads.
          parseBody(target ?? newNode(t.v, t.at));
          continue;
        }
        throw new SyntaxErr(brace.at, `expected '{' after &${t.v}`);
      }
      throw new SyntaxErr(t.at, `expected '/ {', '&label {' or a directive at top level but found '${t.v || t.t}'`);
    } catch (e) {
      if (!(e instanceof SyntaxErr)) throw e;
      issues.push({ severity: 'error', at: e.at, message: e.message });
      if (pos === before) pos++;
      recover();
      if (text[pos] === '}') pos++;
    }
    if (issues.length > 200) {
      issues.push({ severity: 'error', at: pos, message: 'too many errors; stopped reading' });
      break;
    }
  }
  return { root, labels, issues, plugin };
}
