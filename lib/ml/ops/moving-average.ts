/**
 * Batch norm's moving-statistics update as one op:
 *
 *   moving * momentum + (batch * batchScale) * (1 - momentum)
 *
 * (batchScale = n / (n - 1) turns the biased batch variance into PyTorch's unbiased one; 1 for the mean).
 * Where the backend has MOVING_AVERAGE_KERNEL (wasm) this is one kernel call; elsewhere the same formula
 * in stock ops, which the kernel matches bit for bit.
 */
import * as tf from "@tensorflow/tfjs";
import { MOVING_AVERAGE_KERNEL, hasKernel } from "./kernels";

export function movingAverage(moving: tf.Tensor, batch: tf.Tensor, momentum: number, batchScale: number): tf.Tensor {
  if (hasKernel(MOVING_AVERAGE_KERNEL)) {
    return tf.engine().runKernel<tf.Tensor>(MOVING_AVERAGE_KERNEL, { moving, batch }, { momentum, batchScale });
  }
  return tf.tidy(() => {
    const scaled = batchScale === 1 ? batch : tf.mul(batch, batchScale);
    return tf.add(tf.mul(moving, momentum), tf.mul(scaled, 1 - momentum));
  });
}
