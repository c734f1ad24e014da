import * as tf from "@tensorflow/tfjs";
import { singleInput, singleShape, type LayerShape } from "./input-tensor";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * CBAM's spatial-gate input (Woo et al. 2018, Sec. 3, "Spatial attention module"): max and mean across
 * channels at every position, concatenated as two channels [max, mean] in the order of the official
 * `ChannelPool` (torch.cat((max, mean), dim=1)). NHWC [N,H,W,C] -> [N,H,W,2].
 */
export class ChannelPool extends tf.layers.Layer {
  static className = "ChannelPool";
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const s = singleShape(inputShape);
    return [...s.slice(0, -1), 2];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      return tf.concat([tf.max(x, -1, true), tf.mean(x, -1, true)], -1);
    });
  }
}

tf.serialization.registerClass(ChannelPool);
