// Wilson score interval for a binomial proportion: Wilson E.B. (1927) "Probable inference, the law of
// succession, and statistical inference", JASA 22:209-212; recommended over the Wald interval by
// Newcombe R.G. (1998) "Two-sided confidence intervals for the single proportion", Stat Med 17:857-872.

/** Two-sided 95 % standard normal quantile, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

export interface ProportionInterval {
  low: number;
  high: number;
}

/** Wilson score interval (no continuity correction) for `successes` out of `trials`; null when trials is 0. */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): ProportionInterval | null {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(`wilsonInterval needs integers 0 <= successes <= trials, got ${successes}/${trials}`);
  }
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // Clamp the rounding error at the 0 and 1 boundaries (the exact bounds there are 0 and 1).
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    high: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
}
