/**
 * Squeeze-and-Excitation block: Hu, Shen, Sun, "Squeeze-and-Excitation Networks", CVPR 2018 (Fig. 3,
 * Eq. 2-4): s = sigmoid(W2 relu(W1 GAP(x))), y = s ⊙ x, with W1: C -> C/r and W2: C/r -> C, no biases
 * (official SE-ResNet code), r = 16.
 */
import * as tf from "@tensorflow/tfjs";
import { hiddenUnits } from "../architecture";
import { torchLinearDefault, type SeedSequence } from "../init";
import { BroadcastMultiply } from "../layers/broadcast-merge";
import { layerWeights } from "./attention-block";

export function seBlock(
  x: tf.SymbolicTensor,
  channels: number,
  prefix: string,
  seeds: SeedSequence,
): tf.SymbolicTensor {
  const hidden = hiddenUnits(channels);
  const squeezed = tf.layers.globalAveragePooling2d({ name: `${prefix}_se_squeeze` }).apply(x) as tf.SymbolicTensor;
  const excited = tf.layers
    .dense({
      units: hidden,
      useBias: false,
      activation: "relu",
      kernelInitializer: torchLinearDefault(channels, seeds.next()),
      name: `${prefix}_se_fc1`,
    })
    .apply(squeezed) as tf.SymbolicTensor;
  const gate = tf.layers
    .dense({
      units: channels,
      useBias: false,
      activation: "sigmoid",
      kernelInitializer: torchLinearDefault(hidden, seeds.next()),
      name: `${prefix}_se_fc2`,
    })
    .apply(excited) as tf.SymbolicTensor;
  return new BroadcastMultiply({ name: `${prefix}_se_scale` }).apply([x, gate]) as tf.SymbolicTensor;
}

export interface SEWeights {
  /** [C, C/r] */
  fc1: tf.Tensor;
  /** [C/r, C] */
  fc2: tf.Tensor;
}

/** The SE formula computed directly on tensors (reference for tests). x: [N,H,W,C]. */
export function seFormula(x: tf.Tensor4D, w: SEWeights): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , c] = x.shape;
    const z = tf.mean<tf.Tensor2D>(x, [1, 2]); // squeeze
    const s = tf.sigmoid(tf.matMul(tf.relu(tf.matMul(z, w.fc1 as tf.Tensor2D)), w.fc2 as tf.Tensor2D)); // excitation
    return tf.mul<tf.Tensor4D>(x, tf.reshape(s, [n, 1, 1, c]));
  });
}

export function readSEWeights(model: tf.LayersModel, prefix: string): SEWeights {
  return { fc1: layerWeights(model, `${prefix}_se_fc1`)[0], fc2: layerWeights(model, `${prefix}_se_fc2`)[0] };
}
