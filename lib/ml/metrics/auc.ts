// Exact AUC-ROC and ROC curve for binary labels.
//
// AUC is computed as the Mann-Whitney U statistic divided by n_pos * n_neg (Hanley & McNeil, Radiology 1982):
// the probability that a random positive scores above a random negative, ties counting 1/2. Mid-ranks give
// exactly that tie rule. Returns null, rather than a number, when one class is absent: AUC is undefined then.

import { checkBinaryScores } from "../../stats/binary-scores";

export interface RocPoint {
  /** Scores >= threshold are called positive. +Infinity for the (0, 0) start. */
  threshold: number;
  fpr: number;
  tpr: number;
}

function classCounts(labels: ArrayLike<number>): { pos: number; neg: number } {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i];
  return { pos, neg: labels.length - pos };
}

/** Indices sorted by ascending score (stable, so equal scores keep input order; irrelevant to the result). */
function orderByScore(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
}

/** AUC-ROC via mid-ranks; null when either class is absent. */
export function aucRoc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  checkBinaryScores(scores, labels);
  const { pos, neg } = classCounts(labels);
  if (pos === 0 || neg === 0) return null;
  const order = orderByScore(scores);
  let rankSumPos = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const midRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let k = start; k <= end; k++) if (labels[order[k]] === 1) rankSumPos += midRank;
    start = end + 1;
  }
  const u = rankSumPos - (pos * (pos + 1)) / 2;
  return u / (pos * neg);
}

/**
 * ROC curve with one point per distinct score (tied scores move together, giving a diagonal step), from (0, 0)
 * at threshold +Infinity to (1, 1) at the lowest score. null when either class is absent.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] | null {
  checkBinaryScores(scores, labels);
  const { pos, neg } = classCounts(labels);
  if (pos === 0 || neg === 0) return null;
  const order = orderByScore(scores).reverse();
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < order.length;) {
    const threshold = scores[order[start]];
    let k = start;
    for (; k < order.length && scores[order[k]] === threshold; k++) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
    }
    points.push({ threshold, fpr: fp / neg, tpr: tp / pos });
    start = k;
  }
  return points;
}

/** Trapezoidal area under a ROC curve; equals aucRoc for the curve rocCurve returns. */
export function areaUnderCurve(points: readonly RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    area += ((points[i].fpr - points[i - 1].fpr) * (points[i].tpr + points[i - 1].tpr)) / 2;
  }
  return area;
}
