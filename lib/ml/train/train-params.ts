/**
 * Training parameters of one run, with the defaults of Rao et al. (ICCV-W 2021), design.md §3:
 * SGD momentum 0.9, weight decay 1e-4, batch 64, learning rate 0.05 divided by 10 at 30 %, 60 % and 90 %
 * of the epochs, 100 epochs, 224 px, full-width ResNet-18, 80/20 split. Every field is optional on input.
 */
import { z } from "zod";

export const trainParamsSchema = z.object({
  epochs: z.number().int().min(1).default(100),
  batchSize: z.number().int().min(2).default(64),
  learningRate: z.number().positive().default(0.05),
  momentum: z.number().min(0).lt(1).default(0.9),
  /** Coupled L2 (added to the gradient) on every trainable weight, as PyTorch's SGD does by default. */
  weightDecay: z.number().min(0).default(1e-4),
  /** Fractions of `epochs` at which the learning rate is divided by 10 (PyTorch MultiStepLR, gamma 0.1). */
  lrDropAt: z
    .array(z.number().gt(0).lt(1))
    .default(() => [0.3, 0.6, 0.9]),
  inputSize: z.number().int().min(32).default(224),
  /** ResNet channel multiplier: 1 = the paper, 0.25 for CPU demos and tests. */
  width: z.number().positive().max(4).default(1),
  /** Write a checkpoint after every this many epochs (and always after the last one and on cancel). */
  checkpointEvery: z.number().int().min(1).default(1),
  /** Share of each class held out for validation; used by whoever splits the data before trainRun. */
  valFraction: z.number().gt(0).lt(1).default(0.2),
  /** Random horizontal flip of training images (the only augmentation). */
  augment: z.boolean().default(true),
});

export type TrainParams = z.infer<typeof trainParamsSchema>;

/**
 * A run that finishes in minutes on one CPU core (wasm): 64 px, quarter width, batch 16, 8 epochs.
 * Deviates from the paper on purpose in two places, because 8 epochs from scratch are far fewer than 100:
 * learning rate 0.02 (0.05 at batch 16 oscillated and stalled near AUC 0.8 on the synthetic set) and a single
 * drop at 75 % (the paper's drops would leave only 2 epochs at the initial rate). Measured: the baseline
 * reaches validation AUC 0.90 on 300 synthetic images at 64 px (240 train); at 32 px every variant passes 0.9
 * (train-run.test.ts). Cost on wasm at 64 px, measured with the machine shared (load ~8-10 on 2 cores):
 * 2.4 (baseline) to 3.6 (CBAM) s of training steps per 100 images per epoch; end to end, with batch
 * building and a 20 % validation pass, about 3 s (baseline) per epoch per 100 training images.
 */
export const CPU_QUICK_PRESET: Partial<TrainParams> = {
  inputSize: 64,
  width: 0.25,
  epochs: 8,
  batchSize: 16,
  learningRate: 0.02,
  lrDropAt: [0.75],
};
