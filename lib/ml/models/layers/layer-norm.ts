import * as tf from "@tensorflow/tfjs";
import { singleInput, singleShape, type LayerShape } from "./input-tensor";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface NonBatchLayerNormArgs extends LayerArgs {
  /** PyTorch's nn.LayerNorm default. */
  epsilon?: number;
}

/**
 * Layer normalisation (Ba et al. 2016) over every non-batch axis, with a per-channel gamma and beta:
 * GCNet's `nn.LayerNorm([planes, 1, 1])` on the [N, C/r, 1, 1] transform bottleneck (Cao et al. 2019).
 * The stock tf.layers.layerNormalization tiles its statistics and runs through the fused batch-norm
 * kernel; this one uses only reductions and broadcast elementwise ops.
 */
export class NonBatchLayerNorm extends tf.layers.Layer {
  static className = "NonBatchLayerNorm";
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(args: NonBatchLayerNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`${this.name}: the channel dimension must be known`);
    if (shape.slice(1, -1).some((d) => d !== 1)) {
      // (C,1,1) in PyTorch: the affine parameters are per channel only when the spatial dims are 1.
      throw new Error(`${this.name}: expects [N, 1, 1, C], got [${shape}]`);
    }
    this.gamma = this.addWeight("gamma", [channels], "float32", tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight("beta", [channels], "float32", tf.initializers.zeros(), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const axes = x.shape.slice(1).map((_, i) => i + 1);
      const { mean, variance } = tf.moments(x, axes, true);
      const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normalised, this.gamma.read()), this.beta.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(NonBatchLayerNorm);
