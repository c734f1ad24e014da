import * as tf from "@tensorflow/tfjs";
import { pairInput, pairShapes, type LayerShape } from "./input-tensor";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * GCNet's context modelling (Cao et al. 2019, Eq. 2 / Fig. 4): given features x [N,H,W,C] and one
 * attention logit per position [N,H,W,1], softmax the logits over all H*W positions and return the
 * attention-weighted sum of the features, [N,1,1,C]. One batched matmul, as in the official
 * `torch.matmul(input_x, context_mask)`.
 */
export class AttentionPool extends tf.layers.Layer {
  static className = "AttentionPool";
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [x] = pairShapes(inputShape);
    return [x[0], 1, 1, x[3]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, logits] = pairInput(inputs);
      const [n, h, w, c] = x.shape;
      const weights = tf.softmax(tf.reshape(logits, [n, 1, h * w])); // [N, 1, HW]
      const context = tf.matMul(weights, tf.reshape<tf.Rank.R3>(x, [n, h * w, c])); // [N, 1, C]
      return tf.reshape(context, [n, 1, 1, c]);
    });
  }
}

tf.serialization.registerClass(AttentionPool);
