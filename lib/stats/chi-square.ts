// Pearson's chi-square goodness-of-fit test (Pearson 1900). Used to ask whether readers preferred the arms
// equally: the expected count of each arm is N / k under the null hypothesis of equal preference.
import { chiSquareSurvival } from "./distributions";

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
}

/**
 * Goodness of fit of `observed` counts to `expectedProportions` (default: equal over the categories).
 * Null when there are fewer than two categories or no observations, where the test has no meaning.
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  expectedProportions?: readonly number[],
): ChiSquareResult | null {
  const k = observed.length;
  const total = observed.reduce((s, v) => s + v, 0);
  if (k < 2 || total === 0) return null;
  for (const o of observed) {
    if (!Number.isInteger(o) || o < 0) throw new RangeError(`observed counts must be non-negative integers, got ${o}`);
  }
  let proportions: readonly number[];
  if (expectedProportions === undefined) {
    proportions = observed.map(() => 1 / k);
  } else {
    if (expectedProportions.length !== k) throw new RangeError("expected proportions must match the observed counts");
    const sum = expectedProportions.reduce((s, v) => s + v, 0);
    if (expectedProportions.some((p) => !(p > 0)) || Math.abs(sum - 1) > 1e-9) {
      throw new RangeError("expected proportions must be positive and sum to 1");
    }
    proportions = expectedProportions;
  }
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = total * proportions[i];
    statistic += (observed[i] - expected) ** 2 / expected;
  }
  const df = k - 1;
  return { statistic, df, p: chiSquareSurvival(statistic, df) };
}

/** Smallest expected count under equal preference; the usual rule asks for at least 5 before trusting chi-square. */
export function smallestExpectedCount(observed: readonly number[]): number {
  const total = observed.reduce((s, v) => s + v, 0);
  return observed.length === 0 ? 0 : total / observed.length;
}
