// Number formatting shared by the map renderers: addresses in hex, sizes in binary units.

export function hex(v: bigint): string {
  return '0x' + v.toString(16);
}

/** Zero-padded to 8 digits below 4 GiB, else to the digits needed: keeps columns aligned. */
export function hexAddr(v: bigint): string {
  const s = v.toString(16);
  return '0x' + (s.length < 8 ? s.padStart(8, '0') : s);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** `4 KiB`, `1.5 MiB`, `3 GiB`; exact byte counts below 1 KiB. */
export function humanSize(size: bigint): string {
  if (size < 1024n) return `${size} B`;
  let unit = 0;
  let whole = size;
  while (whole >= 1024n && unit < UNITS.length - 1 && whole % 1024n === 0n) {
    whole /= 1024n;
    unit++;
  }
  if (whole < 1024n || unit === UNITS.length - 1) return `${whole} ${UNITS[unit]}`;
  // Not a whole multiple: one decimal in the largest unit that keeps the number ≥ 1.
  let u = unit;
  let scaled = Number(whole);
  while (scaled >= 1024 && u < UNITS.length - 1) {
    scaled /= 1024;
    u++;
  }
  const text = scaled.toFixed(scaled < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return `${text} ${UNITS[u]}`;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
