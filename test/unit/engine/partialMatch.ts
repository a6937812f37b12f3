// Compares a model JSON against a hand-written expectation that lists only the values it asserts.

/** A JSON leaf that stands for an integer: a number, a decimal string or a "0x…" string. */
function asInteger(v: unknown): bigint | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|-?[0-9]+)$/.test(v)) return BigInt(v);
  return undefined;
}

/**
 * Differences between `actual` and `expected`, where objects in `expected` name only the keys
 * they assert, arrays must match in length and element by element, and integers compare by
 * value whatever their spelling (hex string, decimal string, number).
 */
export function partialDiff(actual: unknown, expected: unknown, path = '$'): string[] {
  const ei = asInteger(expected);
  if (ei !== undefined && typeof expected !== 'object') {
    const ai = asInteger(actual);
    return ai === ei ? [] : [`${path}: expected ${String(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const out: string[] = [];
    if (actual.length !== expected.length) out.push(`${path}: expected ${expected.length} elements, got ${actual.length}`);
    for (let i = 0; i < Math.min(actual.length, expected.length); i++) out.push(...partialDiff(actual[i], expected[i], `${path}[${i}]`));
    return out;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const out: string[] = [];
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in actual)) out.push(`${path}.${k}: missing`);
      else out.push(...partialDiff((actual as Record<string, unknown>)[k], v, `${path}.${k}`));
    }
    return out;
  }
  return actual === expected ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
