/**
 * Global Context block: Cao, Xu, Lin, Wei, Hu, "GCNet: Non-local Networks Meet Squeeze-Excitation
 * Networks and Beyond", ICCV Workshops 2019 (Eq. 3, Fig. 4d):
 *   context   = sum_j softmax_j(Wk x_j) x_j                       (1x1 conv to one logit per position)
 *   transform = Wv2 ReLU(LN(Wv1 context))                        (C -> C/r -> C, r = 16)
 *   y_i       = x_i + transform                                  (fusion by addition, every position)
 * As in the official ContextBlock: 1x1 convs with biases, LayerNorm over (C/r, 1, 1), the mask conv
 * Kaiming fan_in initialised, the last conv zero-initialised so each block starts as the identity.
 */
import * as tf from "@tensorflow/tfjs";
import { hiddenUnits } from "../architecture";
import { heNormalFanIn, heNormalFanOut, type SeedSequence } from "../init";
import { AttentionPool } from "../layers/attention-pool";
import { BroadcastAdd } from "../layers/broadcast-merge";
import { NonBatchLayerNorm } from "../layers/layer-norm";
import { layerWeights } from "./attention-block";

const LN_EPSILON = 1e-5;

export function gcBlock(
  x: tf.SymbolicTensor,
  channels: number,
  prefix: string,
  seeds: SeedSequence,
): tf.SymbolicTensor {
  const hidden = hiddenUnits(channels);
  const p = `${prefix}_gc`;
  const logits = tf.layers
    .conv2d({
      filters: 1,
      kernelSize: 1,
      kernelInitializer: heNormalFanIn(channels, seeds.next()),
      biasInitializer: "zeros",
      name: `${p}_mask_conv`,
    })
    .apply(x) as tf.SymbolicTensor;
  const context = new AttentionPool({ name: `${p}_context_pool` }).apply([x, logits]) as tf.SymbolicTensor;
  const squeezed = tf.layers
    .conv2d({
      filters: hidden,
      kernelSize: 1,
      kernelInitializer: heNormalFanOut(1, 1, hidden, seeds.next()),
      biasInitializer: "zeros",
      name: `${p}_transform_conv1`,
    })
    .apply(context) as tf.SymbolicTensor;
  const normalised = new NonBatchLayerNorm({ epsilon: LN_EPSILON, name: `${p}_transform_ln` }).apply(
    squeezed,
  ) as tf.SymbolicTensor;
  const activated = tf.layers.reLU({ name: `${p}_transform_relu` }).apply(normalised) as tf.SymbolicTensor;
  const transform = tf.layers
    .conv2d({
      filters: channels,
      kernelSize: 1,
      kernelInitializer: "zeros",
      biasInitializer: "zeros",
      name: `${p}_transform_conv2`,
    })
    .apply(activated) as tf.SymbolicTensor;
  return new BroadcastAdd({ name: `${p}_fusion_add` }).apply([x, transform]) as tf.SymbolicTensor;
}

export interface GCWeights {
  /** [1, 1, C, 1], [1] */
  maskKernel: tf.Tensor;
  maskBias: tf.Tensor;
  /** [1, 1, C, C/r], [C/r] */
  conv1Kernel: tf.Tensor;
  conv1Bias: tf.Tensor;
  /** LayerNorm affine, each [C/r] */
  lnGamma: tf.Tensor;
  lnBeta: tf.Tensor;
  /** [1, 1, C/r, C], [C] */
  conv2Kernel: tf.Tensor;
  conv2Bias: tf.Tensor;
  lnEpsilon?: number;
}

/** The GC formula computed directly on tensors (reference for tests). x: [N,H,W,C]. */
export function gcFormula(x: tf.Tensor4D, w: GCWeights): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , c] = x.shape;
    const hidden = w.conv1Bias.shape[0];
    // Context modelling: one logit per position, softmax over all positions, weighted sum.
    const logits = tf.add(
      tf.sum(tf.mul(x, tf.reshape(w.maskKernel, [1, 1, 1, c])), 3, true),
      tf.reshape(w.maskBias, [1, 1, 1, 1]),
    );
    const e = tf.exp(tf.sub(logits, tf.max(logits, [1, 2], true)));
    const attention = tf.div(e, tf.sum(e, [1, 2], true));
    const context = tf.sum(tf.mul(attention, x), [1, 2]); // [N, C]
    // Transform: bottleneck with LayerNorm.
    const t1 = tf.add(
      tf.matMul(context as tf.Tensor2D, tf.reshape<tf.Rank.R2>(w.conv1Kernel, [c, hidden])),
      w.conv1Bias,
    );
    const { mean, variance } = tf.moments(t1, 1, true);
    const eps = w.lnEpsilon ?? LN_EPSILON;
    const ln = tf.add(tf.mul(tf.div(tf.sub(t1, mean), tf.sqrt(tf.add(variance, eps))), w.lnGamma), w.lnBeta);
    const t2 = tf.add(
      tf.matMul(tf.relu(ln as tf.Tensor2D), tf.reshape<tf.Rank.R2>(w.conv2Kernel, [hidden, c])),
      w.conv2Bias,
    );
    // Fusion: the same vector added at every position.
    return tf.add<tf.Tensor4D>(x, tf.reshape(t2, [n, 1, 1, c]));
  });
}

export function readGCWeights(model: tf.LayersModel, prefix: string): GCWeights {
  const p = `${prefix}_gc`;
  const [maskKernel, maskBias] = layerWeights(model, `${p}_mask_conv`);
  const [conv1Kernel, conv1Bias] = layerWeights(model, `${p}_transform_conv1`);
  const [lnGamma, lnBeta] = layerWeights(model, `${p}_transform_ln`);
  const [conv2Kernel, conv2Bias] = layerWeights(model, `${p}_transform_conv2`);
  return { maskKernel, maskBias, conv1Kernel, conv1Bias, lnGamma, lnBeta, conv2Kernel, conv2Bias };
}
