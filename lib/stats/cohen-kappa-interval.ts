// Cohen's kappa with its large-sample standard errors: Fleiss J.L., Cohen J. & Everitt B.S. (1969) "Large sample
// standard errors of kappa and weighted kappa", Psychol. Bull. 72:323-327 (equations 13 and 14; also Fleiss,
// Levin & Paik 2003, §18.1). The non-null SE gives the confidence interval, the null SE the z test, as SAS
// PROC FREQ ("ASE"), Stata's kap and irr::kappa2 (z only) report them.
import { chiSquareSurvival } from "./distributions";
import { type Estimate, defined, undefinedBecause } from "./estimate";
import { Z_95 } from "./wilson";

export interface KappaWithInterval {
  kappa: number;
  n: number;
  observed_agreement: number;
  chance_agreement: number;
  /** Non-null large-sample SE (FCE 1969 eq. 13). */
  se: number;
  /** κ ± z · se, clipped to [−1, 1]. */
  ci_low: number;
  ci_high: number;
  /** z = κ / se₀ with the SE under κ = 0 (eq. 14), and its two-sided p. */
  z: number;
  p_value: number;
}

/** Kappa, SE, interval and test from a square contingency table (rows: first rating, columns: second). */
export function cohenKappaWithInterval(
  table: readonly (readonly number[])[],
  z: number = Z_95,
): Estimate<KappaWithInterval> {
  const q = table.length;
  if (table.some((row) => row.length !== q)) throw new RangeError("a contingency table must be square");
  if (table.some((row) => row.some((v) => !(v >= 0) || !Number.isFinite(v)))) {
    throw new RangeError("contingency counts must be finite and ≥ 0");
  }
  const n = table.flat().reduce((s, v) => s + v, 0);
  if (n < 2) return undefinedBecause("needs ≥ 2 rated pairs");
  const p = table.map((row) => row.map((v) => v / n));
  const rows = p.map((row) => row.reduce((s, v) => s + v, 0));
  const columns = Array.from({ length: q }, (_, j) => p.reduce((s, row) => s + row[j], 0));
  const po = p.reduce((s, row, i) => s + row[i], 0);
  const pe = rows.reduce((s, r, i) => s + r * columns[i], 0);
  if (pe >= 1 - 1e-12) return undefinedBecause("one and the same choice throughout (chance agreement is 1)");
  const kappa = (po - pe) / (1 - pe);
  let a = 0;
  let b = 0;
  for (let i = 0; i < q; i++) {
    a += p[i][i] * (1 - (rows[i] + columns[i]) * (1 - kappa)) ** 2;
    for (let j = 0; j < q; j++) if (i !== j) b += p[i][j] * (columns[i] + rows[j]) ** 2;
  }
  const c = (kappa - pe * (1 - kappa)) ** 2;
  const variance = (a + (1 - kappa) ** 2 * b - c) / (n * (1 - pe) ** 2);
  const se = Math.sqrt(Math.max(0, variance));
  let nullSum = 0;
  for (let i = 0; i < q; i++) nullSum += rows[i] * columns[i] * (rows[i] + columns[i]);
  const se0 = Math.sqrt(Math.max(0, (pe + pe * pe - nullSum) / (n * (1 - pe) ** 2)));
  const zValue = kappa / se0;
  return defined({
    kappa,
    n,
    observed_agreement: po,
    chance_agreement: pe,
    se,
    ci_low: Math.max(-1, kappa - z * se),
    ci_high: Math.min(1, kappa + z * se),
    z: zValue,
    // Two-sided normal p: P(|Z| ≥ |z|) = P(χ²₁ ≥ z²).
    p_value: chiSquareSurvival(zValue * zValue, 1),
  });
}
