import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./select-backend";
import { loadNativeConvAddon, nativeConvKernelsRegistered, nativeGeometry } from "./native-conv-kernels";
import { assertMatchesCpu, convGrads, gridCases } from "./test-support/conv-cases";

const native = loadNativeConvAddon();
// The addon is an optional dependency: on a machine where it could not be built these tests are skipped
// with the reason, and the pure-wasm kernels (wasm-grad-kernels.test.ts) are what runs.
const skip = "addon" in native ? false : `native kernels unavailable: ${native.reason}`;

before(async () => {
  await initBackend({ force: "wasm", log: () => {} });
});

describe("native convolution kernels on the wasm heap vs. cpu backend", { skip }, () => {
  test("initBackend registered them", () => {
    assert.ok(nativeConvKernelsRegistered());
  });

  for (const cc of gridCases()) {
    test(`k${cc.kh} s${cc.stride} pad ${JSON.stringify(cc.pad)} x[${cc.n},${cc.h},${cc.w},${cc.c}] co ${cc.co}`, async () => {
      await assertMatchesCpu(cc);
    });
  }

  test("padding larger than the kernel, per-axis strides, non-square kernels", async () => {
    const big: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [4, 3],
      [5, 0],
      [0, 0],
    ];
    await assertMatchesCpu({ n: 2, h: 6, w: 5, c: 3, co: 4, kh: 3, kw: 2, stride: [2, 1], pad: big });
    await assertMatchesCpu({ n: 1, h: 9, w: 12, c: 2, co: 3, kh: 3, kw: 1, stride: [2, 1], pad: "valid" });
  });

  test("GEMM edge tiles and several K blocks (channels not multiples of 6 or 16, K > 256)", async () => {
    await assertMatchesCpu({ n: 3, h: 7, w: 9, c: 37, co: 21, kh: 3, kw: 3, stride: 1, pad: "same" });
    await assertMatchesCpu({ n: 2, h: 5, w: 5, c: 300, co: 17, kh: 1, kw: 1, stride: 1, pad: "valid" });
  });

  test("layers larger than one patch block (the block loop and its accumulation)", async () => {
    await assertMatchesCpu({ n: 4, h: 40, w: 40, c: 40, co: 8, kh: 3, kw: 3, stride: 1, pad: "same" });
  });

  test("the fused conv with bias and relu falls back to the wasm kernels, gradients still right", async () => {
    await assertMatchesCpu({ n: 2, h: 9, w: 8, c: 3, co: 4, kh: 3, kw: 3, stride: 2, pad: "same" }, true);
  });

  test("no engine tensors and no backend buffers are leaked", async () => {
    const cc = { n: 2, h: 9, w: 7, c: 3, co: 4, kh: 3, kw: 3, stride: 2, pad: "same" as const };
    await convGrads("wasm", cc, false);
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = backend.numDataIds();
    for (let i = 0; i < 3; i++) await convGrads("wasm", { ...cc, pad: i === 1 ? "valid" : "same" }, i === 2);
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(backend.numDataIds(), buffersBefore);
  });

  test("the addon refuses arrays shorter than the geometry says instead of writing past them", () => {
    if (!("addon" in native)) return;
    const info = tf.backend_util.computeConv2DInfo([1, 4, 4, 2], [3, 3, 2, 2], 1, 1, "same", undefined, false, "channelsLast");
    const geometry = nativeGeometry(info);
    const x = new Float32Array(32);
    const w = new Float32Array(36);
    assert.throws(() => native.addon.conv2d(x, w, new Float32Array(31), geometry), RangeError);
    assert.throws(() => native.addon.conv2d(x.subarray(1), w, new Float32Array(32), geometry), RangeError);
    assert.throws(() => native.addon.conv2d(x, w, new Float32Array(32), Int32Array.from([1, 4, 4])), TypeError);
    assert.throws(() => native.addon.conv2d(x, w, new Float32Array(32), Int32Array.from([...geometry].map((v, i) => (i === 0 ? 0 : v)))), RangeError);
  });
});
