import { hashWords128 } from './hash';

/**
 * A small seeded pseudo-random generator for `Guid()` and `RandomString()`, and for generated test and benchmark data.
 *
 * Provisioning plans must be reproducible (dry runs, retries, tests), so randomness comes
 * from a caller-supplied seed rather than from the platform. The seed string is hashed to
 * 128 bits (`hashWords128`) that initialise an sfc32 generator: tiny, fast and with
 * good statistical quality. It is not cryptographically secure; initial passwords that must
 * be unguessable need a seed that is itself secret and unpredictable.
 */

export interface Prng {
  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number;
  /** A uniformly distributed integer in `[0, bound)`, without modulo bias. */
  nextInt(bound: number): number;
}

/** Creates a generator whose whole output sequence is determined by `seed`. */
export function createPrng(seed: string): Prng {
  let [a, b, c, d] = hashWords128(seed);
  const nextUint32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const result = (t + d) | 0;
    c = (c + result) | 0;
    return result >>> 0;
  };
  // Warm up: the first outputs of sfc32 correlate with the seed words.
  for (let i = 0; i < 12; i++) nextUint32();
  return {
    nextUint32,
    nextInt(bound: number): number {
      if (!(bound > 0) || bound > 0x1_0000_0000) throw new RangeError(`nextInt bound ${bound} out of range`);
      const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % bound;
      }
    },
  };
}
