// Mean with its t-based confidence interval (Student 1908): mean ± t_{1−α/2, n−1} · s / √n.
import { type Estimate, defined, undefinedBecause } from "./estimate";
import { tQuantile } from "./t-and-f-distributions";

export interface TInterval {
  /** Sample standard deviation (n − 1 in the denominator). */
  sd: number;
  df: number;
  low: number;
  high: number;
}

export interface MeanWithInterval {
  n: number;
  mean: number;
  /** Undefined with a single value (no spread to estimate). */
  interval: Estimate<TInterval>;
}

export function meanWithTInterval(values: readonly number[], confidence = 0.95): Estimate<MeanWithInterval> {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError("values must be finite numbers");
  const n = values.length;
  if (n === 0) return undefinedBecause("no values");
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return defined({ n, mean, interval: undefinedBecause("needs ≥ 2 values for an interval") });
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return defined({ n, mean, interval: defined({ sd, df: n - 1, low: mean - half, high: mean + half }) });
}
