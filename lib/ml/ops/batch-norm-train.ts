import * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_GRAD_KERNEL, BATCH_NORM_TRAIN_KERNEL, hasKernel } from "./kernels";

/**
 * Called once per forward pass with the batch's per-channel mean and biased variance (shape [C]) and
 * the number of values per channel. It runs inside the op's forward function: nothing it does is
 * recorded for autodiff, and tensors it creates are disposed when it returns, so it must write what
 * it wants to keep into variables (as the moving-statistics update does).
 */
export type BatchMomentsCallback = (mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void;

function batchNormTrain_(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  onMoments?: BatchMomentsCallback,
): tf.Tensor {
  if (x.rank < 2)
    throw new Error(`batchNormTrain: x must have a channel axis and at least one other, got shape [${x.shape}]`);
  const channels = x.shape[x.rank - 1];
  const count = x.size / channels;
  const shape = x.shape;
  const view = (t: tf.Tensor) => tf.reshape<tf.Rank.R4>(t, [1, count, 1, channels]);
  // The kernel directly: tf.avgPool would add a Cast of its result to the input's dtype.
  const channelMean = (v: tf.Tensor4D) =>
    tf.reshape<tf.Rank.R1>(
      tf.engine().runKernel<tf.Tensor>("AvgPool", { x: v }, { filterSize: [count, 1], strides: 1, pad: "valid" }),
      [channels],
    );

  if (hasKernel(BATCH_NORM_TRAIN_KERNEL) && hasKernel(BATCH_NORM_GRAD_KERNEL)) {
    return batchNormTrainKernels(x, gamma, beta, epsilon, onMoments);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const xv = view(input);
    const mean = channelMean(xv);
    const centred = channelAffine(xv, tf.ones([1, 1, channels, 1]), tf.neg(mean));
    const variance = channelMean(tf.square(centred));
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const scale = tf.mul(g, invStd);
    const y = tf.reshape(channelAffine(xv, scale, tf.sub(b, tf.mul(mean, scale))), shape);
    if (onMoments !== undefined) onMoments(mean, variance, count);
    save([centred, invStd, scale]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [c, inv, s] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
        const dyv = view(dy);
        const meanDy = channelMean(dyv);
        // dgamma / N = invstd * mean(dy * (x - mean))
        const dGammaOverN = tf.mul(channelMean(tf.mul(dyv, c)), inv);
        const coef = tf.mul(dGammaOverN, inv);
        const dx = channelAffine(tf.sub(dyv, channelAffine(c, coef, withOwnData(meanDy))), s);
        return [tf.reshape(dx, shape), tf.mul(dGammaOverN, count), tf.mul(meanDy, count)];
      },
    };
  });
  return op(x, gamma, beta);
}

/** The same op on a backend with the two batch-norm kernels (the native kernels on wasm): one kernel each way. */
function batchNormTrainKernels(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  onMoments?: BatchMomentsCallback,
): tf.Tensor {
  const count = x.size / x.shape[x.rank - 1];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance, invStd, scale] = tf
      .engine()
      .runKernel<tf.Tensor[]>(BATCH_NORM_TRAIN_KERNEL, { x: input, gamma: g, beta: b }, { epsilon });
    if (onMoments !== undefined) onMoments(mean as tf.Tensor1D, variance as tf.Tensor1D, count);
    save([input, mean, invStd, scale]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, m, inv, s] = saved;
        return tf
          .engine()
          .runKernel<tf.Tensor[]>(BATCH_NORM_GRAD_KERNEL, { dy, x: xs, mean: m, invStd: inv, scale: s }, {});
      },
    };
  });
  return op(x, gamma, beta);
}

/**
 * Training-mode batch normalisation over the last (channel) axis as one differentiable op:
 *
 *   mean, var = batch mean and biased variance over all axes but the last
 *   y = (x - mean) * gamma / sqrt(var + eps) + beta,  computed as  x * scale + (beta - mean * scale)
 *                                                     with scale = gamma / sqrt(var + eps)
 *
 * Why one op: through autodiff the composite (moments, rsqrt, mul/sub/add) records every step on the
 * tape, keeps a copy of each step's inputs and back-propagates through each of them, several dozen
 * kernels per layer. Here the gradient is the closed form (Ioffe & Szegedy 2015), with N values per
 * channel, xhat = (x - mean) * invstd:
 *
 *   dbeta  = sum(dy)
 *   dgamma = sum(dy * xhat)
 *   dx     = gamma * invstd / N * (N * dy - dbeta - xhat * dgamma)
 *          = scale * (dy - (x - mean) * coef - mean(dy)),  scale = gamma * invstd,
 *                                                          coef = invstd^2 * mean(dy * (x - mean))
 *
 * and only x - mean and two [C] vectors are kept for it.
 *
 * The full-size work is laid out for the wasm backend, on a [1, N, 1, C] view of x:
 * - per-channel means are average poolings over the N positions: tf.mean over leading axes transposes
 *   the whole tensor first, and a matrix product with a row of ones packs the data as weights;
 * - per-channel affine maps a * v + b are 1x1 depthwise convolutions (with bias): XNNPACK broadcasts a
 *   [C] operand over [N, C] several times slower than it convolves.
 *
 * A named op, so that profiles show it as batchNormTrain__op.
 */
export const batchNormTrain = tf.op({ batchNormTrain_ });

/**
 * v * a + b per channel, as a 1x1 depthwise convolution of the NHWC tensor v; a and b have C values
 * (a of shape [C] or already the filter shape [1, 1, C, 1], b of shape [C]).
 * The wasm kernel checks the rank of the bias's stored data, which a reshape does not change (reshapes
 * share data), so b must be the output of an arithmetic op, not a reshaped pooling result.
 */
function channelAffine(v: tf.Tensor4D, a: tf.Tensor, b?: tf.Tensor): tf.Tensor4D {
  const filter = a.rank === 4 ? a : tf.reshape(a, [1, 1, a.size, 1]);
  const attrs = { strides: [1, 1], pad: "valid", dataFormat: "NHWC", dilations: [1, 1] };
  // The kernels directly: tf.fused.depthwiseConv2d would wrap itself in a gradient op of its own.
  if (b === undefined) return tf.engine().runKernel<tf.Tensor4D>("DepthwiseConv2dNative", { x: v, filter }, attrs);
  return tf
    .engine()
    .runKernel<tf.Tensor4D>("FusedDepthwiseConv2D", { x: v, filter, bias: b }, { ...attrs, activation: "linear" });
}

/**
 * The values of t in newly allocated data of t's own shape. Not tf.clone: Identity may share the input's
 * data (the cpu backend's does), which for a reshaped tensor keeps the old shape.
 */
function withOwnData(t: tf.Tensor): tf.Tensor {
  return tf.mul(t, 1);
}
