// Number formatting of the map renderers: addresses in hex, sizes in binary units.
import { hex, humanSize } from '../util/format';

export { hex, humanSize };

/** Zero-padded to 8 digits below 4 GiB, else to the digits needed: keeps columns aligned. */
export function hexAddr(v: bigint): string {
  const s = v.toString(16);
  return '0x' + (s.length < 8 ? s.padStart(8, '0') : s);
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
