/**
 * Names of the kernels Focus's own ops dispatch to, and the check each op makes before it does. The ops
 * define the names, as tfjs-core defines its kernel names; a backend registers kernels under them
 * (lib/ml/backend: the native kernels and the wasm moving-average kernel). Where a backend has none, the
 * op computes the same formula with stock TF.js ops, so every model trains on every backend.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Training-mode batch norm as two kernels (forward; gradient), see batch-norm-train.ts. Forward: inputs
 * {x, gamma, beta}, attrs {epsilon}, outputs [y, mean, variance, invStd, scale]. Gradient: inputs
 * {dy, x, mean, invStd, scale}, outputs [dx, dgamma, dbeta].
 */
export const BATCH_NORM_TRAIN_KERNEL = "FocusBatchNormTrain";
export const BATCH_NORM_GRAD_KERNEL = "FocusBatchNormGrad";

/**
 * Batch norm's moving-statistics update, see moving-average.ts: inputs {moving, batch}, attrs
 * {momentum, batchScale}, output moving * momentum + (batch * batchScale) * (1 - momentum).
 */
export const MOVING_AVERAGE_KERNEL = "FocusMovingAverage";

/**
 * One SGD-with-momentum update of one parameter, see sgd-momentum-step.ts: inputs {w, grad, buf}, attrs
 * {learningRate, momentum, weightDecay}, outputs [w', buf'].
 */
export const SGD_MOMENTUM_KERNEL = "FocusSgdMomentumStep";

/** True when the active backend has a kernel registered under `name`. */
export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
