// Deterministic pseudo-random numbers (a linear congruential generator): the same seed gives
// the same inputs on every run, so a failure can be reproduced and benchmarks measure the same
// configs each time.
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}
