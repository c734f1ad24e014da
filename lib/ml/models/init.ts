import * as tf from "@tensorflow/tfjs";

export type Initializer = ReturnType<typeof tf.initializers.randomNormal>;

/**
 * Initialisers matching the PyTorch reference implementations, each with its own seed drawn from one
 * model seed so that a given seed always yields the same weights.
 */

/** Deterministic stream of per-layer seeds (mulberry32), so that adding a layer does not need a seed table. */
export class SeedSequence {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 2147483647;
  }
}

/**
 * torchvision ResNet: `nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")`, i.e. an
 * untruncated N(0, 2 / (kh*kw*Cout)). Chosen over Keras' he_normal (fan_in, truncated) to reproduce the
 * reference ResNet-18 the paper trained; the fan_out variant keeps the backward-pass variance constant.
 */
export function heNormalFanOut(kernelH: number, kernelW: number, outChannels: number, seed: number): Initializer {
  return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / (kernelH * kernelW * outChannels)), seed });
}

/** Kaiming normal with fan_in (GCNet's `kaiming_init(conv_mask, mode="fan_in")`). */
export function heNormalFanIn(fanIn: number, seed: number): Initializer {
  return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / fanIn), seed });
}

/**
 * PyTorch's default `nn.Linear` initialisation (kaiming_uniform with a = sqrt(5)), which equals
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases; torchvision leaves the final FC and the
 * attention papers' FC layers at this default.
 */
export function torchLinearDefault(fanIn: number, seed: number): Initializer {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}
