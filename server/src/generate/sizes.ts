// Sizes as a person writes them on a command line or in a wizard: `0x400000`, `4194304`,
// `4M`, `64MiB`, `1G`, `512k` (printed back with util/format's humanSize).
const UNITS: Record<string, bigint> = { '': 1n, k: 1n << 10n, m: 1n << 20n, g: 1n << 30n, t: 1n << 40n };

/** Bytes of a size text; undefined when the text is not a size. */
export function parseSize(text: string): bigint | undefined {
  const m = /^\s*(0x[0-9a-f]+|\d+)\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = BigInt(m[1].toLowerCase());
  const v = n * UNITS[(m[2] ?? '').toLowerCase()];
  return v < 1n << 64n ? v : undefined;
}
