// Integer expressions as dtc evaluates them inside cells, `<(32 - 1)>` (C precedence, 64-bit
// unsigned wrap-around like dtc). `#if` lines are the engine preprocessor's business.

export type ExprToken = { kind: 'num'; value: bigint } | { kind: 'op'; op: string } | { kind: 'ident'; name: string };

const MASK = (1n << 64n) - 1n;

const BINARY: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

export class ExprError extends Error {}

/** Evaluates tokens[pos..]; identifiers evaluate through `ident` (cpp: 0; dtc: error). */
export function evalExpr(tokens: ExprToken[], ident: (name: string) => bigint): { value: bigint; end: number } {
  let pos = 0;
  const peekOp = (): string | undefined => {
    const t = tokens[pos];
    return t && t.kind === 'op' ? t.op : undefined;
  };
  const expectOp = (op: string) => {
    if (peekOp() !== op) throw new ExprError(`expected '${op}' in expression`);
    pos++;
  };
  const unary = (): bigint => {
    const t = tokens[pos];
    if (!t) throw new ExprError('expression ends too early');
    pos++;
    if (t.kind === 'num') return t.value & MASK;
    if (t.kind === 'ident') return ident(t.name) & MASK;
    switch (t.op) {
      case '(': {
        const v = ternary();
        expectOp(')');
        return v;
      }
      case '-':
        return -unary() & MASK;
      case '+':
        return unary();
      case '~':
        return ~unary() & MASK;
      case '!':
        return unary() === 0n ? 1n : 0n;
    }
    throw new ExprError(`unexpected '${t.op}' in expression`);
  };
  const binary = (minPrec: number): bigint => {
    let left = unary();
    for (;;) {
      const op = peekOp();
      const prec = op !== undefined ? BINARY[op] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      pos++;
      const right = binary(prec + 1);
      left = apply(op!, left, right);
    }
  };
  const ternary = (): bigint => {
    const c = binary(1);
    if (peekOp() !== '?') return c;
    pos++;
    const a = ternary();
    expectOp(':');
    const b = ternary();
    return c !== 0n ? a : b;
  };
  const value = ternary();
  return { value, end: pos };
}

function apply(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '<<': return b >= 64n ? 0n : (a << b) & MASK;
    case '>>': return b >= 64n ? 0n : a >> b;
    case '+': return (a + b) & MASK;
    case '-': return (a - b) & MASK;
    case '*': return (a * b) & MASK;
    case '/':
    case '%':
      if (b === 0n) throw new ExprError('division by zero');
      return op === '/' ? a / b : a % b;
  }
  throw new ExprError(`unknown operator ${op}`);
}

/** Parses a C integer literal (with u/l suffixes); undefined when it is not one. */
export function parseCInt(text: string): bigint | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uU]?[lL]{0,2}|[lL]{1,2}[uU]?)$/.exec(text);
  if (!m) return undefined;
  const body = m[1];
  if (/^0[0-7]+$/.test(body)) return BigInt('0o' + body.slice(1));
  return BigInt(body);
}

export function charValue(body: string): number {
  if (body[0] !== '\\') return body.charCodeAt(0);
  const map: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
  return map[body[1]] ?? body.charCodeAt(1);
}
