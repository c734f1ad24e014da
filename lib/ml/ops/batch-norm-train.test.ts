import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { loadNativeAddon, registerNativeKernels, unregisterNativeKernels } from "@/lib/ml/backend/native-kernels";
import { relativeError } from "@/lib/ml/backend/test-support/compare-backends";
import { compareWithFiniteDifferences, seededTensor } from "@/lib/ml/models/test-support/numeric-gradient";
import { scaleShift } from "@/lib/ml/models/layers/scale-shift-batch-norm";
import { batchNormTrain } from "./batch-norm-train";
import { BATCH_NORM_TRAIN_KERNEL } from "./kernels";

const EPS = 1e-5;

/** The formula batchNormTrain replaces, differentiated by autodiff: tf.moments, then x * scale + shift. */
function compositeBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(
    x,
    x.shape.slice(0, -1).map((_, i) => i),
  );
  return scaleShift(x, gamma, beta, mean, variance, EPS);
}

type BatchNormFn = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
const fused: BatchNormFn = (x, gamma, beta) => batchNormTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, EPS);

type Inputs = {
  x: tf.Tensor;
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
  /** Weights of the test loss sum(y * r), so that dy is not constant (a constant dy gives dx = 0). */
  r: tf.Tensor;
};

function makeInputs(shape: number[], seed: number): Inputs {
  const c = shape[shape.length - 1];
  return tf.tidy(() => ({
    // Channel means well away from 0 and spreads away from 1, as after a convolution.
    x: tf.add(tf.mul(seededTensor(shape, seed), 3), 1.5),
    gamma: tf.add<tf.Tensor1D>(seededTensor([c], seed + 1), 0.5),
    beta: seededTensor([c], seed + 2) as tf.Tensor1D,
    r: seededTensor(shape, seed + 3),
  }));
}

interface Results {
  y: Float32Array;
  dx: Float32Array;
  dgamma: Float32Array;
  dbeta: Float32Array;
}

function run(f: BatchNormFn, { x, gamma, beta, r }: Inputs): Results {
  return tf.tidy(() => {
    const y = f(x, gamma, beta).dataSync() as Float32Array;
    const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, b, c), r));
    const [dx, dgamma, dbeta] = tf
      .grads(loss)([x, gamma, beta])
      .map((g) => g.dataSync() as Float32Array);
    return { y, dx, dgamma, dbeta };
  });
}

function assertClose(got: Results, want: Results, tol: number, what: string): void {
  for (const key of ["y", "dx", "dgamma", "dbeta"] as const) {
    const err = relativeError(got[key], want[key]);
    assert.ok(err < tol, `${what}: ${key} relative error ${err.toExponential(2)}`);
  }
}

const SHAPES = [
  [3, 4, 5, 6],
  [16, 2, 2, 32],
  [4, 6, 6, 1], // the CBAM spatial gate's single channel
  [9, 7], // rank 2: channels after a dense layer
  [2, 3, 2, 2, 5], // rank 5
];

before(async () => {
  // Registers the wasm backend (with the project's kernels) next to cpu; each test picks one.
  await initBackend({ force: "wasm", log: () => {} });
});

describe("batchNormTrain on the cpu backend", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  for (const [i, shape] of SHAPES.entries()) {
    test(`output and gradients match the autodiff composite for [${shape}]`, () => {
      const inputs = makeInputs(shape, 10 * i + 1);
      assertClose(run(fused, inputs), run(compositeBatchNorm, inputs), 1e-5, `[${shape}]`);
      tf.dispose(Object.values(inputs));
    });
  }

  test("gradients agree with central finite differences", () => {
    const shape = [2, 3, 3, 4];
    const { x, gamma, beta, r } = makeInputs(shape, 50);
    const inputs = [x, gamma, beta];
    const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(fused(a, b, c), r));
    const grads = tf.grads(loss)(inputs);
    inputs.forEach((input, k) => {
      const values = input.dataSync() as Float32Array;
      const check = compareWithFiniteDifferences(
        values,
        grads[k].dataSync() as Float32Array,
        (v) =>
          tf.tidy(() => {
            const args = inputs.map((t, j) => (j === k ? tf.tensor(v, t.shape) : t));
            return loss(args[0], args[1], args[2]).dataSync()[0];
          }),
        { maxChecks: 72 },
      );
      assert.ok(check.worstRatio <= 1, `input ${k}: ${JSON.stringify(check)}`);
    });
    tf.dispose([x, gamma, beta, r, ...grads]);
  });

  test("reports the batch mean, biased variance and count that tf.moments gives", () => {
    const { x, gamma, beta, r } = makeInputs([3, 4, 5, 6], 60);
    const want = tf.moments(x, [0, 1, 2]);
    let reported: { mean: Float32Array; variance: Float32Array; count: number } | undefined;
    const before = tf.memory().numTensors;
    const y = batchNormTrain(x, gamma, beta, EPS, (mean, variance, count) => {
      reported = { mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array, count };
    });
    assert.ok(reported !== undefined);
    assert.equal(reported.count, 60);
    assert.ok(relativeError(reported.mean, want.mean.dataSync() as Float32Array) < 1e-6);
    assert.ok(relativeError(reported.variance, want.variance.dataSync() as Float32Array) < 1e-5);
    // Only y survives the op: the statistics and the op's intermediates are disposed.
    assert.equal(tf.memory().numTensors, before + 1);
    tf.dispose([x, gamma, beta, r, y, want.mean, want.variance]);
  });

  test("gradients reach gamma and beta as variables, and nothing leaks", () => {
    const inputs = makeInputs([4, 3, 3, 5], 70);
    const gamma = tf.variable(inputs.gamma);
    const beta = tf.variable(inputs.beta);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(
      () => tf.sum<tf.Scalar>(tf.mul(fused(inputs.x, gamma, beta), inputs.r)),
      [gamma, beta],
    );
    const want = run(compositeBatchNorm, inputs);
    assert.ok(relativeError(grads[gamma.name].dataSync() as Float32Array, want.dgamma) < 1e-5);
    assert.ok(relativeError(grads[beta.name].dataSync() as Float32Array, want.dbeta) < 1e-5);
    tf.dispose([value, ...Object.values(grads)]);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([gamma, beta, ...Object.values(inputs)]);
  });

  test("forward and backward take about half the kernels of the composite, and no full reduction", async () => {
    const { x, gamma, beta, r } = makeInputs([4, 3, 3, 5], 80);
    // dy given directly, so that only the batch norm's own kernels are counted.
    const kernels = async (f: BatchNormFn) =>
      (await tf.profile(() => tf.tidy(() => tf.grads(f)([x, gamma, beta], r)))).kernels.map((k) => k.name);
    const ours = await kernels(fused);
    const composite = await kernels(compositeBatchNorm);
    assert.ok(ours.length < 0.6 * composite.length, `${ours.length} kernels vs ${composite.length} for the composite`);
    // Reductions over the leading axes transpose the whole tensor on wasm; the op pools instead.
    for (const slow of ["Sum", "Mean", "Tile", "Transpose"])
      assert.ok(!ours.includes(slow), `${slow} in ${ours.join(",")}`);
    tf.dispose([x, gamma, beta, r]);
  });
});

const nativeAddon = loadNativeAddon();
for (const mode of ["native kernels", "TF.js ops"] as const) {
  describe(
    `batchNormTrain on the wasm backend (${mode})`,
    { skip: mode === "native kernels" && !("addon" in nativeAddon) },
    () => {
      before(() => {
        if (mode === "TF.js ops") unregisterNativeKernels();
        assert.equal(tf.getKernel(BATCH_NORM_TRAIN_KERNEL, "wasm") !== undefined, mode === "native kernels");
      });
      after(() => {
        if ("addon" in nativeAddon) registerNativeKernels(nativeAddon.addon);
      });

      const large = [[16, 32, 32, 16], ...SHAPES];
      for (const [i, shape] of large.entries()) {
        test(`output and gradients match the cpu backend for [${shape}]`, async () => {
          await tf.setBackend("cpu");
          const cpuInputs = makeInputs(shape, 10 * i + 3);
          const want = run(fused, cpuInputs);
          tf.dispose(Object.values(cpuInputs));
          await tf.setBackend("wasm");
          const inputs = makeInputs(shape, 10 * i + 3);
          assertClose(run(fused, inputs), want, 1e-5, `wasm [${shape}]`);
          // And the composite on wasm gives the same numbers as the fused op on wasm.
          assertClose(run(fused, inputs), run(compositeBatchNorm, inputs), 1e-5, `wasm composite [${shape}]`);
          tf.dispose(Object.values(inputs));
        });
      }

      test("accepts gamma and beta that are reshaped views", async () => {
        // The wasm depthwise kernel rejects a bias whose stored data is not rank 1, and a reshape keeps the
        // data of its input: [1, C] reshaped to [C] must still work.
        await tf.setBackend("wasm");
        const inputs = makeInputs([2, 3, 3, 4], 90);
        const asView = (t: tf.Tensor1D) => tf.reshape<tf.Rank.R1>(tf.reshape(t, [1, 4]).clone(), [4]);
        const viewed = { ...inputs, gamma: asView(inputs.gamma), beta: asView(inputs.beta) };
        assertClose(run(fused, viewed), run(fused, inputs), 1e-7, "reshaped gamma/beta");
        tf.dispose([...Object.values(inputs), viewed.gamma, viewed.beta]);
      });

      test("does not rely on Identity copying its input (it may share data, as on cpu)", async () => {
        await tf.setBackend("wasm");
        const inputs = makeInputs([2, 3, 3, 4], 100);
        const want = run(fused, inputs);
        const stock = tf.getKernel("Identity", "wasm");
        assert.ok(stock !== undefined);
        const sharing = ((args: { inputs: { x: tf.TensorInfo }; backend: tf.KernelBackend }) => {
          const { x } = args.inputs;
          args.backend.incRef(x.dataId);
          return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
        }) as unknown as tf.KernelFunc;
        tf.unregisterKernel("Identity", "wasm");
        tf.registerKernel({ ...stock, kernelFunc: sharing });
        try {
          assertClose(run(fused, inputs), want, 1e-7, "with a data-sharing Identity");
        } finally {
          tf.unregisterKernel("Identity", "wasm");
          tf.registerKernel(stock);
        }
        tf.dispose(Object.values(inputs));
      });
    },
  );
}
