// Kendall's coefficient of concordance W: Kendall M.G. & Babington Smith B. (1939) "The problem of m rankings",
// Ann. Math. Statist. 10:275-287, with the correction for tied ranks (Kendall 1948, Rank Correlation Methods;
// Siegel & Castellan 1988, eq. 9.16):
//   W = 12 S / (m² (n³ − n) − m Σ_raters Σ(t³ − t)),  S = Σ_j (R_j − m(n+1)/2)²,
// and its large-sample test χ² = m (n − 1) W with n − 1 df, as irr::kendall(correct = TRUE) and
// DescTools::KendallW report them.
import { chiSquareSurvival } from "./distributions";
import { type Estimate, NEEDS_TWO_READERS, defined, undefinedBecause } from "./estimate";
import { midRanks, tieTerm } from "./mid-ranks";

export interface KendallWResult {
  w: number;
  chi_square: number;
  df: number;
  p_value: number;
  n_raters: number;
  n_objects: number;
  /** Whether any rater tied objects (W is then the tie-corrected coefficient). */
  ties: boolean;
}

export interface KendallWOptions {
  /** Correct for tied ranks (default true; without ties both forms agree). */
  correctTies?: boolean;
}

/**
 * W over a raters × objects matrix of scores; each rater's row is ranked (ties share mid-ranks), so ranks or any
 * ordinal scores can be passed. Undefined with fewer than two raters or objects, or when every rater ties every
 * object.
 */
export function kendallW(
  scoresByRater: readonly (readonly number[])[],
  options: KendallWOptions = {},
): Estimate<KendallWResult> {
  const m = scoresByRater.length;
  if (m < 2) return undefinedBecause(NEEDS_TWO_READERS);
  const n = scoresByRater[0].length;
  if (n < 2) return undefinedBecause("needs ≥ 2 ranked arms");
  const rankSums = new Array<number>(n).fill(0);
  let ties = 0;
  scoresByRater.forEach((row, i) => {
    if (row.length !== n) throw new RangeError(`rater ${i + 1} scored ${row.length} objects, expected ${n}`);
    if (row.some((v) => !Number.isFinite(v))) throw new RangeError(`rater ${i + 1} has a non-finite score`);
    midRanks(row).forEach((r, j) => (rankSums[j] += r));
    ties += tieTerm(row);
  });
  const centre = (m * (n + 1)) / 2;
  const s = rankSums.reduce((sum, r) => sum + (r - centre) ** 2, 0);
  const denominator = m * m * (n * n * n - n) - (options.correctTies === false ? 0 : m * ties);
  if (denominator <= 1e-12) return undefinedBecause("every reader tied all arms");
  const w = (12 * s) / denominator;
  const chiSquare = m * (n - 1) * w;
  return defined({
    w,
    chi_square: chiSquare,
    df: n - 1,
    p_value: chiSquareSurvival(chiSquare, n - 1),
    n_raters: m,
    n_objects: n,
    ties: ties > 0,
  });
}
