import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./select-backend";
import { values, relativeError } from "./test-support/compare-backends";

/**
 * One forward pass touching every op family a ResNet-18 with SE / CBAM / GC needs in training:
 * conv, batch-norm from batch moments, ReLU, 3x3/2 max-pool, sigmoid gating, channel max and mean,
 * concat, spatial softmax, global average pooling, dense layer, softmax cross-entropy.
 */
function miniNetLoss(
  x: tf.Tensor4D,
  w1: tf.Tensor4D,
  w2: tf.Tensor4D,
  dense: tf.Tensor2D,
  labels: tf.Tensor2D,
): tf.Scalar {
  const c = tf.conv2d(x, w1, 2, "same");
  const { mean, variance } = tf.moments(c, [0, 1, 2]);
  const gamma = tf.linspace(0.5, 1.5, c.shape[3]);
  const beta = tf.linspace(-0.2, 0.2, c.shape[3]);
  const bn = tf.relu(tf.batchNorm(c, mean, variance, beta, gamma, 1e-5)) as tf.Tensor4D;
  const pooled = tf.maxPool(bn, 3, 2, "same");
  // SE-style channel gate
  const gate = tf.sigmoid(tf.mean(pooled, [1, 2], true));
  const gated = tf.mul(pooled, gate);
  // CBAM-style spatial descriptor: channel max and mean, concatenated, 3x3 conv to 1 channel
  const desc = tf.concat([tf.max(gated, 3, true), tf.mean(gated, 3, true)], 3) as tf.Tensor4D;
  const spatial = tf.sigmoid(tf.conv2d(desc, w2, 1, "same"));
  // GC-style softmax over positions
  const [n, h, w, ch] = gated.shape;
  const attn = tf.softmax(tf.reshape(spatial, [n, h * w])).reshape([n, h, w, 1]);
  const context = tf.sum(tf.mul(gated, attn), [1, 2]);
  const feats = tf.add(tf.mean(tf.mul(gated, spatial), [1, 2]), context).reshape([n, ch]);
  const logits = tf.matMul(feats, dense);
  return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(labels, logits);
}

async function miniNetGrads(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(3 * 12 * 10 * 3, 1), [3, 12, 10, 3]);
    const w1 = tf.tensor4d(values(3 * 3 * 3 * 6, 2), [3, 3, 3, 6]).mul<tf.Tensor4D>(0.5);
    const w2 = tf.tensor4d(values(3 * 3 * 2 * 1, 3), [3, 3, 2, 1]);
    const dense = tf.tensor2d(values(6 * 2, 4), [6, 2]);
    const labels = tf.oneHot([0, 1, 1], 2).toFloat() as tf.Tensor2D;
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      miniNetLoss(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, d as tf.Tensor2D, labels),
    )([x, w1, w2, dense]);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

/** Two classes of 16x16 images: a bright 4x4 blob in the left or the right half. */
function blobData(count: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const size = 16;
  const pixels = new Float32Array(count * size * size);
  const labels: number[] = [];
  const noise = values(pixels.length, 9);
  for (let i = 0; i < count; i++) {
    const cls = i % 2;
    labels.push(cls);
    const top = 2 + ((i * 5) % 9);
    const left = cls === 0 ? 1 + ((i * 3) % 4) : 9 + ((i * 3) % 4);
    for (let r = 0; r < size; r++) {
      for (let col = 0; col < size; col++) {
        const inBlob = r >= top && r < top + 4 && col >= left && col < left + 4;
        pixels[(i * size + r) * size + col] = (inBlob ? 1 : 0) + 0.1 * noise[(i * size + r) * size + col];
      }
    }
  }
  return { xs: tf.tensor4d(pixels, [count, size, size, 1]), ys: tf.oneHot(labels, 2).toFloat() as tf.Tensor2D };
}

before(async () => {
  await initBackend({ force: "wasm", log: () => {} });
});

describe("training on the wasm backend", () => {
  test("gradients of BN/ReLU/max-pool/gating/softmax/cross-entropy match the cpu backend", async () => {
    const want = await miniNetGrads("cpu");
    const got = await miniNetGrads("wasm");
    ["x", "w1", "w2", "dense"].forEach((name, i) => {
      const err = relativeError(got[i], want[i]);
      assert.ok(err < 1e-4, `d${name} relative error ${err.toExponential(2)}`);
    });
  });

  test("a tiny tfjs-layers conv net trains (loss falls) without leaking tensors", async (t) => {
    await tf.setBackend("wasm");
    const { xs, ys } = blobData(32);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [16, 16, 1],
          filters: 8,
          kernelSize: 3,
          strides: 2,
          padding: "same",
          useBias: false,
          kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
        }),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
        tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }),
        tf.layers.conv2d({
          filters: 8,
          kernelSize: 3,
          padding: "same",
          activation: "relu",
          kernelInitializer: tf.initializers.heNormal({ seed: 2 }),
        }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
      ],
    });
    const optimizer = tf.train.momentum(0.05, 0.9);
    const lossOf = () =>
      tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(ys, model.apply(xs, { training: true }) as tf.Tensor);
    const trainStep = () => {
      const loss = optimizer.minimize(lossOf, true) as tf.Scalar;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    };
    const first = trainStep();
    const tensorsAfterFirst = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 40; i++) last = trainStep();
    t.diagnostic(`softmax cross-entropy ${first.toFixed(3)} -> ${last.toFixed(3)} after 41 steps`);
    assert.ok(Number.isFinite(last));
    assert.ok(last < 0.5 * first, `loss went from ${first.toFixed(3)} to ${last.toFixed(3)}`);
    assert.equal(tf.memory().numTensors, tensorsAfterFirst, "tensors leaked per training step");
    model.dispose();
    optimizer.dispose();
    tf.dispose([xs, ys]);
  });
});
