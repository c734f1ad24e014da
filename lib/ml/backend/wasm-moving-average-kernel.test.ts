import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./select-backend";
import { values } from "./test-support/compare-backends";
import { ScaleShiftBatchNorm } from "@/lib/ml/models/layers/scale-shift-batch-norm";
import { MOVING_AVERAGE_KERNEL } from "@/lib/ml/ops/kernels";

before(async () => {
  await initBackend({ force: "wasm", log: () => {} });
});

test("the moving-average kernel is bit-identical to the op-by-op update it replaces", () => {
  const moving = tf.tensor1d(values(300, 1));
  const batch = tf.tensor1d(Float32Array.from(values(300, 2), (v) => Math.abs(v) * 7));
  for (const [momentum, batchScale] of [
    [0.9, 1],
    [0.9, 16384 / 16383],
    [0.99, 64 / 63],
    [0.1, 3 / 2],
  ]) {
    const fused = tf.engine().runKernel<tf.Tensor>(MOVING_AVERAGE_KERNEL, { moving, batch }, { momentum, batchScale });
    const scaled = batchScale === 1 ? batch : tf.mul(batch, batchScale);
    const opByOp = tf.add(tf.mul(moving, momentum), tf.mul(scaled, 1 - momentum));
    assert.deepEqual(fused.dataSync(), opByOp.dataSync(), `momentum ${momentum}, scale ${batchScale}`);
    tf.dispose([fused, opByOp, ...(scaled === batch ? [] : [scaled])]);
  }
  tf.dispose([moving, batch]);
});

test("ScaleShiftBatchNorm in training updates its moving statistics through the kernel, with the same values", () => {
  const x = tf.tensor4d(values(4 * 5 * 5 * 6, 3), [4, 5, 5, 6]);
  const movingAfterOneStep = () => {
    const layer = new ScaleShiftBatchNorm({ momentum: 0.9, epsilon: 1e-5 });
    layer.build([null, 5, 5, 6]);
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    const [, , mean, variance] = layer.getWeights().map((w) => Float32Array.from(w.dataSync()));
    for (const w of layer.weights) w.dispose();
    return { mean, variance };
  };
  const withKernel = movingAfterOneStep();
  const kernel = tf.getKernel(MOVING_AVERAGE_KERNEL, "wasm");
  assert.ok(kernel);
  tf.unregisterKernel(MOVING_AVERAGE_KERNEL, "wasm");
  try {
    assert.deepEqual(withKernel, movingAfterOneStep());
  } finally {
    tf.registerKernel(kernel);
  }
  x.dispose();
});
