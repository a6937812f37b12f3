// WCAG 2.x contrast for the browser tests: parse a computed CSS colour, lay translucent fills
// over each other, and compare a text colour with what is under it.
// https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio, #dfn-relative-luminance

export type Rgb = [number, number, number];

/** A computed colour: `rgb(…)`, `rgba(…)` or `color(srgb …)` (what color-mix() computes to). */
export function parseColour(css: string): { rgb: Rgb; alpha: number } {
  const legacy = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$/.exec(css.trim());
  if (legacy) return { rgb: [Number(legacy[1]), Number(legacy[2]), Number(legacy[3])], alpha: legacy[4] === undefined ? 1 : Number(legacy[4]) };
  const srgb = /^color\(srgb\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)(?:\s*\/\s*([\d.]+))?\s*\)$/.exec(css.trim());
  if (srgb) return { rgb: [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255], alpha: srgb[4] === undefined ? 1 : Number(srgb[4]) };
  throw new Error(`not a colour this test understands: ${css}`);
}

/** `top` painted with `alpha` over an opaque `under`. */
export function over(under: Rgb, top: Rgb, alpha: number): Rgb {
  return [0, 1, 2].map((i) => top[i] * alpha + under[i] * (1 - alpha)) as Rgb;
}

export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
