// AUC-ROC with its DeLong standard error and 95 % confidence interval.
//
// DeLong E.R., DeLong D.M., Clarke-Pearson D.L. (1988) "Comparing the areas under two or more correlated receiver
// operating characteristic curves: a nonparametric approach", Biometrics 44:837-845. The AUC is the Mann-Whitney
// statistic; its variance comes from the placement values (the "structural components" V10 of each positive and
// V01 of each negative). They are computed from mid-ranks as in Sun X., Xu W. (2014) "Fast implementation of
// DeLong's algorithm for comparing the areas under correlated receiver operating characteristic curves", IEEE Signal
// Processing Letters 21:1389-1393, in O(n log n) rather than DeLong's O(m·n) pairs.
// The interval is AUC ± z·SE clipped to [0, 1], as pROC's ci.auc(method = "delong") reports it.
import { midRanks } from "./mid-ranks";
import { Z_95 } from "./wilson";
import { checkBinaryScores } from "./binary-scores";

export interface AucWithCi {
  auc: number;
  positives: number;
  negatives: number;
  /** DeLong standard error; null below two images of either class (the variance is undefined there). */
  se: number | null;
  /** 95 % interval, clipped to [0, 1]; null with se. */
  ci: { low: number; high: number } | null;
}

/**
 * Placement values: for each positive, the share of negatives it outscores (ties 1/2), V10; for each negative, the
 * share of positives that outscore it, V01. Both average to the AUC.
 */
export function placementValues(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { positive: number[]; negative: number[] } {
  checkBinaryScores(scores, labels);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] === 1 ? pos : neg).push(scores[i]);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) return { positive: [], negative: [] };
  const all = midRanks([...pos, ...neg]);
  const withinPos = midRanks(pos);
  const withinNeg = midRanks(neg);
  return {
    // A positive's rank among all, less its rank among positives, counts the negatives below it (ties 1/2).
    positive: pos.map((_, i) => (all[i] - withinPos[i]) / n),
    negative: neg.map((_, j) => 1 - (all[m + j] - withinNeg[j]) / m),
  };
}

function sampleVariance(xs: readonly number[], mean: number): number {
  return xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
}

/** AUC with DeLong's SE and 95 % CI; null when either class is absent (the AUC is undefined). */
export function delongAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, z: number = Z_95): AucWithCi | null {
  const v = placementValues(scores, labels);
  const m = v.positive.length;
  const n = v.negative.length;
  if (m === 0 || n === 0) return null;
  const auc = v.positive.reduce((a, b) => a + b, 0) / m;
  if (m < 2 || n < 2) return { auc, positives: m, negatives: n, se: null, ci: null };
  const variance = sampleVariance(v.positive, auc) / m + sampleVariance(v.negative, auc) / n;
  const se = Math.sqrt(variance);
  return {
    auc,
    positives: m,
    negatives: n,
    se,
    ci: { low: Math.max(0, auc - z * se), high: Math.min(1, auc + z * se) },
  };
}
