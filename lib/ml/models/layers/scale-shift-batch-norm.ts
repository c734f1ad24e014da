import * as tf from "@tensorflow/tfjs";
import { batchNormTrain } from "@/lib/ml/ops/batch-norm-train";
import { movingAverage } from "@/lib/ml/ops/moving-average";
import { singleInput, singleShape, type LayerShape } from "./input-tensor";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Record<string, unknown>;

export interface ScaleShiftBatchNormArgs extends LayerArgs {
  /**
   * Keras-convention momentum: moving = momentum * moving + (1 - momentum) * batch. PyTorch's
   * `momentum=0.1` (torchvision's BatchNorm2d default) is 0.9 here.
   */
  momentum?: number;
  /** PyTorch's default 1e-5 (Keras uses 1e-3). */
  epsilon?: number;
  /** Initial gamma: 1 (PyTorch's default) unless a module's reference code sets another. */
  gammaInitializer?: "ones" | "zeros";
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015) over the last (channel) axis, applied as
 * `x * scale + shift` with scale = gamma / sqrt(var + eps) and shift = beta - mean * scale.
 *
 * Why not tf.layers.batchNormalization: its gradient goes through the fused BatchNorm kernel, whose
 * backward pass tiles the statistics to the input shape; on the wasm backend Tile is slow.
 *
 * Training (kwargs.training === true): normalise with the batch's mean and biased variance, and update
 * the moving statistics as PyTorch does (moving variance from the unbiased batch variance). This is one
 * op with a closed-form gradient (batchNormTrain, lib/ml/ops/batch-norm-train.ts) rather than tf.moments plus
 * scaleShift, which autodiff would record and differentiate op by op; the update of the moving
 * statistics runs inside that op, off the gradient tape.
 * Inference: normalise with the moving statistics (scaleShift below).
 */
export class ScaleShiftBatchNorm extends tf.layers.Layer {
  static className = "ScaleShiftBatchNorm";
  readonly momentum: number;
  readonly epsilon: number;
  private readonly gammaInitializer: "ones" | "zeros";
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  private movingMean!: tf.LayerVariable;
  private movingVariance!: tf.LayerVariable;

  constructor(args: ScaleShiftBatchNormArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 1e-5;
    this.gammaInitializer = args.gammaInitializer ?? "ones";
    this.supportsMasking = false;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`${this.name}: the channel dimension must be known`);
    const gammaInit = this.gammaInitializer === "zeros" ? tf.initializers.zeros() : tf.initializers.ones();
    this.gamma = this.addWeight("gamma", [channels], "float32", gammaInit, undefined, true);
    this.beta = this.addWeight("beta", [channels], "float32", tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight("moving_mean", [channels], "float32", tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight(
      "moving_variance",
      [channels],
      "float32",
      tf.initializers.ones(),
      undefined,
      false,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const gamma = this.gamma.read();
      const beta = this.beta.read();
      if (kwargs["training"] !== true) {
        return scaleShift(x, gamma, beta, this.movingMean.read(), this.movingVariance.read(), this.epsilon);
      }
      return batchNormTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, this.epsilon, (mean, variance, count) =>
        this.updateMovingStatistics(mean, variance, count),
      );
    });
  }

  private updateMovingStatistics(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    // PyTorch keeps the unbiased variance as running_var; with one value per channel it is undefined,
    // so fall back to the biased one rather than produce NaN/Infinity.
    const unbias = count > 1 ? count / (count - 1) : 1;
    tf.tidy(() => {
      this.movingMean.write(movingAverage(this.movingMean.read(), mean, this.momentum, 1));
      this.movingVariance.write(movingAverage(this.movingVariance.read(), variance, this.momentum, unbias));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      momentum: this.momentum,
      epsilon: this.epsilon,
      gammaInitializer: this.gammaInitializer,
    };
  }
}

/** y = x * scale + shift with scale = gamma / sqrt(var + eps), shift = beta - mean * scale (broadcast on channels). */
export function scaleShift(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon)));
    const shift = tf.sub(beta, tf.mul(mean, scale));
    return tf.add(tf.mul(x, scale), shift);
  });
}

tf.serialization.registerClass(ScaleShiftBatchNorm);
