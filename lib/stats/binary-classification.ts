// A binary classifier's probabilities turned into decisions: the confusion matrix at a threshold, sensitivity and
// specificity with Wilson 95 % intervals, and the threshold that maximises Youden's J = sensitivity + specificity - 1
// (Youden W.J. (1950) "Index for rating diagnostic tests", Cancer 3:32-35).
// A score at or above the threshold is called positive.
import { wilsonInterval, type ProportionInterval } from "./wilson";
import { checkBinaryScores } from "./binary-scores";

export interface ConfusionMatrix {
  truePositive: number;
  falseNegative: number;
  trueNegative: number;
  falsePositive: number;
}

export interface RateWithCi {
  /** null when its denominator is 0 (no image of that class). */
  value: number | null;
  ci: ProportionInterval | null;
}

export interface OperatingPoint {
  threshold: number;
  confusion: ConfusionMatrix;
  sensitivity: RateWithCi;
  specificity: RateWithCi;
}

export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ConfusionMatrix {
  checkBinaryScores(scores, labels);
  const c: ConfusionMatrix = { truePositive: 0, falseNegative: 0, trueNegative: 0, falsePositive: 0 };
  for (let i = 0; i < labels.length; i++) {
    const called = scores[i] >= threshold;
    if (labels[i] === 1) {
      if (called) c.truePositive++;
      else c.falseNegative++;
    } else if (called) c.falsePositive++;
    else c.trueNegative++;
  }
  return c;
}

function rate(successes: number, trials: number): RateWithCi {
  return trials === 0
    ? { value: null, ci: null }
    : { value: successes / trials, ci: wilsonInterval(successes, trials) };
}

export function operatingPoint(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): OperatingPoint {
  const confusion = confusionAt(scores, labels, threshold);
  return {
    threshold,
    confusion,
    sensitivity: rate(confusion.truePositive, confusion.truePositive + confusion.falseNegative),
    specificity: rate(confusion.trueNegative, confusion.trueNegative + confusion.falsePositive),
  };
}

/**
 * The threshold with the largest Youden's J on these scores, or null when a class is absent. Candidates lie midway
 * between consecutive distinct scores (as pROC's coords do), so that a threshold chosen on one split does not sit
 * exactly on one of its scores; below the lowest score, everything is positive (J = 0). Of tied maxima, the highest
 * threshold (fewest positive calls) is taken.
 */
export function youdenThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  checkBinaryScores(scores, labels);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i];
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return null;
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  // Walking down the scores, after each block of equal scores the threshold can sit between it and the next.
  let tp = 0;
  let fp = 0;
  let bestJ = -Infinity;
  let best = Number.NaN;
  for (let start = 0; start < order.length;) {
    const s = scores[order[start]];
    let k = start;
    for (; k < order.length && scores[order[k]] === s; k++) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
    }
    const threshold = k < order.length ? (s + scores[order[k]]) / 2 : s;
    const j = tp / pos - fp / neg;
    if (j > bestJ + 1e-12) {
      bestJ = j;
      best = threshold;
    }
    start = k;
  }
  return best;
}
