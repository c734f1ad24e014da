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

/** Merges a feature map with a broadcast operand; subclasses name the operation (and the serialised class). */
abstract class BroadcastMerge extends tf.layers.Layer {
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  protected abstract merge(x: tf.Tensor, operand: tf.Tensor): tf.Tensor;
  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return pairShapes(inputShape)[0];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, operand] = pairInput(inputs);
      return this.merge(x, asBroadcastable(operand));
    });
  }
}

/** x * g with g broadcast over positions (SE/CBAM channel gate) or over channels (CBAM spatial gate). */
export class BroadcastMultiply extends BroadcastMerge {
  static className = "BroadcastMultiply";
  protected merge(x: tf.Tensor, gate: tf.Tensor): tf.Tensor {
    return tf.mul(x, gate);
  }
}

/** x + t with t broadcast over positions (GCNet's fusion by addition). */
export class BroadcastAdd extends BroadcastMerge {
  static className = "BroadcastAdd";
  protected merge(x: tf.Tensor, term: tf.Tensor): tf.Tensor {
    return tf.add(x, term);
  }
}

tf.serialization.registerClass(BroadcastMultiply);
tf.serialization.registerClass(BroadcastAdd);
