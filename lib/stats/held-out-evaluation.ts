// A trained model on its held-out test split: AUC with DeLong's 95 % interval, and sensitivity, specificity and the
// confusion matrix at 0.5 and at the threshold chosen on the validation split by Youden's J. The threshold is
// chosen on validation, never on test, so the test figures are not tuned to the test images.
import { operatingPoint, youdenThreshold, type OperatingPoint } from "./binary-classification";
import { delongAuc, type AucWithCi } from "./delong";

export interface ScoredSplit {
  /** P(positive) per image. */
  scores: readonly number[];
  /** 0 or 1 per image. */
  labels: readonly number[];
}

export interface HeldOutEvaluation {
  images: number;
  positives: number;
  negatives: number;
  /** null when the test split lacks a class. */
  auc: AucWithCi | null;
  atHalf: OperatingPoint;
  /** null when the validation split lacks a class (no threshold can be chosen there). */
  atValidationYouden: OperatingPoint | null;
}

export const DEFAULT_THRESHOLD = 0.5;

export function evaluateHeldOut(validation: ScoredSplit, test: ScoredSplit): HeldOutEvaluation {
  if (test.scores.length === 0) throw new RangeError("the test split has no images");
  const positives = test.labels.filter((l) => l === 1).length;
  const youden = youdenThreshold(validation.scores, validation.labels);
  return {
    images: test.scores.length,
    positives,
    negatives: test.scores.length - positives,
    auc: delongAuc(test.scores, test.labels),
    atHalf: operatingPoint(test.scores, test.labels, DEFAULT_THRESHOLD),
    atValidationYouden: youden === null ? null : operatingPoint(test.scores, test.labels, youden),
  };
}
