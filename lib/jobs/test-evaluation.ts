// After training: the final model's P(positive) for every validation and test image, and, when the dataset has a
// test split, the held-out evaluation of lib/stats (the validation AUC stays the one training reported).
import { ImageSplit } from "@/lib/db/client";
import { loadSplit, type LoadedSplit } from "@/lib/datasets/load-split";
import { loadModel } from "@/lib/ml/models/save-load";
import { disposeModel } from "@/lib/ml/models/dispose-model";
import { predictPositive } from "@/lib/ml/train/train-run";
import type { TrainParams } from "@/lib/ml/train/train-params";
import { evaluateHeldOut, type HeldOutEvaluation } from "@/lib/stats/held-out-evaluation";

export interface ImagePrediction {
  imageId: string;
  probability: number;
}

export interface FinishedModelEvaluation {
  predictions: ImagePrediction[];
  /** null when the dataset has no test split. */
  test: HeldOutEvaluation | null;
}

export async function evaluateFinishedModel(opts: {
  datasetId: string;
  modelDir: string;
  params: TrainParams;
  val: LoadedSplit;
  /** The trainer's validation scores of the same model, in the order of `val`. */
  valScores: readonly number[];
  log?: (m: string) => void;
}): Promise<FinishedModelEvaluation> {
  const { val, valScores, params } = opts;
  const predictions: ImagePrediction[] = val.imageIds.map((imageId, i) => ({ imageId, probability: valScores[i] }));
  const test = await loadSplit(opts.datasetId, ImageSplit.TEST, params.inputSize);
  if (test.images.length === 0) return { predictions, test: null };
  const model = await loadModel(opts.modelDir);
  let testScores: number[];
  try {
    testScores = await predictPositive(model, test.images, params.inputSize, params.batchSize);
  } finally {
    disposeModel(model);
  }
  test.imageIds.forEach((imageId, i) => predictions.push({ imageId, probability: testScores[i] }));
  const evaluation = evaluateHeldOut(
    { scores: valScores, labels: val.labels },
    { scores: testScores, labels: test.labels },
  );
  opts.log?.(
    `test split: ${test.images.length} images, AUC ${evaluation.auc?.auc.toFixed(4) ?? "n/a"}` +
      (evaluation.auc?.ci ? ` (95 % CI ${evaluation.auc.ci.low.toFixed(3)}-${evaluation.auc.ci.high.toFixed(3)})` : ""),
  );
  return { predictions, test: evaluation };
}
