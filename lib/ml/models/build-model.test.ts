import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { STAGE_CHANNELS, resnet18Blocks } from "./architecture";
import { GRADCAM_LAYER, VARIANTS, buildModel, type Variant } from "./build-model";
import { seededTensor } from "./test-support/numeric-gradient";

before(async () => {
  await tf.setBackend("cpu");
});

/** PyTorch's output size for a conv/pool: floor((in + 2 * pad - kernel) / stride) + 1. */
const torchOut = (size: number, kernel: number, stride: number, pad: number) =>
  Math.floor((size + 2 * pad - kernel) / stride) + 1;

function torchvisionStageSizes(input: number): number[] {
  const stem = torchOut(torchOut(input, 7, 2, 3), 3, 2, 1);
  const sizes = [stem];
  for (let s = 1; s < 4; s++) sizes.push(torchOut(sizes[s - 1], 3, 2, 1));
  return sizes;
}

const ATTENTION_GATE_LAYER: Record<Exclude<Variant, "baseline">, string> = {
  se: "se_scale",
  cbam: "cbam_spatial_scale",
  gc: "gc_fusion_add",
};

describe("buildModel shapes", () => {
  for (const variant of VARIANTS) {
    for (const width of [0.25, 0.5]) {
      for (const inputSize of [32, 64]) {
        test(`${variant} width ${width} input ${inputSize}: logits [N, 2], layer4 at stride 32`, () => {
          const model = buildModel({ variant, width, inputSize, seed: 1 });
          const logits = model.predict(seededTensor([2, inputSize, inputSize, 3], 2)) as tf.Tensor;
          assert.deepEqual(logits.shape, [2, 2]);
          assert.ok(logits.dataSync().every(Number.isFinite));
          assert.deepEqual(model.getLayer(GRADCAM_LAYER).outputShape, [
            null,
            inputSize / 32,
            inputSize / 32,
            512 * width,
          ]);
          tf.dispose(logits);
        });
      }
    }
  }

  test("feature-map sizes follow torchvision's padding at 224 px and at odd sizes", () => {
    for (const inputSize of [224, 100, 67]) {
      const model = buildModel({ variant: "baseline", width: 0.25, inputSize, seed: 1 });
      const sizes = torchvisionStageSizes(inputSize);
      assert.deepEqual(model.getLayer("conv1").outputShape, [
        null,
        torchOut(inputSize, 7, 2, 3),
        torchOut(inputSize, 7, 2, 3),
        16,
      ]);
      sizes.forEach((s, i) => {
        assert.deepEqual(
          model.getLayer(`layer${i + 1}`).outputShape,
          [null, s, s, STAGE_CHANNELS[i] / 4],
          `input ${inputSize} layer${i + 1}`,
        );
      });
    }
    assert.deepEqual(torchvisionStageSizes(224), [56, 28, 14, 7]);
  });

  test("numClasses sets the logit count", () => {
    const model = buildModel({ variant: "se", width: 0.25, inputSize: 32, numClasses: 5, seed: 1 });
    assert.deepEqual(model.outputs[0].shape, [null, 5]);
  });
});

describe("buildModel architecture", () => {
  test("strided convs pad symmetrically like torchvision (not TF's asymmetric 'same')", () => {
    const model = buildModel({ variant: "baseline", width: 0.25, inputSize: 32, seed: 3 });
    const x = seededTensor([1, 32, 32, 3], 4);
    const probe = tf.model({
      inputs: model.inputs,
      outputs: [
        model.getLayer("conv1").output as tf.SymbolicTensor,
        model.getLayer("layer1").output as tf.SymbolicTensor,
        model.getLayer("layer2_0_conv1").output as tf.SymbolicTensor,
      ],
    });
    const [conv1, layer1, layer2conv1] = probe.predict(x) as tf.Tensor[];
    const expectedConv1 = tf.conv2d(x as tf.Tensor4D, model.getLayer("conv1").getWeights()[0] as tf.Tensor4D, 2, [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ]);
    const expectedL2 = tf.conv2d(
      layer1 as tf.Tensor4D,
      model.getLayer("layer2_0_conv1").getWeights()[0] as tf.Tensor4D,
      2,
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
    );
    assert.ok(tf.max(tf.abs(tf.sub(conv1, expectedConv1))).dataSync()[0] < 1e-5);
    assert.ok(tf.max(tf.abs(tf.sub(layer2conv1, expectedL2))).dataSync()[0] < 1e-5);
  });

  test("torchvision layer layout: 8 BasicBlocks, projections at the first block of stages 2-4, no conv biases", () => {
    const model = buildModel({ variant: "baseline", width: 0.25, inputSize: 32, seed: 1 });
    const projections = model.layers.filter((l) => l.name.endsWith("_downsample_conv")).map((l) => l.name);
    assert.deepEqual(projections, ["layer2_0_downsample_conv", "layer3_0_downsample_conv", "layer4_0_downsample_conv"]);
    assert.equal(resnet18Blocks(1).length, 8);
    for (const layer of model.layers) {
      if (layer.getClassName() === "Conv2D")
        assert.equal(layer.getWeights().length, 1, `${layer.name} must have no bias`);
    }
    assert.equal(model.getLayer("fc").getWeights().length, 2);
    assert.equal(model.getLayer(GRADCAM_LAYER).getClassName(), "ReLU");
  });

  for (const [variant, gate] of Object.entries(ATTENTION_GATE_LAYER)) {
    test(`${variant}: one module per BasicBlock, after bn2 and before the residual add`, () => {
      const model = buildModel({ variant: variant as Variant, width: 0.25, inputSize: 32, seed: 1 });
      const inbound = (name: string) => model.getLayer(name).inboundNodes[0].inboundLayers.map((l) => l.name);
      for (const block of resnet18Blocks(0.25)) {
        const gateName = `${block.name}_${gate}`;
        const shortcut = block.projection
          ? `${block.name}_downsample_bn`
          : block.stage === 1 && block.index === 0
            ? "maxpool"
            : null;
        const add = inbound(`${block.name}_add`);
        assert.equal(add[0], gateName);
        if (shortcut) assert.equal(add[1], shortcut);
        // The module's input is the block's second BN.
        const firstOfModule = model.layers.find((l) => l.name.startsWith(`${block.name}_${variant}_`))!;
        assert.ok(
          inbound(firstOfModule.name).includes(`${block.name}_bn2`),
          `${firstOfModule.name} <- ${inbound(firstOfModule.name)}`,
        );
      }
      assert.equal(model.layers.filter((l) => l.name.endsWith(`_${gate}`)).length, 8);
    });
  }
});

describe("initialisation", () => {
  test("the same seed gives identical weights; another seed or no seed does not", () => {
    const a = buildModel({ variant: "cbam", width: 0.25, inputSize: 32, seed: 42 });
    const b = buildModel({ variant: "cbam", width: 0.25, inputSize: 32, seed: 42 });
    const c = buildModel({ variant: "cbam", width: 0.25, inputSize: 32, seed: 43 });
    const unseeded = [
      buildModel({ variant: "cbam", width: 0.25, inputSize: 32 }),
      buildModel({ variant: "cbam", width: 0.25, inputSize: 32 }),
    ];
    const wa = a.getWeights();
    const wb = b.getWeights();
    assert.equal(wa.length, wb.length);
    wa.forEach((w, i) => assert.deepEqual(w.dataSync(), wb[i].dataSync(), a.weights[i].name));
    const first = (m: tf.LayersModel) => Array.from(m.getLayer("conv1").getWeights()[0].dataSync());
    assert.notDeepEqual(first(a), first(c));
    assert.notDeepEqual(first(unseeded[0]), first(unseeded[1]));
    // Different layers get different random streams.
    assert.notDeepEqual(
      Array.from(a.getLayer("layer1_0_conv1").getWeights()[0].dataSync()),
      Array.from(a.getLayer("layer1_0_conv2").getWeights()[0].dataSync()),
    );
  });

  test("convs are Kaiming fan_out normal (untruncated), the fc is PyTorch's default uniform, BN starts at identity", () => {
    const model = buildModel({ variant: "gc", width: 0.5, inputSize: 32, seed: 5 });
    const kernel = model.getLayer("layer4_1_conv2").getWeights()[0]; // [3, 3, 256, 256]
    const values = Array.from(kernel.dataSync());
    const std = Math.sqrt(2 / (3 * 3 * 256));
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    assert.ok(Math.abs(mean) < 0.01 * std);
    assert.ok(Math.abs(sd / std - 1) < 0.01, `sd ${sd} vs ${std}`);
    assert.ok(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) > 4 * std, "normal, not truncated at 2 sd");
    const bound = 1 / Math.sqrt(256);
    for (const w of model.getLayer("fc").getWeights()) assert.ok(w.dataSync().every((v) => Math.abs(v) <= bound));
    const [gamma, beta, movingMean, movingVar] = model
      .getLayer("layer1_0_bn1")
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    assert.ok(
      gamma.every((v) => v === 1) &&
        beta.every((v) => v === 0) &&
        movingMean.every((v) => v === 0) &&
        movingVar.every((v) => v === 1),
    );
    assert.ok(
      model
        .getLayer("layer4_1_gc_transform_conv2")
        .getWeights()
        .every((w) => w.dataSync().every((v) => v === 0)),
    );
  });
});

describe("training graph", () => {
  for (const variant of VARIANTS) {
    test(`${variant}: every trainable weight gets a finite gradient and training mode updates BN statistics`, () => {
      const model = buildModel({ variant, width: 0.25, inputSize: 32, seed: 9 });
      const x = seededTensor([4, 32, 32, 3], 10);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 1, 0], "int32"), 2);
      const before = Array.from(model.getLayer("layer3_1_bn2").getWeights()[2].dataSync());
      const { value, grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(labels, model.apply(x, { training: true }) as tf.Tensor),
        model.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      assert.ok(Number.isFinite(value.dataSync()[0]));
      assert.equal(Object.keys(grads).length, model.trainableWeights.length);
      for (const g of Object.values(grads)) assert.ok(g.dataSync().every(Number.isFinite));
      const after = Array.from(model.getLayer("layer3_1_bn2").getWeights()[2].dataSync());
      assert.notDeepEqual(after, before);
      // Grad-CAM's target: a model exposing layer4 alongside the logits.
      const camModel = tf.model({
        inputs: model.inputs,
        outputs: [model.getLayer(GRADCAM_LAYER).output as tf.SymbolicTensor, model.outputs[0]],
      });
      const [features] = camModel.predict(x) as tf.Tensor[];
      assert.deepEqual(features.shape, [4, 1, 1, 128]);
    });
  }
});
