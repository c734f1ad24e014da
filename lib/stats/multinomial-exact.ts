// Exact multinomial goodness-of-fit test against equal preference, for when the chi-square approximation is
// doubtful (expected counts below 5). The p-value is the total probability, under equal probabilities 1/k,
// of every outcome no more likely than the observed one — the "probability ordering" used by e.g. the R
// package EMT (Menzel, multinomial.test) and described by Read & Cressie (1988), Goodness-of-fit Statistics
// for Discrete Multivariate Data, §5.
import { logFactorialTable } from "./distributions";

export interface ExactMultinomialOptions {
  /** Largest number of distinct count patterns (partitions of N into at most k parts) to enumerate. */
  maxPatterns?: number;
  /** Monte Carlo draws when enumeration would be larger than maxPatterns. */
  draws?: number;
  /** Seed of the Monte Carlo generator, so a reported p can be reproduced exactly. */
  seed?: number;
}

export interface ExactMultinomialResult {
  p: number;
  method: "enumeration" | "monte_carlo";
  /** Monte Carlo only: number of simulated samples and the seed used; null for enumeration. */
  draws: number | null;
  seed: number | null;
}

export const DEFAULT_MAX_PATTERNS = 200_000;
export const DEFAULT_MONTE_CARLO_DRAWS = 100_000;
export const DEFAULT_MONTE_CARLO_SEED = 20210101;

// Outcomes whose probability equals the observed one up to floating-point noise must count as "as extreme".
const LOG_TOLERANCE = 1e-7;

/** mulberry32 (T. Ettinger, public domain): a small, fast 32-bit generator; ample for Monte Carlo p-values. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Number of partitions of n into at most k parts, saturating at `cap` (it grows very fast). */
export function countPartitions(n: number, k: number, cap: number): number {
  // Partitions into at most k parts = partitions with parts no larger than k (conjugation).
  const ways = new Array<number>(n + 1).fill(0);
  ways[0] = 1;
  for (let size = 1; size <= Math.min(k, n); size++) {
    for (let total = size; total <= n; total++) ways[total] = Math.min(cap, ways[total] + ways[total - size]);
  }
  return ways[n];
}

/**
 * Exact (or, when too large, Monte Carlo) p-value for `observed` counts against equal probabilities.
 * Null with fewer than two categories or no observations.
 */
export function exactMultinomialEqualP(
  observed: readonly number[],
  options: ExactMultinomialOptions = {},
): ExactMultinomialResult | null {
  const k = observed.length;
  const total = observed.reduce((s, v) => s + v, 0);
  if (k < 2 || total === 0) return null;
  for (const o of observed) {
    if (!Number.isInteger(o) || o < 0) throw new RangeError(`observed counts must be non-negative integers, got ${o}`);
  }
  const maxPatterns = options.maxPatterns ?? DEFAULT_MAX_PATTERNS;
  const logFactorial = logFactorialTable(Math.max(total, k));
  // Under equal probabilities an outcome's probability is N!/(Πx!)·k^-N, so it is ordered by Σ ln x! alone:
  // an outcome is at most as likely as the observed one exactly when its Σ ln x! is at least as large.
  const observedScore = observed.reduce((s, x) => s + logFactorial[x], 0);

  if (countPartitions(total, k, maxPatterns + 1) <= maxPatterns) {
    return { p: enumerate(total, k, observedScore, logFactorial), method: "enumeration", draws: null, seed: null };
  }
  const draws = options.draws ?? DEFAULT_MONTE_CARLO_DRAWS;
  const seed = options.seed ?? DEFAULT_MONTE_CARLO_SEED;
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`draws must be a positive integer, got ${draws}`);
  return { p: monteCarlo(total, k, observedScore, logFactorial, draws, seed), method: "monte_carlo", draws, seed };
}

// Walks the partitions of `total` into at most k parts (count patterns, order ignored). Each pattern stands
// for k!/Π(multiplicity!) equally likely outcomes, which keeps the walk small where k^N outcomes would not.
function enumerate(total: number, k: number, observedScore: number, logFactorial: Float64Array): number {
  const logBase = logFactorial[total] - total * Math.log(k) + logFactorial[k];
  const parts: number[] = [];
  let p = 0;

  const visit = (): void => {
    let score = 0;
    for (const x of parts) score += logFactorial[x];
    if (score < observedScore - LOG_TOLERANCE) return;
    // Multiplicities of equal values, zeros included, for the number of distinct arrangements.
    let logMultiplicities = logFactorial[k - parts.length];
    let run = 1;
    for (let i = 1; i <= parts.length; i++) {
      if (i < parts.length && parts[i] === parts[i - 1]) run++;
      else {
        logMultiplicities += logFactorial[run];
        run = 1;
      }
    }
    p += Math.exp(logBase - score - logMultiplicities);
  };

  const extend = (remaining: number, largest: number): void => {
    if (remaining === 0) {
      visit();
      return;
    }
    if (parts.length === k) return;
    for (let x = Math.min(remaining, largest); x >= 1; x--) {
      parts.push(x);
      extend(remaining - x, x);
      parts.pop();
    }
  };
  extend(total, total);
  return Math.min(1, p);
}

// (hits + 1) / (draws + 1) counts the observed sample as one of the draws, so the estimate is never 0 and
// is a valid p-value (Davison & Hinkley 1997, Bootstrap Methods and their Application, §4.2.1).
function monteCarlo(
  total: number,
  k: number,
  observedScore: number,
  logFactorial: Float64Array,
  draws: number,
  seed: number,
): number {
  const random = mulberry32(seed);
  const counts = new Int32Array(k);
  let hits = 0;
  for (let d = 0; d < draws; d++) {
    counts.fill(0);
    for (let i = 0; i < total; i++) counts[Math.floor(random() * k)] += 1;
    let score = 0;
    for (let j = 0; j < k; j++) score += logFactorial[counts[j]];
    if (score >= observedScore - LOG_TOLERANCE) hits++;
  }
  return (hits + 1) / (draws + 1);
}
