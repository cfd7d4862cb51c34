/**
 * A small seeded generator (SplitMix32 to derive seeds, then sfc32), so simulation is reproducible: the same
 * seed gives the same walks on every machine and Node version. Never `Math.random` in the checker.
 */

/** SplitMix32 step: a well-mixed 32-bit value from any 32-bit input. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The seed of walk `k` of a run seeded with `seed`: independent of how walks are split among workers. */
export function walkSeed(seed: number, k: number): number {
  return mix32(mix32(seed | 0) ^ mix32(k + 0x632be5ab));
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ 0x5bd1e995);
    this.c = mix32(this.b ^ 0x1b873593);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer (sfc32). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    if (n <= 1) return 0;
    // Rejection sampling keeps it exactly uniform.
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }
}
