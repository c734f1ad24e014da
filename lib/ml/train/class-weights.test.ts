import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { classWeightsFor, weightedSoftmaxCrossEntropy } from "./class-weights";
import { trainParamsSchema } from "./train-params";
import { batchGradients } from "./train-step";

before(async () => {
  await initBackend({ log: () => {} });
});

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `[${i}] expected ${expected[i]}, got ${actual[i]}`);
  }
}

const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

test("off by default; balanced weights are N / (2 N_c) and average 1 over the training split", () => {
  assert.equal(trainParamsSchema.parse({}).classWeighting, "none");
  assert.throws(() => trainParamsSchema.parse({ classWeighting: "inverse" }), /classWeighting must be one of/);
  assert.equal(classWeightsFor("none", [0, 0, 1]), null);
  const labels = [0, 0, 0, 1];
  const w = classWeightsFor("balanced", labels)!;
  close(w, [4 / 6, 4 / 2]);
  close([labels.reduce((s, l) => s + w[l], 0) / labels.length], [1]);
  assert.equal(classWeightsFor("balanced", [1, 1]), null, "one class only: nothing to balance");
});

test("the weighted loss and its gradient are those written out by hand", () => {
  const z = [
    [1.5, -0.5],
    [0.2, 0.3],
    [-1, 2],
  ];
  const labels = [0, 1, 1];
  const weights: [number, number] = [0.75, 1.5];
  const logits = tf.tensor2d(z);
  const loss = weightedSoftmaxCrossEntropy(labels, logits, weights);
  // L = (1/N) Σ w_{y_i} · -log p_i[y_i];  dL/dz_i = w_{y_i} (p_i - onehot(y_i)) / N.
  const p = z.map(softmax);
  const expected = labels.reduce((s, y, i) => s + weights[y] * -Math.log(p[i][y]), 0) / labels.length;
  close(loss.dataSync(), [expected]);
  const grad = tf.grad((l: tf.Tensor) => weightedSoftmaxCrossEntropy(labels, l as tf.Tensor2D, weights))(logits);
  close(
    grad.dataSync(),
    labels.flatMap((y, i) => p[i].map((pk, k) => (weights[y] * (pk - (k === y ? 1 : 0))) / labels.length)),
  );
  // Weights of 1 give the library's unweighted cross-entropy.
  const plain = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, "int32"), 2), logits);
  close(weightedSoftmaxCrossEntropy(labels, logits, [1, 1]).dataSync(), plain.dataSync());
  tf.dispose([logits, loss, grad, plain]);
});

test("through the training step: the weighted gradient of a linear model, at once and as micro-batches", () => {
  // logits = flatten(x) · W + b, so dL/dW = Xᵀ (w ⊙ (P - Y)) / N exactly.
  const side = 2;
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [side, side, 3] }),
      tf.layers.dense({ units: 2, kernelInitializer: "glorotUniform", biasInitializer: "zeros" }),
    ],
  });
  const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const n = 4;
  const features = side * side * 3;
  const xs = Array.from({ length: n * features }, (_, i) => Math.sin(i * 1.7));
  const x = tf.tensor4d(xs, [n, side, side, 3]);
  const labels = [0, 1, 1, 0];
  const weights: [number, number] = [1.5, 0.5];
  const whole = batchGradients(model, params, x, labels, [n], true, weights);
  const split = batchGradients(model, params, x, labels, [2, 2], true, weights);

  const W = model.layers[1].getWeights()[0].arraySync() as number[][];
  const rows = Array.from({ length: n }, (_, i) => xs.slice(i * features, (i + 1) * features));
  const p = rows.map((r) => softmax([0, 1].map((k) => r.reduce((s, v, j) => s + v * W[j][k], 0))));
  const delta = labels.map((y, i) => p[i].map((pk, k) => (weights[y] * (pk - (k === y ? 1 : 0))) / n));
  const expectedKernel = Array.from({ length: features }, (_, j) =>
    [0, 1].map((k) => rows.reduce((s, r, i) => s + r[j] * delta[i][k], 0)),
  ).flat();
  const kernelName = params[0].name;
  close(whole.grads[kernelName].dataSync(), expectedKernel);
  close(split.grads[kernelName].dataSync(), expectedKernel);
  close(split.loss.dataSync(), whole.loss.dataSync());
  tf.dispose([x, whole.loss, whole.positive, split.loss, split.positive]);
  tf.dispose([...Object.values(whole.grads), ...Object.values(split.grads)]);
  model.dispose();
});
