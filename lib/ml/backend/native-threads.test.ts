// The native kernels' thread pool: FOCUS_THREADS and its default, and results that do not depend on
// scheduling (the same bits on every call for a given thread count).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  defaultThreadsPerWorker,
  loadNativeAddon,
  nativeGeometry,
  nativeThreadCount,
  type NativeKernelAddon,
} from "./native-kernels";
import { relativeError, values } from "./test-support/compare-backends";

describe("FOCUS_THREADS", () => {
  test("an explicit count wins; the default shares the cores among the machine's worker processes", () => {
    assert.equal(nativeThreadCount({ FOCUS_THREADS: "3" }, 2), 3);
    assert.equal(nativeThreadCount({}, 2), 2);
    assert.equal(nativeThreadCount({ FOCUS_WORKER_CONCURRENCY: "2" }, 2), 1);
    assert.equal(nativeThreadCount({ FOCUS_WORKER_CONCURRENCY: "4" }, 2), 1);
    assert.equal(nativeThreadCount({ FOCUS_WORKER_CONCURRENCY: "2" }, 8), 4);
    assert.equal(nativeThreadCount({ FOCUS_THREADS: " " }, 2), 2);
    assert.equal(defaultThreadsPerWorker(2, 2), 1);
  });

  test("a count that is not a whole number from 1 to 256 is refused with the variable's name", () => {
    for (const bad of ["0", "-1", "1.5", "two", "257"]) {
      assert.throws(() => nativeThreadCount({ FOCUS_THREADS: bad }, 2), /FOCUS_THREADS/, bad);
    }
  });
});

const native = loadNativeAddon();
const skip = "addon" in native ? false : `native kernels unavailable: ${native.reason}`;

interface Outputs {
  [kernel: string]: Float32Array;
}

/** Every pooled kernel once, on inputs big enough to be split into shares, out of the wasm heap. */
function runAll(addon: NativeKernelAddon): Outputs {
  const info = tf.backend_util.computeConv2DInfo(
    [6, 20, 20, 24],
    [3, 3, 24, 48],
    1,
    1,
    "same",
    undefined,
    false,
    "channelsLast",
  );
  const narrow = tf.backend_util.computeConv2DInfo(
    [6, 20, 20, 24],
    [3, 3, 24, 16],
    2,
    1,
    "same",
    undefined,
    false,
    "channelsLast",
  );
  // A filter over 1 MiB (as layer3/4): one block per chunk, and dW split by its rows.
  const large = tf.backend_util.computeConv2DInfo(
    [2, 6, 6, 128],
    [3, 3, 128, 256],
    1,
    1,
    "same",
    undefined,
    false,
    "channelsLast",
  );
  const xs = {
    wide: values(6 * 20 * 20 * 24, 1),
    narrow: values(6 * 20 * 20 * 24, 1),
    large: values(2 * 6 * 6 * 128, 1),
  };
  const x = xs.wide;
  const out: Outputs = {};
  for (const [name, g] of [
    ["wide", info],
    ["narrow", narrow],
    ["large", large],
  ] as const) {
    const xi = xs[name];
    const w = values(3 * 3 * g.inChannels * g.outChannels, 2);
    const dy = values(g.batchSize * g.outHeight * g.outWidth * g.outChannels, 3);
    const geometry = nativeGeometry(g);
    out[`${name} conv2d`] = new Float32Array(dy.length);
    addon.conv2d(xi, w, out[`${name} conv2d`], geometry);
    out[`${name} dW`] = new Float32Array(w.length);
    addon.conv2dBackpropFilter(xi, dy, out[`${name} dW`], geometry);
    out[`${name} dx`] = new Float32Array(xi.length);
    addon.conv2dBackpropInput(dy, w, out[`${name} dx`], geometry);
  }
  const rows = 6 * 20 * 20;
  const channels = 24;
  const [gamma, beta] = [values(channels, 4), values(channels, 5)];
  const stats = () => Array.from({ length: 4 }, () => new Float32Array(channels));
  const [mean, variance, invStd, scale] = stats();
  out.bnY = new Float32Array(x.length);
  addon.batchNormForward(x, gamma, beta, out.bnY, mean, variance, invStd, scale, rows, channels, 1e-5);
  Object.assign(out, { mean, variance, invStd });
  out.bnDx = new Float32Array(x.length);
  out.dGamma = new Float32Array(channels);
  out.dBeta = new Float32Array(channels);
  addon.batchNormBackward(values(x.length, 6), x, mean, invStd, scale, out.bnDx, out.dGamma, out.dBeta, rows, channels);
  out.sum = new Float32Array(channels);
  addon.sumOuterAxes(x, out.sum, rows, channels);
  const pool = tf.backend_util.computePool2DInfo([6, 20, 20, 24], 3, 2, 1, "same");
  out.maxPoolDx = new Float32Array(x.length);
  addon.maxPoolGrad(values(6 * pool.outHeight * pool.outWidth * 24, 7), x, out.maxPoolDx, nativeGeometry(pool));
  const n = 300_000;
  out.w = new Float32Array(n);
  out.buf = new Float32Array(n);
  addon.sgdMomentumStep(values(n, 8), values(n, 9), values(n, 10), out.w, out.buf, 0.05, 0.9, 1e-4);
  return out;
}

// Splits that never change which thread computes an output element's whole sum.
const SPLIT_INDEPENDENT = [
  "wide conv2d",
  "narrow conv2d",
  "wide dx",
  "narrow dx",
  "large conv2d",
  "large dW",
  "large dx",
  "bnY",
  "bnDx",
  "maxPoolDx",
  "w",
  "buf",
];

describe("native kernels on the thread pool", { skip }, () => {
  after(() => {
    if ("addon" in native) native.addon.setThreads(1);
  });

  test("every kernel gives the same bits on every call for 1, 2 and 3 threads", () => {
    if (!("addon" in native)) return;
    for (const threads of [1, 2, 3]) {
      assert.equal(native.addon.setThreads(threads), threads);
      assert.equal(native.addon.threads(), threads);
      const first = runAll(native.addon);
      for (let rep = 0; rep < 3; rep++) {
        const again = runAll(native.addon);
        for (const [kernel, v] of Object.entries(first)) {
          assert.ok(
            Buffer.from(again[kernel].buffer).equals(Buffer.from(v.buffer)),
            `${kernel} with ${threads} threads differs between calls`,
          );
        }
      }
    }
  });

  test("thread counts agree: exactly where a thread owns whole outputs, to rounding where shares are summed", () => {
    if (!("addon" in native)) return;
    native.addon.setThreads(1);
    const one = runAll(native.addon);
    native.addon.setThreads(2);
    const two = runAll(native.addon);
    for (const [kernel, v] of Object.entries(one)) {
      if (SPLIT_INDEPENDENT.includes(kernel)) {
        assert.ok(Buffer.from(two[kernel].buffer).equals(Buffer.from(v.buffer)), `${kernel}: 2 threads differ from 1`);
      } else {
        assert.ok(relativeError(two[kernel], v) < 1e-5, `${kernel}: relative error ${relativeError(two[kernel], v)}`);
      }
    }
  });

  test("Winograd and im2col + GEMM agree to rounding, and stride-1 3x3 layers do take the Winograd path", () => {
    if (!("addon" in native)) return;
    native.addon.setThreads(2);
    const winograd = runAll(native.addon);
    assert.equal(native.addon.useWinograd(false), false);
    const gemm = runAll(native.addon);
    assert.equal(native.addon.useWinograd(true), true);
    for (const kernel of ["wide conv2d", "wide dx", "wide dW", "large conv2d", "large dx", "large dW"]) {
      const err = relativeError(winograd[kernel], gemm[kernel]);
      assert.ok(err < 1e-5, `${kernel}: relative error ${err}`);
      // Different arithmetic, so different roundings somewhere in thousands of outputs: equal bits would
      // mean the layer never reached the Winograd kernel.
      assert.ok(
        !Buffer.from(winograd[kernel].buffer).equals(Buffer.from(gemm[kernel].buffer)),
        `${kernel}: no Winograd`,
      );
    }
    // The stride-2 layer has no Winograd form: the switch leaves it alone.
    for (const kernel of ["narrow conv2d", "narrow dx", "narrow dW"])
      assert.ok(Buffer.from(winograd[kernel].buffer).equals(Buffer.from(gemm[kernel].buffer)), kernel);
  });

  test("Winograd filter gradient of a large filter over more tiles than fit at once: blocks and partial sums", () => {
    if (!("addon" in native)) return;
    // 2048 tiles x (256 + 256) channels x 16 positions exceeds the 16 Mi floats for which the filter gradient
    // of a large filter transforms every tile at once; this one goes by blocks with one partial per chunk.
    const info = tf.backend_util.computeConv2DInfo(
      [2, 64, 64, 256],
      [3, 3, 256, 256],
      1,
      1,
      "same",
      undefined,
      false,
      "channelsLast",
    );
    const x = values(2 * 64 * 64 * 256, 1);
    const dy = values(2 * 64 * 64 * 256, 3);
    const geometry = nativeGeometry(info);
    const dW = (winograd: boolean, threads: number) => {
      native.addon.setThreads(threads);
      native.addon.useWinograd(winograd);
      const out = new Float32Array(3 * 3 * 256 * 256);
      native.addon.conv2dBackpropFilter(x, dy, out, geometry);
      return out;
    };
    try {
      const gemm = dW(false, 2);
      const two = dW(true, 2);
      assert.ok(relativeError(two, gemm) < 1e-5, `relative error ${relativeError(two, gemm)}`);
      assert.ok(Buffer.from(dW(true, 2).buffer).equals(Buffer.from(two.buffer)), "2 threads differ between calls");
      const one = dW(true, 1);
      assert.ok(relativeError(one, two) < 1e-5, `1 against 2 threads: ${relativeError(one, two)}`);
    } finally {
      native.addon.useWinograd(true);
    }
  });

  test("the AVX-512 and AVX2 GEMM micro-kernels round identically", () => {
    if (!("addon" in native)) return;
    native.addon.setThreads(2);
    if (!native.addon.useAvx512(true)) return;
    const wide = runAll(native.addon);
    native.addon.useAvx512(false);
    const narrow = runAll(native.addon);
    native.addon.useAvx512(true);
    for (const [kernel, v] of Object.entries(wide)) {
      assert.ok(
        Buffer.from(narrow[kernel].buffer).equals(Buffer.from(v.buffer)),
        `${kernel}: AVX2 differs from AVX-512`,
      );
    }
  });

  test("setThreads refuses counts outside 1..256", () => {
    if (!("addon" in native)) return;
    assert.throws(() => native.addon.setThreads(0), RangeError);
    assert.throws(() => native.addon.setThreads(257), RangeError);
  });
});
