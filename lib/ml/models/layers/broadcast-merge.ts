import * as tf from "@tensorflow/tfjs";
import { pairInput, pairShapes, type LayerShape } from "./input-tensor";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * A per-channel vector [N, C] is lifted to [N, 1, 1, C] so it broadcasts over the positions of an NHWC
 * feature map; rank-4 operands ([N,1,1,C] or [N,H,W,1]) broadcast as they are.
 */
function asBroadcastable(operand: tf.Tensor): tf.Tensor {
  if (operand.rank === 2) {
    const [n, c] = operand.shape as number[];
    return tf.reshape(operand, [n, 1, 1, c]);
  }
  if (operand.rank === 4) return operand;
  throw new Error(`broadcast operand must have rank 2 or 4, got shape [${operand.shape}]`);
}

/** x * g with g broadcast over positions (SE/CBAM channel gate) or over channels (CBAM spatial gate). */
export class BroadcastMultiply extends tf.layers.Layer {
  static className = "BroadcastMultiply";
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return pairShapes(inputShape)[0];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, gate] = pairInput(inputs);
      return tf.mul(x, asBroadcastable(gate));
    });
  }
}

/** x + t with t broadcast over positions (GCNet's fusion by addition). */
export class BroadcastAdd extends tf.layers.Layer {
  static className = "BroadcastAdd";
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return pairShapes(inputShape)[0];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, term] = pairInput(inputs);
      return tf.add(x, asBroadcastable(term));
    });
  }
}

tf.serialization.registerClass(BroadcastMultiply);
tf.serialization.registerClass(BroadcastAdd);
