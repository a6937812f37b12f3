// bitIds reads bitmaps 32 bits at a time; the answer must be the per-bit definition's for any
// word (negative, wider than wordBits, zero) and any word width.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { bitIds } from '../../../server/src/util/format';
import { prng } from '../../support/prng';

/** The definition: bit b of word w is set while w >> b is not zero and b < wordBits. */
function reference(words: readonly bigint[], wordBits: number): number[] {
  const out: number[] = [];
  words.forEach((w, wi) => {
    for (let b = 0; w >> BigInt(b) && b < wordBits; b++) if ((w >> BigInt(b)) & 1n) out.push(wi * wordBits + b);
  });
  return out;
}

describe('bitIds', () => {
  it('equals the per-bit definition on random words and widths', () => {
    const rnd = prng(7);
    const word = (): bigint => {
      const bits = Math.floor(rnd() * 80);
      let w = 0n;
      for (let i = 0; i < bits; i++) if (rnd() < 0.3) w |= 1n << BigInt(Math.floor(rnd() * bits));
      return rnd() < 0.1 ? -w : w;
    };
    for (let n = 0; n < 3000; n++) {
      const words = Array.from({ length: 1 + Math.floor(rnd() * 4) }, word);
      const width = [64, 32, 8, 1, 63, 65, 100][n % 7];
      assert.deepEqual(bitIds(words, width), reference(words, width), `${words.join(',')} / ${width}`);
    }
  });

  it('edge words', () => {
    for (const w of [0n, 1n, 1n << 31n, 1n << 32n, (1n << 64n) - 1n, 1n << 63n, 1n << 64n, -1n, -(1n << 40n), 0xffffffffn]) {
      for (const width of [64, 32, 16]) assert.deepEqual(bitIds([w, w], width), reference([w, w], width), `${w} / ${width}`);
    }
  });
});
