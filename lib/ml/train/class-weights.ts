/**
 * Optional class-weighted cross-entropy (off by default, as in Rao et al.). With "balanced", each training image's
 * loss is multiplied by N / (2 · N_c) of its class c, counted on the training split (scikit-learn's "balanced"), and
 * the batch loss stays the mean over its images, as Keras' `class_weight` does. The weights then average 1 over the
 * training split, so the learning rate keeps its meaning, and a micro-batch's share of the batch is still its image
 * count (train-step.ts), so accumulated gradients equal the whole batch's.
 */
import * as tf from "@tensorflow/tfjs";
import type { ClassWeighting } from "./train-params";

/** [w_negative, w_positive], or null when the loss is unweighted (or a class is missing from the training split). */
export function classWeightsFor(weighting: ClassWeighting, labels: readonly number[]): [number, number] | null {
  if (weighting === "none") return null;
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return [labels.length / (2 * negatives), labels.length / (2 * positives)];
}

/**
 * Mean over the batch of w[label_i] · (-log softmax(logits_i)[label_i]), computed through log-softmax (stable).
 * Without weights it equals tf.losses.softmaxCrossEntropy's mean.
 */
export function weightedSoftmaxCrossEntropy(
  labels: readonly number[],
  logits: tf.Tensor2D,
  weights: readonly [number, number],
): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.tensor1d(labels as number[], "int32"), 2);
    const perImage = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
    const w = tf.tensor1d(labels.map((l) => weights[l]));
    return tf.mean(tf.mul(perImage, w));
  });
}
