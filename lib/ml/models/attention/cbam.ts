/**
 * Convolutional Block Attention Module: Woo, Park, Lee, Kweon, "CBAM: Convolutional Block Attention
 * Module", ECCV 2018 (Eq. 1-3, Fig. 2). Channel attention then spatial attention:
 *   Mc = sigmoid(MLP(AvgPool(x)) + MLP(MaxPool(x))),          x' = Mc ⊙ x
 *   Ms = sigmoid(BN(conv7x7([MaxPool_c(x'); AvgPool_c(x')]))), y  = Ms ⊙ x'
 * The MLP (C -> C/r, ReLU, C/r -> C, with biases) is shared by both pooled vectors; r = 16. As in the
 * official code (github.com/Jongchan/attention-module, MODELS/cbam.py) the 7x7 conv has padding 3 and no bias
 * and is followed by a BatchNorm with eps 1e-5 and PyTorch momentum 0.01 (0.99 in the Keras convention used here).
 *
 * Initialisation as the official ResNet does it (MODELS/model_resnet.py, ResNet.__init__): the spatial gate's BN
 * weight (gamma) is 0 and every bias is 0 (the MLP's two, the BN's beta); the MLP weights keep PyTorch's nn.Linear
 * default and the 7x7 conv is Kaiming normal, fan_out. With gamma 0 the spatial gate starts as a constant
 * sigmoid(0) = 1/2 and learns where to look from there. That loop also zeroes the classifier's bias and draws its
 * weight from Kaiming normal; Focus keeps torchvision's initialisation outside the module in all four variants, so
 * that they differ only by their attention module.
 */
import * as tf from "@tensorflow/tfjs";
import { hiddenUnits } from "../architecture";
import { heNormalFanOut, torchLinearDefault, type SeedSequence } from "../init";
import { BroadcastMultiply } from "../layers/broadcast-merge";
import { ChannelPool } from "../layers/channel-pool";
import { ScaleShiftBatchNorm } from "../layers/scale-shift-batch-norm";
import { layerWeights } from "./attention-block";

export const CBAM_SPATIAL_KERNEL = 7;
const SPATIAL_BN_MOMENTUM = 0.99;
const BN_EPSILON = 1e-5;

export function cbamBlock(
  x: tf.SymbolicTensor,
  channels: number,
  prefix: string,
  seeds: SeedSequence,
): tf.SymbolicTensor {
  const hidden = hiddenUnits(channels);
  const p = `${prefix}_cbam`;

  // Channel gate: one MLP, two pooled descriptors.
  const w1Seed = seeds.next();
  const w2Seed = seeds.next();
  const mlpHidden = tf.layers.dense({
    units: hidden,
    activation: "relu",
    kernelInitializer: torchLinearDefault(channels, w1Seed),
    biasInitializer: "zeros",
    name: `${p}_mlp_fc1`,
  });
  const mlpOut = tf.layers.dense({
    units: channels,
    kernelInitializer: torchLinearDefault(hidden, w2Seed),
    biasInitializer: "zeros",
    name: `${p}_mlp_fc2`,
  });
  const avg = tf.layers.globalAveragePooling2d({ name: `${p}_avg_pool` }).apply(x) as tf.SymbolicTensor;
  const max = tf.layers.globalMaxPooling2d({ name: `${p}_max_pool` }).apply(x) as tf.SymbolicTensor;
  const avgOut = mlpOut.apply(mlpHidden.apply(avg)) as tf.SymbolicTensor;
  const maxOut = mlpOut.apply(mlpHidden.apply(max)) as tf.SymbolicTensor;
  const channelSum = tf.layers.add({ name: `${p}_channel_sum` }).apply([avgOut, maxOut]) as tf.SymbolicTensor;
  const channelGate = tf.layers
    .activation({ activation: "sigmoid", name: `${p}_channel_gate` })
    .apply(channelSum) as tf.SymbolicTensor;
  const refined = new BroadcastMultiply({ name: `${p}_channel_scale` }).apply([x, channelGate]) as tf.SymbolicTensor;

  // Spatial gate on the channel-refined features.
  const pooled = new ChannelPool({ name: `${p}_channel_pool` }).apply(refined) as tf.SymbolicTensor;
  const conv = tf.layers
    .conv2d({
      filters: 1,
      kernelSize: CBAM_SPATIAL_KERNEL,
      strides: 1,
      padding: "same", // stride 1, odd kernel: symmetric padding 3, as the official code
      useBias: false,
      kernelInitializer: heNormalFanOut(CBAM_SPATIAL_KERNEL, CBAM_SPATIAL_KERNEL, 1, seeds.next()),
      name: `${p}_spatial_conv`,
    })
    .apply(pooled) as tf.SymbolicTensor;
  const bn = new ScaleShiftBatchNorm({
    momentum: SPATIAL_BN_MOMENTUM,
    epsilon: BN_EPSILON,
    gammaInitializer: "zeros",
    name: `${p}_spatial_bn`,
  }).apply(conv) as tf.SymbolicTensor;
  const spatialGate = tf.layers
    .activation({ activation: "sigmoid", name: `${p}_spatial_gate` })
    .apply(bn) as tf.SymbolicTensor;
  return new BroadcastMultiply({ name: `${p}_spatial_scale` }).apply([refined, spatialGate]) as tf.SymbolicTensor;
}

export interface CBAMWeights {
  /** [C, C/r], [C/r] */
  fc1Kernel: tf.Tensor;
  fc1Bias: tf.Tensor;
  /** [C/r, C], [C] */
  fc2Kernel: tf.Tensor;
  fc2Bias: tf.Tensor;
  /** [7, 7, 2, 1], input channels ordered [max, mean] */
  spatialKernel: tf.Tensor;
  /** spatial BN, each [1] */
  bnGamma: tf.Tensor;
  bnBeta: tf.Tensor;
  bnMean: tf.Tensor;
  bnVariance: tf.Tensor;
  bnEpsilon?: number;
}

/** The CBAM formula computed directly on tensors, BN in inference mode (reference for tests). */
export function cbamFormula(x: tf.Tensor4D, w: CBAMWeights): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , c] = x.shape;
    const mlp = (v: tf.Tensor) =>
      tf.add(
        tf.matMul(
          tf.relu(tf.add(tf.matMul(v as tf.Tensor2D, w.fc1Kernel as tf.Tensor2D), w.fc1Bias)),
          w.fc2Kernel as tf.Tensor2D,
        ),
        w.fc2Bias,
      );
    const mc = tf.sigmoid(tf.add(mlp(tf.mean(x, [1, 2])), mlp(tf.max(x, [1, 2]))));
    const refined = tf.mul<tf.Tensor4D>(x, tf.reshape(mc, [n, 1, 1, c]));
    const descriptor = tf.concat([tf.max(refined, 3, true), tf.mean(refined, 3, true)], 3) as tf.Tensor4D;
    const pad = (CBAM_SPATIAL_KERNEL - 1) / 2;
    const padded = tf.pad(descriptor, [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ]);
    const conv = tf.conv2d(padded, w.spatialKernel as tf.Tensor4D, 1, "valid");
    const eps = w.bnEpsilon ?? BN_EPSILON;
    const bn = tf.add(tf.mul(tf.div(tf.sub(conv, w.bnMean), tf.sqrt(tf.add(w.bnVariance, eps))), w.bnGamma), w.bnBeta);
    return tf.mul<tf.Tensor4D>(refined, tf.sigmoid(bn));
  });
}

export function readCBAMWeights(model: tf.LayersModel, prefix: string): CBAMWeights {
  const p = `${prefix}_cbam`;
  const [fc1Kernel, fc1Bias] = layerWeights(model, `${p}_mlp_fc1`);
  const [fc2Kernel, fc2Bias] = layerWeights(model, `${p}_mlp_fc2`);
  const [spatialKernel] = layerWeights(model, `${p}_spatial_conv`);
  const [bnGamma, bnBeta, bnMean, bnVariance] = layerWeights(model, `${p}_spatial_bn`);
  return { fc1Kernel, fc1Bias, fc2Kernel, fc2Bias, spatialKernel, bnGamma, bnBeta, bnMean, bnVariance };
}
