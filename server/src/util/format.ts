// How numbers read everywhere a person sees them — diagnostics, hover, inlay hints, the dump
// listing, the memory map — so that one size or CPU set reads the same in all of them.

/** `0x1c28000`; with `minDigits`, zero-padded (`0x01c28000`) to line up columns. */
export function hex(v: bigint, minDigits = 0): string {
  const s = (v < 0n ? -v : v).toString(16);
  return (v < 0n ? '-0x' : '0x') + (minDigits ? s.padStart(minDigits, '0') : s);
}

const UNITS: readonly string[] = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/**
 * `4 KiB`, `508 KiB`, `1.5 MiB`, `1 GiB`: exact whenever two decimals or the next smaller unit
 * can say it exactly (`1537 KiB`); otherwise two decimals marked approximate (`~1.33 MiB`).
 */
export function humanSize(v: bigint): string {
  if (v < 1024n) return `${v} B`;
  let u = 0;
  while (u < UNITS.length - 1 && v >= 1n << BigInt(10 * (u + 1))) u++;
  const unit = 1n << BigInt(10 * u);
  if (v % unit === 0n) return `${v / unit} ${UNITS[u]}`;
  const hundredths = (v * 100n) / unit;
  const decimals = `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '')} ${UNITS[u]}`;
  if ((v * 100n) % unit === 0n) return decimals;
  const smaller = unit >> 10n;
  if (v % smaller === 0n && v / smaller < 10000n) return `${v / smaller} ${UNITS[u - 1]}`;
  return `~${decimals}`;
}

/** `0-3, 6` for the ids 0, 1, 2, 3, 6 (sorted ascending); `none` for no ids. */
export function rangeList(ids: readonly number[]): string {
  if (!ids.length) return 'none';
  const parts: string[] = [];
  let start = ids[0];
  let prev = ids[0];
  for (let i = 1; i <= ids.length; i++) {
    const id = ids[i];
    if (id === prev + 1) {
      prev = id;
      continue;
    }
    parts.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = prev = id;
  }
  return parts.join(', ');
}

/** The numbers of the set bits of bitmap words (word w, bit b = w * wordBits + b). */
export function bitIds(words: readonly bigint[], wordBits = 64): number[] {
  const out: number[] = [];
  words.forEach((w, wi) => {
    if (w < 0n) {
      // Two's complement: every bit above the highest clear one is set, up to wordBits.
      for (let b = 0; w >> BigInt(b) && b < wordBits; b++) if ((w >> BigInt(b)) & 1n) out.push(wi * wordBits + b);
      return;
    }
    // 32 bits at a time as numbers: CPU and interrupt bitmaps are read for every cell, and a
    // BigInt shift per bit dominated a cold `jhcell check`.
    for (let base = 0; w > 0n && base < wordBits; base += 32) {
      const chunk = Number(w & 0xffffffffn);
      w >>= 32n;
      for (let b = 0; b < 32 && base + b < wordBits; b++) if (chunk & (1 << b)) out.push(wi * wordBits + base + b);
    }
  });
  return out;
}

/** `00:0e.0`: bus, device and function of a PCI bus/device/function number, as lspci prints them. */
export function bdfText(bdf: bigint | number): string {
  const b = Number(bdf);
  const two = (n: number) => n.toString(16).padStart(2, '0');
  return `${two((b >> 8) & 0xff)}:${two((b >> 3) & 0x1f)}.${b & 7}`;
}

export function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${BigInt(n) === 1n ? '' : 's'}`;
}
