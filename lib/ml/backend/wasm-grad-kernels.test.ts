import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./select-backend";
import { assertMatchesCpu, convGrads, gridCases, type ConvCase } from "./test-support/conv-cases";
import { unregisterNativeKernels } from "./native-kernels";
import {
  inputGradMethodFor,
  registerWasmGradKernels,
  setInputGradMethod,
  setMaxTransientFloats,
  unregisterWasmGradKernels,
  wasmGradKernelsRegistered,
  type InputGradMethod,
} from "./wasm-grad-kernels";

before(async () => {
  await initBackend({ force: "wasm", log: () => {} });
  // These tests are about the pure-wasm kernels, which stay the fallback when the native addon is absent.
  unregisterNativeKernels();
});

describe("wasm Conv2D gradient kernels vs. cpu backend", () => {
  test("initBackend registered them", () => {
    assert.ok(wasmGradKernelsRegistered());
  });

  for (const cc of gridCases()) {
    test(`k${cc.kh} s${cc.stride} pad ${JSON.stringify(cc.pad)} x[${cc.n},${cc.h},${cc.w},${cc.c}] co ${cc.co}`, async () => {
      await assertMatchesCpu(cc);
    });
  }

  test("asymmetric 'same' padding with stride 2 on odd and even sizes", async () => {
    await assertMatchesCpu({ n: 2, h: 15, w: 12, c: 3, co: 4, kh: 3, kw: 3, stride: 2, pad: "same" });
    await assertMatchesCpu({ n: 1, h: 12, w: 17, c: 2, co: 3, kh: 7, kw: 7, stride: 2, pad: "same" });
    await assertMatchesCpu({ n: 2, h: 16, w: 16, c: 4, co: 4, kh: 1, kw: 1, stride: 2, pad: "same" });
  });

  test("different strides per axis and a non-square kernel", async () => {
    await assertMatchesCpu({ n: 2, h: 11, w: 10, c: 3, co: 2, kh: 3, kw: 3, stride: [1, 2], pad: "same" });
    await assertMatchesCpu({ n: 1, h: 9, w: 12, c: 2, co: 3, kh: 3, kw: 1, stride: [2, 1], pad: "valid" });
  });

  test("a ResNet-like layer (batch 4, 16x16, 8 -> 16 channels, 3x3/2)", async () => {
    await assertMatchesCpu({ n: 4, h: 16, w: 16, c: 8, co: 16, kh: 3, kw: 3, stride: 2, pad: "same" });
  });

  test("fused conv2d + bias + relu (the tfjs-layers path)", async () => {
    await assertMatchesCpu({ n: 2, h: 9, w: 8, c: 3, co: 4, kh: 3, kw: 3, stride: 2, pad: "same" }, true);
    await assertMatchesCpu({ n: 2, h: 12, w: 12, c: 4, co: 6, kh: 7, kw: 7, stride: 2, pad: "same" }, true);
  });

  for (const method of ["conv", "matmul", "matmul-transposed"] as InputGradMethod[]) {
    test(`input gradient forced to '${method}' on every grid case`, async () => {
      setInputGradMethod(method);
      try {
        for (const cc of gridCases()) await assertMatchesCpu(cc);
        await assertMatchesCpu({ n: 2, h: 11, w: 10, c: 3, co: 2, kh: 3, kw: 3, stride: [1, 2], pad: "same" });
      } finally {
        setInputGradMethod(undefined);
      }
    });
  }

  test("the automatic choice: conv for wide stride-1 maps, W·dyᵀ for deep small ones, col2im when strided", () => {
    const layer = (stride: number, k: number, out: number, co: number) => ({
      strideHeight: stride,
      strideWidth: stride,
      filterHeight: k,
      filterWidth: k,
      batchSize: 16,
      outHeight: out,
      outWidth: out,
      outChannels: co,
    });
    assert.equal(inputGradMethodFor(layer(1, 3, 16, 64)), "conv");
    assert.equal(inputGradMethodFor(layer(2, 3, 8, 128)), "matmul");
    assert.equal(inputGradMethodFor(layer(2, 1, 8, 128)), "matmul");
    assert.equal(inputGradMethodFor(layer(1, 3, 2, 512)), "matmul-transposed");
  });

  test("batches split into several chunks give the same gradients", async () => {
    const previous = setMaxTransientFloats(200);
    try {
      for (const method of [undefined, "matmul", "matmul-transposed"] as (InputGradMethod | undefined)[]) {
        setInputGradMethod(method);
        await assertMatchesCpu({ n: 5, h: 9, w: 8, c: 3, co: 4, kh: 3, kw: 3, stride: 2, pad: "same" });
        await assertMatchesCpu({ n: 3, h: 7, w: 7, c: 2, co: 3, kh: 3, kw: 3, stride: 1, pad: "same" });
        await assertMatchesCpu({ n: 4, h: 6, w: 6, c: 3, co: 2, kh: 1, kw: 1, stride: 1, pad: "valid" });
      }
    } finally {
      setInputGradMethod(undefined);
      setMaxTransientFloats(previous);
    }
  });

  test("no engine tensors and no backend buffers are leaked", async () => {
    const cc: ConvCase = { n: 2, h: 9, w: 7, c: 3, co: 4, kh: 3, kw: 3, stride: 2, pad: "same" };
    await convGrads("wasm", cc, false);
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = backend.numDataIds();
    for (let i = 0; i < 3; i++) await convGrads("wasm", { ...cc, pad: i === 1 ? "valid" : "same" }, i === 2);
    for (const method of ["conv", "matmul", "matmul-transposed"] as InputGradMethod[]) {
      setInputGradMethod(method);
      try {
        await convGrads("wasm", { ...cc, stride: 1 }, false);
        await convGrads("wasm", { ...cc, kh: 1, kw: 1, stride: 1, pad: "valid" }, false);
      } finally {
        setInputGradMethod(undefined);
      }
    }
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(backend.numDataIds(), buffersBefore);
  });

  test("unsupported configurations fail with a clear message", () => {
    tf.tidy(() => {
      const x = tf.ones([1, 5, 5, 2]);
      const dy = tf.ones([1, 5, 5, 3]);
      const filter = tf.ones([3, 3, 2, 3]);
      const base = { strides: [1, 1], pad: "same", dimRoundingMode: undefined };
      assert.throws(
        () =>
          tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
            ...base,
            dataFormat: "NCHW",
            filterShape: [3, 3, 2, 3],
          } as never),
        /only dataFormat 'NHWC'/,
      );
      assert.throws(
        () =>
          tf.engine().runKernel("Conv2DBackpropInput", { dy, filter }, {
            ...base,
            dataFormat: "NHWC",
            dilations: [2, 2],
            inputShape: [1, 5, 5, 2],
          } as never),
        /only dilation 1/,
      );
    });
  });

  test("without them the stock wasm backend cannot train a conv (why they exist)", async () => {
    unregisterWasmGradKernels();
    try {
      assert.ok(!wasmGradKernelsRegistered());
      await tf.setBackend("wasm");
      assert.throws(
        () =>
          tf.tidy(() =>
            tf.grad((w: tf.Tensor) => tf.conv2d(tf.ones<tf.Rank.R4>([1, 4, 4, 1]), w as tf.Tensor4D, 1, "same").sum())(
              tf.ones([3, 3, 1, 1]),
            ),
          ),
        /Conv2DBackpropFilter/,
      );
    } finally {
      registerWasmGradKernels();
    }
    assert.ok(wasmGradKernelsRegistered());
  });
});
