/**
 * One SGD step on a batch, run as one pass or as micro-batches with accumulated gradients (micro-batch.ts
 * plans the split). The loss is the batch mean, so micro-batch i of n_i images out of N contributes
 * (n_i / N) × the gradient of its own mean loss; the sum is the full-batch gradient exactly, except that
 * batch norm in training mode normalises over each micro-batch. Weight decay and momentum are applied once,
 * to the sum, by the optimizer.
 */
import * as tf from "@tensorflow/tfjs";
import type { SgdMomentum } from "./sgd-momentum";
import { weightedSoftmaxCrossEntropy } from "./class-weights";

export interface BatchGradients {
  /** Mean loss over the batch. */
  loss: tf.Scalar;
  /** P(positive) of every image, in batch order (from the same forward passes). */
  positive: tf.Tensor1D;
  /** Gradient of the mean loss, keyed by variable name. */
  grads: tf.NamedTensorMap;
}

/**
 * The batch's mean loss and its gradient with respect to `params`, accumulated over micro-batches of the
 * given sizes (which must add up to the batch). `training` is passed to the model: true uses batch
 * statistics in batch norm (and updates the moving ones once per micro-batch). The caller disposes all.
 */
export function batchGradients(
  model: tf.LayersModel,
  params: readonly tf.Variable[],
  x: tf.Tensor4D,
  labels: readonly number[],
  sizes: readonly number[] = [x.shape[0]],
  training = true,
  /** Per-class loss weights [negative, positive] (class-weights.ts); null for the plain mean cross-entropy. */
  classWeights: readonly [number, number] | null = null,
): BatchGradients {
  const total = x.shape[0];
  if (labels.length !== total) throw new Error(`${labels.length} labels for a batch of ${total}`);
  if (sizes.reduce((a, b) => a + b, 0) !== total || sizes.some((s) => s < 1)) {
    throw new Error(`micro-batch sizes ${sizes.join(", ")} do not cut a batch of ${total}`);
  }
  const parts: tf.Tensor1D[] = [];
  let loss: tf.Scalar | undefined;
  let grads: tf.NamedTensorMap = {};
  let start = 0;
  for (const n of sizes) {
    const weight = n / total;
    const whole = sizes.length === 1;
    const step = tf.tidy(() => {
      const xi = whole ? x : x.slice([start, 0, 0, 0], [n, -1, -1, -1]);
      const oneHot = tf.oneHot(tf.tensor1d(labels.slice(start, start + n), "int32"), 2);
      let positive: tf.Tensor1D | undefined;
      const { value, grads: g } = tf.variableGrads(() => {
        const logits = model.apply(xi, { training }) as tf.Tensor2D;
        positive = tf.keep(tf.softmax(logits).slice([0, 1], [-1, 1]).reshape<tf.Tensor1D>([-1]));
        if (classWeights) return weightedSoftmaxCrossEntropy(labels.slice(start, start + n), logits, classWeights);
        // Mean over the micro-batch of -log softmax(logits)[label], computed stably through log-sum-exp.
        return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(oneHot, logits);
      }, params as tf.Variable[]);
      if (whole) return { value, g, positive: positive! };
      const scaled: tf.NamedTensorMap = {};
      for (const [name, t] of Object.entries(g))
        scaled[name] = grads[name] ? tf.add(grads[name], tf.mul(t, weight)) : tf.mul(t, weight);
      const v = loss ? tf.add(loss, tf.mul(value, weight)) : tf.mul(value, weight);
      return { value: v as tf.Scalar, g: scaled, positive: positive! };
    });
    tf.dispose([...Object.values(grads), ...(loss ? [loss] : [])]);
    grads = step.g;
    loss = step.value;
    parts.push(step.positive);
    start += n;
  }
  const positive = parts.length === 1 ? parts[0] : tf.concat<tf.Tensor1D>(parts);
  if (parts.length > 1) tf.dispose(parts);
  return { loss: loss!, positive, grads };
}

/**
 * One SGD step on a batch (BN in training mode, so its moving statistics update), as micro-batches of
 * `sizes` when given; returns the batch's mean loss and its training-mode P(positive). The caller
 * disposes both tensors.
 */
export function trainStep(
  model: tf.LayersModel,
  sgd: SgdMomentum,
  x: tf.Tensor4D,
  labels: readonly number[],
  learningRate: number,
  sizes?: readonly number[],
  classWeights: readonly [number, number] | null = null,
): { loss: tf.Scalar; positive: tf.Tensor1D } {
  const { loss, positive, grads } = batchGradients(model, sgd.params, x, labels, sizes, true, classWeights);
  try {
    sgd.step(grads, learningRate);
  } finally {
    tf.dispose(Object.values(grads));
  }
  return { loss, positive };
}
