/**
 * Shared fixtures of the trainer's tests (and of the crash child process, which must build exactly the
 * same run): seeded synthetic dermoscopy sets split 80/20, at small sizes.
 */
import { stratifiedSplit } from "@/lib/ml/data/split";
import { generateSyntheticSet } from "@/lib/ml/data/synthetic-dermoscopy";
import type { LabelledImages } from "../train-run";
import { trainParamsSchema, type TrainParams } from "../train-params";

export function syntheticSplit(count: number, size: number, seed = 11): { train: LabelledImages; val: LabelledImages } {
  const set = generateSyntheticSet({ count, size, seed });
  const { trainIndices, validationIndices } = stratifiedSplit(
    set.map((c) => ({ label: c.label, key: c.name })),
    { seed: 3 },
  );
  const pick = (ix: number[]): LabelledImages => ({
    images: ix.map((i) => set[i].rgb),
    labels: ix.map((i) => set[i].label),
  });
  return { train: pick(trainIndices), val: pick(validationIndices) };
}

/** A run of a few seconds: 64 images at 32 px, quarter width, 3 epochs of 4 batches. */
export const TINY_RUN = {
  variant: "baseline" as const,
  seed: 5,
  params: trainParamsSchema.parse({ inputSize: 32, width: 0.25, epochs: 3, batchSize: 16, learningRate: 0.02 }),
  data: () => syntheticSplit(64, 32, 21),
};

export function tinyRunParams(overrides: Partial<TrainParams> = {}): TrainParams {
  return trainParamsSchema.parse({ ...TINY_RUN.params, ...overrides });
}
