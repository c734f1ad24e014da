// Small seeded pseudo-random generators. Kept in-house (not Math.random, not a package) so that a stored seed
// reproduces a data set or a split byte for byte on any machine.

/** Forces any number into an unsigned 32-bit seed (fractional parts and signs are folded in deterministically). */
export function toSeed32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  // Fold values above 2^32 so that large integer seeds (e.g. Date.now()) still differ.
  const high = Math.floor(whole / 4294967296);
  return (whole ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

/** Bit mixer from MurmurHash3 (fmix32): turns related inputs (seed, index) into unrelated 32-bit values. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines several 32-bit values into one well-mixed seed. */
export function combineSeeds(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) h = mix32(h ^ mix32(toSeed32(p) + 0x9e3779b9));
  return h;
}

/** FNV-1a over the UTF-16 code units of a string, then mixed; used to rank items by key independently of order. */
export function hashString32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ toSeed32(seed)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Integer uniform in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

/** mulberry32 (Tommy Ettinger, public domain): 32-bit state, fast, good enough for synthetic data and shuffles. */
export function mulberry32(seed: number): Random {
  let state = toSeed32(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    normal: () => {
      const u = 1 - next(); // (0, 1]: avoids log(0)
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Fisher-Yates shuffle of a copy, driven by the given generator. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}
