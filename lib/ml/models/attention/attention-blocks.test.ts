import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { SeedSequence } from "../init";
import { compareWithFiniteDifferences, seededTensor } from "../test-support/numeric-gradient";
import type { AttentionBuilder } from "./attention-block";
import { cbamBlock, cbamFormula, readCBAMWeights } from "./cbam";
import { gcBlock, gcFormula, readGCWeights } from "./gc";
import { readSEWeights, seBlock, seFormula } from "./se";

before(async () => {
  await tf.setBackend("cpu");
});

const N = 2;
const H = 5;
const W = 4;
const C = 32; // hidden units C/16 = 2

function blockModel(builder: AttentionBuilder, channels = C): tf.LayersModel {
  const input = tf.input({ shape: [H, W, channels] });
  return tf.model({ inputs: input, outputs: builder(input, channels, "t", new SeedSequence(7)) });
}

/** Replaces every weight with non-trivial values (GC's zero-initialised conv too); variances stay positive. */
function randomiseWeights(model: tf.LayersModel): void {
  const values = model.weights.map((w, i) => {
    const t = seededTensor(w.shape as number[], 1000 + i, 0.6);
    return w.name.includes("moving_variance") ? tf.add(tf.abs(t), 0.5) : t;
  });
  model.setWeights(values);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

const blocks = [
  {
    name: "SE",
    builder: seBlock,
    formula: (m: tf.LayersModel, x: tf.Tensor4D) => seFormula(x, readSEWeights(m, "t")),
    params: (c: number) => 2 * c * (c / 16),
  },
  {
    name: "CBAM",
    builder: cbamBlock,
    formula: (m: tf.LayersModel, x: tf.Tensor4D) => cbamFormula(x, readCBAMWeights(m, "t")),
    params: (c: number) => 2 * c * (c / 16) + c / 16 + c + 98 + 2,
  },
  {
    name: "GC",
    builder: gcBlock,
    formula: (m: tf.LayersModel, x: tf.Tensor4D) => gcFormula(x, readGCWeights(m, "t")),
    params: (c: number) => c + 1 + 2 * c * (c / 16) + c / 16 + 2 * (c / 16) + c,
  },
];

for (const block of blocks) {
  describe(`${block.name} block`, () => {
    test("keeps the input shape and has the official parameter count", () => {
      const model = blockModel(block.builder);
      assert.deepEqual(model.outputs[0].shape, [null, H, W, C]);
      const trainable = model.trainableWeights.reduce(
        (a, w) => a + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1),
        0,
      );
      assert.equal(trainable, block.params(C));
    });

    test("matches a direct computation of the paper's formula", () => {
      const model = blockModel(block.builder);
      randomiseWeights(model);
      const x = seededTensor([N, H, W, C], 1, 2) as tf.Tensor4D;
      const y = model.predict(x) as tf.Tensor;
      const expected = block.formula(model, x);
      assert.ok(maxAbsDiff(y, expected) < 1e-5, `max diff ${maxAbsDiff(y, expected)}`);
      // The block must actually change its input (a gate of all ones or a zero transform would pass trivially).
      assert.ok(maxAbsDiff(y, x) > 1e-2);
    });

    test("gradients agree with finite differences (input and every trainable weight)", () => {
      const model = blockModel(block.builder);
      randomiseWeights(model);
      const x = seededTensor([N, H, W, C], 2, 2);
      const r = seededTensor([N, H, W, C], 3);
      const loss = (input: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(model.apply(input) as tf.Tensor, r));
      const lossValue = (input: tf.Tensor) => tf.tidy(() => loss(input).dataSync()[0]);

      const dx = tf.grad(loss)(x);
      const xValues = x.dataSync() as Float32Array;
      const inputCheck = compareWithFiniteDifferences(xValues, dx.dataSync() as Float32Array, (v) =>
        tf.tidy(() => lossValue(tf.tensor(v, x.shape))),
      );
      assert.ok(inputCheck.worstRatio <= 1, `input gradient: ${JSON.stringify(inputCheck)}`);

      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => loss(x), variables);
      for (const weight of model.trainableWeights) {
        const original = weight.read().clone();
        const values = original.dataSync() as Float32Array;
        const check = compareWithFiniteDifferences(
          values,
          grads[(weight.read() as tf.Variable).name].dataSync() as Float32Array,
          (v) => {
            weight.write(tf.tensor(v, original.shape));
            return lossValue(x);
          },
          { maxChecks: 12 },
        );
        weight.write(original);
        assert.ok(check.worstRatio <= 1, `${weight.name}: ${JSON.stringify(check)}`);
      }
    });
  });
}

test("GC starts as the identity (zero-initialised last transform conv, as in GCNet)", () => {
  const model = blockModel(gcBlock);
  const x = seededTensor([N, H, W, C], 4, 2);
  assert.equal(maxAbsDiff(model.predict(x) as tf.Tensor, x), 0);
});

test("CBAM starts as the official ResNet initialises it: spatial-gate BN gamma 0, every bias 0", () => {
  const model = blockModel(cbamBlock);
  const values = (layer: string) =>
    model
      .getLayer(layer)
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
  const [fc1Kernel, fc1Bias] = values("t_cbam_mlp_fc1");
  const [fc2Kernel, fc2Bias] = values("t_cbam_mlp_fc2");
  const [gamma, beta, movingMean, movingVariance] = values("t_cbam_spatial_bn");
  assert.ok(fc1Bias.every((v) => v === 0) && fc2Bias.every((v) => v === 0), "MLP biases are 0");
  assert.deepEqual([gamma, beta, movingMean, movingVariance], [[0], [0], [0], [1]]);
  // The MLP weights stay PyTorch's nn.Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and are not all 0.
  assert.ok(fc1Kernel.every((v) => Math.abs(v) <= 1 / Math.sqrt(C)) && fc1Kernel.some((v) => v !== 0));
  assert.ok(fc2Kernel.every((v) => Math.abs(v) <= 1 / Math.sqrt(C / 16)) && fc2Kernel.some((v) => v !== 0));
  // So the spatial gate is a constant 1/2 at first, in training and in inference: y = (Mc ⊙ x) / 2.
  const x = seededTensor([N, H, W, C], 6, 2);
  const channelOnly = tf.model({ inputs: model.inputs, outputs: model.getLayer("t_cbam_channel_scale").output });
  const half = tf.mul(channelOnly.predict(x) as tf.Tensor, 0.5);
  assert.ok(maxAbsDiff(model.predict(x) as tf.Tensor, half) < 1e-6);
  assert.ok(maxAbsDiff(model.apply(x, { training: true }) as tf.Tensor, half) < 1e-6);
});

test("hidden units never drop below one on very thin networks", () => {
  for (const builder of [seBlock, cbamBlock, gcBlock]) {
    const model = blockModel(builder, 4);
    const y = model.predict(seededTensor([1, H, W, 4], 5)) as tf.Tensor;
    assert.deepEqual(y.shape, [1, H, W, 4]);
    assert.ok(y.dataSync().every(Number.isFinite));
  }
});

test("SE formula agrees with a hand computation on a 1x2 map", () => {
  // C = 16 -> one hidden unit. x at two positions; z = per-channel mean.
  const x = tf.tensor4d(
    Array.from({ length: 32 }, (_, i) => (i % 16) / 8 - (i >= 16 ? 0.5 : 0)),
    [1, 1, 2, 16],
  );
  const fc1 = tf.tensor2d(
    Array.from({ length: 16 }, (_, i) => (i % 3) / 4 - 0.2),
    [16, 1],
  );
  const fc2 = tf.tensor2d(
    Array.from({ length: 16 }, (_, i) => i / 10 - 0.7),
    [1, 16],
  );
  const xs = x.dataSync();
  const w1 = fc1.dataSync();
  const w2 = fc2.dataSync();
  let hidden = 0;
  for (let c = 0; c < 16; c++) hidden += ((xs[c] + xs[16 + c]) / 2) * w1[c];
  hidden = Math.max(0, hidden);
  const expected = Array.from(xs, (v, i) => v / (1 + Math.exp(-hidden * w2[i % 16])));
  const got = seFormula(x, { fc1, fc2 }).dataSync();
  expected.forEach((e, i) => assert.ok(Math.abs(e - got[i]) < 1e-6, `${i}: ${e} vs ${got[i]}`));
});
