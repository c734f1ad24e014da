import type * as tf from "@tensorflow/tfjs";
import {
  INPUT_CHANNELS,
  STEM_CHANNELS,
  STAGE_CHANNELS,
  hiddenUnits,
  resnet18Blocks,
  scaledChannels,
  type Variant,
} from "./architecture";

/**
 * Trainable parameters of a built model: every trainable weight (conv kernels, dense kernels and biases,
 * BN gamma and beta, LayerNorm gamma and beta). BN moving statistics are not trainable, which matches how
 * torchvision's 11,177,538 for ResNet-18 with 2 classes is usually quoted (`p.requires_grad` only).
 */
export function countTrainableParams(model: tf.LayersModel): number {
  let total = 0;
  for (const w of model.trainableWeights) total += w.shape.reduce<number>((a, d) => a * (d ?? 1), 1);
  return total;
}

/** Trainable parameters added by one attention module on C channels (official implementations' layouts). */
export function attentionParams(variant: Variant, channels: number): number {
  const c = channels;
  const h = hiddenUnits(c);
  switch (variant) {
    case "baseline":
      return 0;
    case "se":
      // Hu et al. 2018: two bias-free FC layers C->C/r->C.
      return c * h + h * c;
    case "cbam":
      // Woo et al. 2018: shared MLP with biases, then 7x7 conv 2->1 without bias and a BN (gamma, beta).
      return c * h + h + h * c + c + 7 * 7 * 2 * 1 + 2;
    case "gc":
      // Cao et al. 2019: 1x1 mask conv C->1 with bias; 1x1 conv C->C/r with bias, LayerNorm (gamma, beta),
      // 1x1 conv C/r->C with bias.
      return c + 1 + (c * h + h) + 2 * h + (h * c + c);
  }
}

/** Trainable parameters of ResNet-18 (+ attention) computed from the architecture alone, without building it. */
export function analyticParamCount(variant: Variant, width = 1, numClasses = 2): number {
  const stem = scaledChannels(STEM_CHANNELS, width);
  let total = 7 * 7 * INPUT_CHANNELS * stem + 2 * stem;
  for (const b of resnet18Blocks(width)) {
    total += 3 * 3 * b.inChannels * b.outChannels + 2 * b.outChannels;
    total += 3 * 3 * b.outChannels * b.outChannels + 2 * b.outChannels;
    if (b.projection) total += b.inChannels * b.outChannels + 2 * b.outChannels;
    total += attentionParams(variant, b.outChannels);
  }
  const features = scaledChannels(STAGE_CHANNELS[STAGE_CHANNELS.length - 1], width);
  return total + features * numClasses + numClasses;
}

export interface ModelSummary {
  variant: Variant;
  width: number;
  inputSize: number;
  params: number;
}

/**
 * Summary for the CLI. The count does not depend on the input size (global average pooling) and is
 * computed analytically, which the tests check against built models.
 */
export function modelSummary(variant: Variant, width = 1, inputSize = 224, numClasses = 2): ModelSummary {
  return { variant, width, inputSize, params: analyticParamCount(variant, width, numClasses) };
}
