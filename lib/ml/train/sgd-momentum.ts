/**
 * SGD with momentum and weight decay exactly as PyTorch's torch.optim.SGD (dampening 0, nesterov false):
 *
 *   g   = grad + weightDecay * w        (coupled L2: the decay goes through the momentum buffer)
 *   buf = momentum * buf + g            (PyTorch starts buf at g on the first step, which equals a zero buffer)
 *   w   = w - lr * buf
 *
 * Like `SGD(model.parameters(), ...)` in the paper's code, the decay applies to every trainable weight
 * (convolution and dense kernels, biases, BN gamma and beta); BN moving statistics are not trainable and
 * are left alone. Written by hand rather than tf.train.momentum because tfjs' optimizer has no weight decay
 * and its buffers are keyed by variable names, which differ between processes; here they are plain arrays
 * in parameter order, which a checkpoint can store and restore bit for bit.
 *
 * The update of each parameter is one op (lib/ml/ops/sgd-momentum-step.ts), a single kernel call where the
 * backend has one.
 */
import * as tf from "@tensorflow/tfjs";
import { sgdMomentumStep } from "@/lib/ml/ops/sgd-momentum-step";

export interface SgdMomentumOptions {
  momentum: number;
  weightDecay: number;
}

export class SgdMomentum {
  readonly momentum: number;
  readonly weightDecay: number;
  /** One buffer per parameter, in the order of `params`. */
  readonly buffers: tf.Variable[];

  constructor(
    readonly params: readonly tf.Variable[],
    opts: SgdMomentumOptions,
  ) {
    this.momentum = opts.momentum;
    this.weightDecay = opts.weightDecay;
    // Inside tidy so the zero tensors the variables are copied from are freed (variables survive tidy).
    this.buffers = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false, undefined, "float32")));
  }

  /** One update. `grads` is keyed by variable name (as tf.variableGrads returns); missing entries count as 0. */
  step(grads: tf.NamedTensorMap, learningRate: number): void {
    const attrs = { learningRate, momentum: this.momentum, weightDecay: this.weightDecay };
    tf.tidy(() => {
      this.params.forEach((w, i) => {
        const next = sgdMomentumStep(w, grads[w.name], this.buffers[i], attrs);
        this.buffers[i].assign(next.buf);
        w.assign(next.w);
      });
    });
  }

  /** Buffer values, for checkpoints. */
  readBuffers(): Float32Array[] {
    return this.buffers.map((b) => Float32Array.from(b.dataSync() as Float32Array));
  }

  writeBuffers(values: readonly Float32Array[]): void {
    if (values.length !== this.buffers.length) {
      throw new Error(`momentum state has ${values.length} buffers, the model has ${this.buffers.length} parameters`);
    }
    this.buffers.forEach((b, i) => {
      if (values[i].length !== b.size)
        throw new Error(`momentum buffer ${i}: ${values[i].length} values, expected ${b.size}`);
      tf.tidy(() => b.assign(tf.tensor(values[i], b.shape, "float32")));
    });
  }

  dispose(): void {
    this.buffers.forEach((b) => b.dispose());
  }
}
