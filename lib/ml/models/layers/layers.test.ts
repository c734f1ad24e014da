import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareWithFiniteDifferences, seededTensor } from "../test-support/numeric-gradient";
import { AttentionPool } from "./attention-pool";
import { BroadcastAdd, BroadcastMultiply } from "./broadcast-merge";
import { ChannelPool } from "./channel-pool";
import { NonBatchLayerNorm } from "./layer-norm";
import { ScaleShiftBatchNorm } from "./scale-shift-batch-norm";

before(async () => {
  await tf.setBackend("cpu");
});

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])),
      `[${i}] ${actual[i]} vs ${expected[i]}`,
    );
  }
}

/** Per-channel mean and biased/unbiased variance of an NHWC tensor, in plain JS. */
function channelStats(values: ArrayLike<number>, channels: number) {
  const count = values.length / channels;
  const mean = new Array(channels).fill(0);
  const m2 = new Array(channels).fill(0);
  for (let i = 0; i < values.length; i++) mean[i % channels] += values[i] / count;
  for (let i = 0; i < values.length; i++) m2[i % channels] += (values[i] - mean[i % channels]) ** 2;
  return { mean, biased: m2.map((v) => v / count), unbiased: m2.map((v) => v / (count - 1)) };
}

describe("ScaleShiftBatchNorm", () => {
  const shape = [3, 4, 5, 6];
  const C = 6;

  function makeLayer(momentum = 0.9) {
    const layer = new ScaleShiftBatchNorm({ momentum, epsilon: 1e-5 });
    layer.build([null, 4, 5, C]);
    return layer;
  }

  test("has trainable gamma/beta and non-trainable moving statistics", () => {
    const layer = makeLayer();
    assert.deepEqual(
      layer.trainableWeights.map((w) => w.originalName.split("/").pop()),
      ["gamma", "beta"],
    );
    assert.deepEqual(
      layer.nonTrainableWeights.map((w) => w.originalName.split("/").pop()),
      ["moving_mean", "moving_variance"],
    );
  });

  test("training: normalises with batch moments and updates moving stats like PyTorch (momentum 0.1)", () => {
    const layer = makeLayer();
    const gamma = [1, 2, 0.5, 1, 1, 3];
    const beta = [0, -1, 0.25, 0, 2, 0];
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([C]), tf.ones([C])]);
    const x = tf.add(tf.mul(seededTensor(shape, 11), 3), 1.5);
    const xs = x.dataSync();
    const stats = channelStats(xs, C);
    const y = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
    const expected = Array.from(xs, (v, i) => {
      const c = i % C;
      return ((v - stats.mean[c]) / Math.sqrt(stats.biased[c] + 1e-5)) * gamma[c] + beta[c];
    });
    close(y, expected, 1e-4);
    const [, , movingMean, movingVar] = layer.getWeights();
    close(
      movingMean.dataSync(),
      stats.mean.map((m) => 0.1 * m),
      1e-5,
    );
    close(
      movingVar.dataSync(),
      stats.unbiased.map((v) => 0.9 + 0.1 * v),
      1e-5,
    );
  });

  test("inference: uses the moving statistics and leaves them unchanged", () => {
    const layer = makeLayer();
    const weights = [
      tf.tensor1d([1, 2, 3, 4, 5, 6]),
      tf.tensor1d([0, 1, 0, 1, 0, 1]),
      tf.tensor1d([0.5, -1, 2, 0, 0, 3]),
      tf.tensor1d([1, 4, 0.25, 2, 9, 1]),
    ];
    layer.setWeights(weights);
    const x = seededTensor(shape, 12, 2);
    const y = (layer.apply(x) as tf.Tensor).dataSync();
    const [g, b, m, v] = weights.map((w) => w.dataSync());
    const expected = Array.from(x.dataSync(), (xv, i) => {
      const c = i % C;
      return ((xv - m[c]) / Math.sqrt(v[c] + 1e-5)) * g[c] + b[c];
    });
    close(y, expected, 1e-5);
    close(layer.getWeights()[2].dataSync(), m);
    close(layer.getWeights()[3].dataSync(), v);
    // Same numbers as the stock Keras layer in inference mode with the same statistics and epsilon.
    const stock = tf.layers.batchNormalization({ epsilon: 1e-5 });
    stock.build([null, 4, 5, C]);
    stock.setWeights(weights);
    close(y, (stock.apply(x) as tf.Tensor).dataSync(), 1e-5);
  });

  test("moving statistics converge to the data's statistics over repeated training steps", () => {
    const layer = makeLayer();
    const x = tf.add(tf.mul(seededTensor(shape, 13), 2), -3);
    for (let i = 0; i < 120; i++)
      tf.tidy(() => {
        layer.apply(x, { training: true });
      });
    const stats = channelStats(x.dataSync(), C);
    close(layer.getWeights()[2].dataSync(), stats.mean, 1e-4);
    close(layer.getWeights()[3].dataSync(), stats.unbiased, 1e-4);
  });

  test("training-mode gradients (through the batch moments) agree with finite differences", () => {
    const layer = makeLayer();
    layer.setWeights([
      tf.tensor1d([1, 2, 0.5, 1, 1.5, 3]),
      tf.tensor1d([0, -1, 0.25, 0, 2, 0]),
      tf.zeros([C]),
      tf.ones([C]),
    ]);
    const x = seededTensor([2, 3, 3, C], 14, 2);
    const r = seededTensor([2, 3, 3, C], 15);
    const loss = (input: tf.Tensor) =>
      tf.sum<tf.Scalar>(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, r));
    const dx = tf.grad(loss)(x).dataSync() as Float32Array;
    const check = compareWithFiniteDifferences(
      x.dataSync() as Float32Array,
      dx,
      (v) => tf.tidy(() => loss(tf.tensor(v, x.shape)).dataSync()[0]),
      {
        maxChecks: 108,
      },
    );
    assert.ok(check.worstRatio <= 1, JSON.stringify(check));
    // A batch-normalised output is invariant to shifting one channel, so that channel's gradients sum to 0.
    const perChannel = new Array<number>(C).fill(0);
    dx.forEach((g, i) => (perChannel[i % C] += g));
    perChannel.forEach((s) => assert.ok(Math.abs(s) < 1e-4, `channel gradient sum ${s}`));
  });

  test("the gradient graph uses no Tile kernel (slow on wasm)", () => {
    const layer = makeLayer();
    const x = seededTensor([2, 3, 3, C], 16);
    const kernels: string[] = [];
    const profile = tf.profile(() =>
      tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input, { training: true }) as tf.Tensor))(x),
    );
    return profile.then((info) => {
      for (const k of info.kernels) kernels.push(k.name);
      assert.ok(kernels.length > 0);
      assert.ok(!kernels.includes("Tile"), kernels.join(","));
      assert.ok(!kernels.some((k) => k.startsWith("FusedBatchNorm")), kernels.join(","));
    });
  });
});

describe("small custom layers vs plain-JS computations", () => {
  test("ChannelPool gives [max, mean] over channels at every position", () => {
    const x = tf.tensor4d([1, 5, 3, -2, -4, 0], [1, 1, 2, 3]);
    const y = new ChannelPool().apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 1, 2, 2]);
    close(y.dataSync(), [5, 3, 0, -2]);
  });

  test("AttentionPool is a softmax over all positions followed by a weighted sum", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8]; // [1, 2, 2, 2]
    const logits = [0.5, -1, 2, 0]; // [1, 2, 2, 1]
    const e = logits.map(Math.exp);
    const z = e.reduce((a, b) => a + b, 0);
    const expected = [0, 1].map((c) => e.reduce((acc, w, p) => acc + (w / z) * xs[p * 2 + c], 0));
    const y = new AttentionPool().apply([
      tf.tensor4d(xs, [1, 2, 2, 2]),
      tf.tensor4d(logits, [1, 2, 2, 1]),
    ]) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 1, 1, 2]);
    close(y.dataSync(), expected);
  });

  test("BroadcastMultiply and BroadcastAdd broadcast [N,C] and [N,H,W,1] operands", () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    close(
      (new BroadcastMultiply().apply([x, tf.tensor2d([10, -1], [1, 2])]) as tf.Tensor).dataSync(),
      [10, -2, 30, -4, 50, -6, 70, -8],
    );
    close(
      (new BroadcastMultiply().apply([x, tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1])]) as tf.Tensor).dataSync(),
      [0, 0, 3, 4, 10, 12, 21, 24],
    );
    close(
      (new BroadcastAdd().apply([x, tf.tensor4d([100, 200], [1, 1, 1, 2])]) as tf.Tensor).dataSync(),
      [101, 202, 103, 204, 105, 206, 107, 208],
    );
  });

  test("NonBatchLayerNorm normalises each sample over its (C, 1, 1) values", () => {
    const layer = new NonBatchLayerNorm({ epsilon: 1e-5 });
    layer.build([null, 1, 1, 4]);
    layer.setWeights([tf.tensor1d([1, 2, 1, 1]), tf.tensor1d([0, 0, 1, 0])]);
    const rows = [
      [1, 2, 3, 4],
      [-2, 0, 0, 6],
    ];
    const y = (layer.apply(tf.tensor4d(rows.flat(), [2, 1, 1, 4])) as tf.Tensor).dataSync();
    const expected = rows.flatMap((row) => {
      const mean = row.reduce((a, b) => a + b, 0) / 4;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
      return row.map((v, c) => ((v - mean) / Math.sqrt(variance + 1e-5)) * [1, 2, 1, 1][c] + [0, 0, 1, 0][c]);
    });
    close(y, expected);
  });
});
