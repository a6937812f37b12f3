// DTS source (already preprocessed) → device tree. dtc's grammar: `/dts-v1/;`, root and
// child nodes with labels, properties of cells/strings/bytes/references, `&label { … }` and
// `&{/path} { … }` overrides, `/delete-node/`, `/delete-property/`, `/memreserve/`.
// Tokens come from lexer.ts, property values from values.ts; this file builds the tree and
// recovers from syntax errors so one mistake does not hide the rest of the file.
import { DtsLexer, SyntaxErr, type Tok } from './lexer';
import { childNamed, markDeleted, newNode, resolveTarget, type DtNode } from './tree';
import { parseValue } from './values';

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

const MAX_DEPTH = 200;
const MAX_ISSUES = 200;

export function parseDts(text: string): DtTree {
  return new DtsParser(text).parse();
}

class DtsParser {
  private readonly lx: DtsLexer;
  private readonly issues: ParseIssue[] = [];
  private readonly root = newNode('/', 0);
  private readonly labels = new Map<string, DtNode>();
  /** Every node a label was given to: deleting the latest one uncovers the previous one. */
  private readonly labelHistory = new Map<string, DtNode[]>();
  private plugin = false;
  /** Nesting depth of the node bodies being read. */
  private depth = 0;

  constructor(text: string) {
    this.lx = new DtsLexer(text);
  }

  parse(): DtTree {
    const lx = this.lx;
    for (;;) {
      const before = lx.pos;
      try {
        if (!this.topLevelItem()) break;
      } catch (e) {
        this.reportSyntax(e);
        if (lx.pos === before) lx.pos++;
        lx.skipStatement();
        if (lx.peek() === '}') lx.pos++;
      }
      if (this.issues.length > MAX_ISSUES) {
        this.issues.push({ severity: 'error', at: lx.pos, message: 'too many errors; stopped reading' });
        break;
      }
    }
    return { root: this.root, labels: this.labels, issues: this.issues, plugin: this.plugin };
  }

  /** One top-level statement; false at the end of the text. */
  private topLevelItem(): boolean {
    const lx = this.lx;
    let t = lx.next();
    if (t.t === 'eof') return false;
    if (t.t === 'keyword' && (t.v === '/dts-v1/' || t.v === '/plugin/')) {
      if (t.v === '/plugin/') this.plugin = true;
      lx.expectPunct(';');
      return true;
    }
    if (t.t === 'keyword' && t.v === '/memreserve/') {
      this.memreserve(t.at);
      return true;
    }
    if (t.t === 'keyword' && t.v === '/delete-node/') {
      const what = lx.next();
      if (what.t !== 'ref') throw new SyntaxErr(what.at, '/delete-node/ at top level needs &label or &{/path}');
      lx.expectPunct(';');
      const target = this.resolveRef(what.v, what.at);
      if (target) this.deleteNode(target);
      return true;
    }
    if (t.t === 'keyword' && t.v === '/omit-if-no-ref/') t = lx.next();
    const topLabels: Tok[] = [];
    while (t.t === 'label') {
      topLabels.push(t);
      t = lx.next();
    }
    if (t.t === 'name' && t.v === '/') {
      lx.expectPunct('{');
      for (const l of topLabels) this.addLabel(l.v, this.root, l.at);
      this.parseBody(this.root);
      return true;
    }
    if (t.t === 'ref') {
      this.override(t, topLabels);
      return true;
    }
    throw new SyntaxErr(t.at, `expected '/ {', '&label {' or a directive at top level but found '${t.v || t.t}'`);
  }

  /** After `/memreserve/`: address, size and ';' (the reservation itself is not part of the tree). */
  private memreserve(at: number): void {
    const a = this.lx.cellToken();
    const b = this.lx.cellToken();
    if (a.kind !== 'num' || b.kind !== 'num') throw new SyntaxErr(at, '/memreserve/ needs an address and a size');
    this.lx.expectPunct(';');
  }

  /** `[newlabel:] &label { … };` or `&{/path} { … };` after the reference. */
  private override(ref: Tok, newLabels: Tok[]): void {
    const brace = this.lx.next();
    if (!(brace.t === 'punct' && brace.v === '{')) throw new SyntaxErr(brace.at, `expected '{' after &${ref.v}`);
    const target = this.resolveRef(ref.v, ref.at);
    // `newlabel: &old { … };` adds a label to an existing node.
    if (target) for (const l of newLabels) this.addLabel(l.v, target, l.at);
    // Parse into a scratch node when the target is unknown, so the rest still reads.
    this.parseBody(target ?? newNode(ref.v, ref.at));
  }

  /** After '{': the node's properties and children, up to and including '};'. */
  private parseBody(node: DtNode): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      throw new SyntaxErr(node.at, `nodes nested more than ${MAX_DEPTH} levels deep`);
    }
    try {
      this.bodyItems(node);
    } finally {
      this.depth--;
    }
  }

  private bodyItems(node: DtNode): void {
    const lx = this.lx;
    for (;;) {
      const before = lx.pos;
      try {
        if (!this.bodyItem(node)) return;
      } catch (e) {
        this.reportSyntax(e);
        if (lx.atEnd) return;
        if (lx.pos === before) lx.pos++;
        // Stops before the node's own closing brace, which the next round reads.
        lx.skipStatement();
      }
    }
  }

  /** One statement in a node body; false after the body's closing '};'. */
  private bodyItem(node: DtNode): boolean {
    const lx = this.lx;
    let t = lx.next();
    if (t.t === 'eof') throw new SyntaxErr(node.at, `node ${node.name} is not closed with '};'`);
    if (t.t === 'punct' && t.v === '}') {
      lx.expectPunct(';');
      return false;
    }
    if (t.t === 'keyword' && t.v === '/omit-if-no-ref/') t = lx.next();
    if (t.t === 'keyword' && (t.v === '/delete-node/' || t.v === '/delete-property/')) {
      this.deleteInBody(node, t.v);
      return true;
    }
    const nodeLabels: Tok[] = [];
    while (t.t === 'label') {
      nodeLabels.push(t);
      t = lx.next();
    }
    if (t.t !== 'name') throw new SyntaxErr(t.at, `expected a property or node name but found '${t.v || t.t}'`);
    const after = lx.next();
    if (after.t === 'punct' && after.v === '{') this.childNode(node, t, nodeLabels);
    else if (after.t === 'punct' && after.v === '=') node.props.set(t.v, { name: t.v, chunks: parseValue(lx), at: t.at });
    else if (after.t === 'punct' && after.v === ';') node.props.set(t.v, { name: t.v, chunks: [], at: t.at });
    else throw new SyntaxErr(after.at, `expected '{', '=' or ';' after '${t.v}'`);
    return true;
  }

  /** `name { … };`: a new child, or more of an existing one. */
  private childNode(parent: DtNode, name: Tok, labels: Tok[]): void {
    let child = parent.children.get(name.v);
    if (!child || child.deleted) {
      child = newNode(name.v, name.at, parent);
      parent.children.set(name.v, child);
    }
    for (const l of labels) this.addLabel(l.v, child, l.at);
    this.parseBody(child);
  }

  /** After `/delete-node/` or `/delete-property/` in a body: the name (or &ref) and ';'. */
  private deleteInBody(node: DtNode, keyword: string): void {
    const lx = this.lx;
    const what = lx.next();
    if (what.t !== 'name' && what.t !== 'ref') throw new SyntaxErr(what.at, `${keyword} needs a name`);
    lx.expectPunct(';');
    if (keyword === '/delete-property/') node.props.delete(what.v);
    else if (what.t === 'ref') {
      const target = this.resolveRef(what.v, what.at);
      if (target) this.deleteNode(target);
    } else {
      const child = childNamed(node, what.v);
      if (child) this.deleteNode(child);
    }
  }

  private addLabel(name: string, node: DtNode, at: number): void {
    const old = this.labels.get(name);
    if (old && old !== node && !old.deleted) this.issues.push({ severity: 'warning', at, message: `label '${name}' is defined twice; the later node wins` });
    this.labels.set(name, node);
    this.labelHistory.set(name, [...(this.labelHistory.get(name) ?? []), node]);
    if (!node.labels.includes(name)) node.labels.push(name);
  }

  private resolveRef(target: string, at: number): DtNode | undefined {
    const n = resolveTarget(this.root, this.labels, target);
    if (!n || n.deleted) {
      const what = target.includes('/') ? `no node at path ${target}` : `reference to undefined label '${target}'`;
      // An overlay refers to its base tree, which is not part of this import.
      this.issues.push(this.plugin ? { severity: 'warning', at, message: `${what} (an overlay: its base tree is not imported)` } : { severity: 'error', at, message: what });
      return undefined;
    }
    return n;
  }

  private deleteNode(n: DtNode): void {
    if (!n.parent) return;
    n.parent.children.delete(n.name);
    markDeleted(n);
    for (const [name, node] of this.labels) {
      if (!node.deleted) continue;
      const alive = (this.labelHistory.get(name) ?? []).filter((x) => !x.deleted);
      if (alive.length) this.labels.set(name, alive[alive.length - 1]);
      else this.labels.delete(name);
    }
  }

  /** Records a syntax error; anything else is a bug and propagates. */
  private reportSyntax(e: unknown): void {
    if (!(e instanceof SyntaxErr)) throw e;
    this.issues.push({ severity: 'error', at: e.at, message: e.message });
  }
}
