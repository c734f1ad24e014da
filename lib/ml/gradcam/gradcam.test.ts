import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { decodeCamPayload, encodeCamPayload, upsampleCamBilinear } from "../render/cam-payload";
import { gradCam } from "./gradcam";

const SIZE = 8;

/** Tiny stand-in for the ResNet: conv -> conv "layer4" (stride 2, 4x4x3) -> GAP -> [dense relu] -> dense 2 logits. */
function tinyModel(seed: number, hiddenHead: boolean): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  let h = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      name: "stem",
    })
    .apply(input) as tf.SymbolicTensor;
  h = tf.layers
    .conv2d({
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      biasInitializer: tf.initializers.constant({ value: 0.05 }),
      name: "layer4",
    })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers.globalAveragePooling2d({ name: "pool" }).apply(h) as tf.SymbolicTensor;
  if (hiddenHead)
    h = tf.layers
      .dense({
        units: 5,
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
        biasInitializer: tf.initializers.constant({ value: 0.1 }),
        name: "hidden",
      })
      .apply(h) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }), name: "logits" })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

function images(n: number, seed: number): tf.Tensor4D {
  return tf.randomUniform<tf.Rank.R4>([n, SIZE, SIZE, 3], -1, 1, "float32", seed);
}

/** Bilinear resize with half-pixel centres (OpenCV / PyTorch align_corners=False), written out independently. */
function resizeBilinear(src: number[], h: number, w: number, outH: number, outW: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const sy = Math.min(Math.max((y + 0.5) * (h / outH) - 0.5, 0), h - 1);
      const sx = Math.min(Math.max((x + 0.5) * (w / outW) - 0.5, 0), w - 1);
      const y0 = Math.floor(sy),
        x0 = Math.floor(sx);
      const y1 = Math.min(y0 + 1, h - 1),
        x1 = Math.min(x0 + 1, w - 1);
      const fy = sy - y0,
        fx = sx - x0;
      const top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
      const bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
      out.push(top * (1 - fy) + bottom * fy);
    }
  }
  return out;
}

/**
 * Grad-CAM by hand for the tiny model: A from a forward pass to layer4, and the gradient of the target logit
 * w.r.t. A written out analytically (GAP spreads 1/(h*w) to every position; the optional hidden ReLU layer
 * passes W2 through the units that are active).
 */
function manualGradCam(
  model: tf.LayersModel,
  image: tf.Tensor4D,
  target: number,
  hiddenHead: boolean,
  outSize = SIZE,
): number[] {
  const featureModel = tf.model({ inputs: model.inputs, outputs: model.getLayer("layer4").output });
  const a = featureModel.predict(image) as tf.Tensor4D;
  const [, h, w, channels] = a.shape;
  const A = Array.from(a.dataSync());
  a.dispose();
  const pooled = Array.from(
    { length: channels },
    (_, k) => A.filter((_, i) => i % channels === k).reduce((s, v) => s + v, 0) / (h * w),
  );

  const [wOut] = model
    .getLayer("logits")
    .getWeights()
    .map((t) => t.arraySync() as number[][]);
  let dLogitDPooled: number[];
  if (hiddenHead) {
    const [w1, b1] = model
      .getLayer("hidden")
      .getWeights()
      .map((t) => t.arraySync());
    const W1 = w1 as number[][];
    const B1 = b1 as unknown as number[];
    const z = B1.map((b, m) => b + pooled.reduce((s, p, k) => s + p * W1[k][m], 0));
    dLogitDPooled = pooled.map((_, k) => z.reduce((s, zm, m) => s + (zm > 0 ? wOut[m][target] * W1[k][m] : 0), 0));
  } else {
    dLogitDPooled = pooled.map((_, k) => wOut[k][target]);
  }
  const alpha = dLogitDPooled.map((g) => g / (h * w)); // spatial mean of a gradient that is g/(h*w) everywhere
  const cam = Array.from({ length: h * w }, (_, p) =>
    Math.max(
      0,
      alpha.reduce((s, al, k) => s + al * A[p * channels + k], 0),
    ),
  );
  const up = resizeBilinear(cam, h, w, outSize, outSize);
  const min = Math.min(...up);
  const max = Math.max(...up);
  return up.map((v) => (max > min ? (v - min) / (max - min) : 0));
}

before(async () => {
  await tf.setBackend("cpu");
});

describe("gradCam", () => {
  for (const hiddenHead of [false, true]) {
    test(`matches a manual computation (${hiddenHead ? "dense-ReLU-dense head" : "GAP + dense head"})`, async () => {
      const model = tinyModel(hiddenHead ? 20 : 10, hiddenHead);
      const batch = images(3, 7);
      const targets = [0, 1, 1];
      const results = await gradCam(model, batch, { targets });
      const logits = model.predict(batch) as tf.Tensor2D;
      const expectedProbs = tf.softmax(logits).arraySync();
      for (let n = 0; n < 3; n++) {
        const single = batch.slice([n, 0, 0, 0], [1, SIZE, SIZE, 3]);
        const manual = manualGradCam(model, single, targets[n], hiddenHead);
        single.dispose();
        const r = results[n];
        assert.equal(r.heatmap.length, SIZE * SIZE);
        assert.equal(r.width, SIZE);
        assert.equal(r.targetClass, targets[n]);
        r.heatmap.forEach((v, i) =>
          assert.ok(Math.abs(v - manual[i]) < 1e-4, `image ${n} pixel ${i}: ${v} vs ${manual[i]}`),
        );
        r.probabilities.forEach((p, c) => assert.ok(Math.abs(p - expectedProbs[n][c]) < 1e-5));
        assert.equal(r.targetProbability, r.probabilities[targets[n]]);
        assert.equal(r.predictedClass, expectedProbs[n][1] > expectedProbs[n][0] ? 1 : 0);
        const max = Math.max(...r.heatmap);
        assert.ok(max === 0 || Math.abs(max - 1) < 1e-6, "min-max normalised");
      }
      // Guard against a vacuous comparison: most maps must carry signal.
      assert.ok(results.filter((r) => r.heatmap.some((v) => v > 0 && v < 1)).length >= 2);
      logits.dispose();
      batch.dispose();
    });
  }

  test("a larger output size: the class-activation map is up-sampled once, straight to it, and normalised once", async () => {
    const model = tinyModel(20, true);
    const batch = images(3, 7);
    const targets = [0, 1, 1];
    const out = 20; // not a multiple of the 4x4 map or of the 8 px input
    const results = await gradCam(model, batch, { targets, outputSize: out });
    for (let n = 0; n < 3; n++) {
      const single = batch.slice([n, 0, 0, 0], [1, SIZE, SIZE, 3]);
      const manual = manualGradCam(model, single, targets[n], true, out);
      single.dispose();
      const r = results[n];
      assert.equal(r.heatmap.length, out * out);
      assert.equal(r.width, out);
      assert.equal(r.height, out);
      r.heatmap.forEach((v, i) =>
        assert.ok(Math.abs(v - manual[i]) < 1e-4, `image ${n} pixel ${i}: ${v} vs ${manual[i]}`),
      );
    }
    assert.ok(results.some((r) => r.heatmap.some((v) => v > 0 && v < 1)));
    const [atInput] = await gradCam(model, batch, { targets, outputSize: SIZE });
    const [byDefault] = await gradCam(model, batch, { targets });
    assert.deepEqual(atInput.heatmap, byDefault.heatmap);
    await assert.rejects(() => gradCam(model, batch, { outputSize: 0 }), /output size 0/);
    batch.dispose();
  });

  test("the raw class-activation map is layer4's grid, and up-sampled (as the browser does) gives the heat-map", async () => {
    const model = tinyModel(20, true);
    const batch = images(3, 7);
    const out = 20;
    const results = await gradCam(model, batch, { targets: [0, 1, 1], outputSize: out });
    for (const r of results) {
      assert.equal(r.cam.width, 4);
      assert.equal(r.cam.height, 4);
      const max = Math.max(...r.cam.values);
      assert.ok(max === 0 || Math.abs(max - 1) < 1e-6, "min-max normalised");
      // Through the 16-bit payload the reader's browser gets, then up-sampled there.
      const sent = decodeCamPayload(encodeCamPayload(r.cam));
      const up = upsampleCamBilinear(sent, out);
      up.forEach((v, i) => assert.ok(Math.abs(v - r.heatmap[i]) < 1e-4, `pixel ${i}: ${v} vs ${r.heatmap[i]}`));
    }
    assert.ok(results.some((r) => r.cam.values.some((v) => v > 0 && v < 1)));
    batch.dispose();
  });

  test("default target is the predicted class; per-image results do not depend on the batch", async () => {
    const model = tinyModel(30, true);
    const batch = images(4, 3);
    const all = await gradCam(model, batch);
    for (const r of all) assert.equal(r.targetClass, r.predictedClass);
    const second = batch.slice([1, 0, 0, 0], [1, SIZE, SIZE, 3]);
    const [alone] = await gradCam(model, second, { targets: [all[1].targetClass] });
    alone.heatmap.forEach((v, i) => assert.ok(Math.abs(v - all[1].heatmap[i]) < 1e-5));
    second.dispose();
    batch.dispose();
  });

  test("an all-zero map stays zero", async () => {
    const input = tf.input({ shape: [SIZE, SIZE, 3] });
    const dead = tf.layers
      .conv2d({
        filters: 2,
        kernelSize: 1,
        activation: "relu",
        kernelInitializer: "zeros",
        biasInitializer: tf.initializers.constant({ value: -1 }),
        name: "layer4",
      })
      .apply(input) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(dead) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: 2, kernelInitializer: "ones" }).apply(pooled) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: logits });
    const batch = images(1, 5);
    const [r] = await gradCam(model, batch, { targets: [1] });
    assert.ok(r.heatmap.every((v) => v === 0));
    assert.deepEqual(r.probabilities, [0.5, 0.5]);
    batch.dispose();
  });

  test("no tensor leaks; clear errors for bad targets and layers", async () => {
    const model = tinyModel(40, true);
    const batch = images(2, 9);
    await gradCam(model, batch, { targets: [1, 0] }); // first call builds and caches the split models
    const before = tf.memory().numTensors;
    await gradCam(model, batch, { targets: [1, 0] });
    await gradCam(model, batch);
    await assert.rejects(() => gradCam(model, batch, { targets: [2, 0] }), /target 2/);
    await assert.rejects(() => gradCam(model, batch, { targets: [0] }), RangeError);
    await assert.rejects(() => gradCam(model, batch, { layerName: "nope" }), /nope/);
    assert.equal(tf.memory().numTensors, before);
    batch.dispose();
  });
});
