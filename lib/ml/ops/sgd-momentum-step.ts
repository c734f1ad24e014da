/**
 * One SGD-with-momentum update of one parameter, as torch.optim.SGD computes it (dampening 0, no Nesterov):
 *
 *   g   = grad + weightDecay * w
 *   buf = momentum * buf + g          (with momentum 0: buf = g)
 *   w   = w - learningRate * buf
 *
 * Where the backend has SGD_MOMENTUM_KERNEL (the native kernels on wasm) a float32 parameter with a gradient
 * and non-zero momentum is one kernel call instead of six, with the same float32 rounding; elsewhere the
 * same formula in stock ops. A missing gradient counts as zero.
 */
import * as tf from "@tensorflow/tfjs";
import { SGD_MOMENTUM_KERNEL, hasKernel } from "./kernels";

export interface SgdMomentumAttrs {
  learningRate: number;
  momentum: number;
  weightDecay: number;
}

/** The next weights and momentum buffer; the caller assigns them (and disposes them, e.g. inside tf.tidy). */
export function sgdMomentumStep(
  w: tf.Tensor,
  grad: tf.Tensor | undefined,
  buf: tf.Tensor,
  attrs: SgdMomentumAttrs,
): { w: tf.Tensor; buf: tf.Tensor } {
  const { learningRate, momentum, weightDecay } = attrs;
  if (grad !== undefined && grad.dtype === "float32" && momentum !== 0 && hasKernel(SGD_MOMENTUM_KERNEL)) {
    const kernelAttrs = { learningRate, momentum, weightDecay };
    const [nextW, nextBuf] = tf.engine().runKernel<tf.Tensor[]>(SGD_MOMENTUM_KERNEL, { w, grad, buf }, kernelAttrs);
    return { w: nextW, buf: nextBuf };
  }
  return tf.tidy(() => {
    let g: tf.Tensor = grad ?? tf.zerosLike(w);
    if (weightDecay !== 0) g = tf.add(g, tf.mul(w, weightDecay));
    const next = momentum !== 0 ? tf.add(tf.mul(buf, momentum), g) : g;
    return { w: tf.sub(w, tf.mul(next, learningRate)), buf: next };
  });
}
