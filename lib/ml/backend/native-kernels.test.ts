import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./select-backend";
import { loadNativeAddon, nativeKernelsRegistered, nativeGeometry } from "./native-kernels";
import { relativeError, values } from "./test-support/compare-backends";
import { assertMatchesCpu, convGrads, gridCases, type ConvCase } from "./test-support/conv-cases";

async function onBackend(backend: string, f: () => tf.Tensor): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const t = f();
    return { shape: t.shape, values: Float32Array.from(t.dataSync()) };
  });
}

/** d/dx of sum(maxPool(x) * dy) on `backend`; `relu` makes many windows tie at 0, as after a ReLU. */
async function maxPoolGrad(
  backend: string,
  shape: [number, number, number, number],
  k: number,
  stride: number,
  pad: "same" | "valid",
  relu: boolean,
) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const raw = tf.tensor4d(
      values(
        shape.reduce((a, b) => a * b),
        5,
      ),
      shape,
    );
    const x = relu ? tf.relu(raw) : raw;
    const y = tf.maxPool(x, k, stride, pad);
    const dy = tf.tensor(values(y.size, 6), y.shape);
    return tf
      .grad((xi: tf.Tensor) =>
        tf
          .maxPool(xi as tf.Tensor4D, k, stride, pad)
          .mul(dy)
          .sum(),
      )(x)
      .dataSync() as Float32Array;
  });
}

const native = loadNativeAddon();
// The addon is an optional dependency: on a machine where it could not be built these tests are skipped
// with the reason, and the pure-wasm kernels (wasm-grad-kernels.test.ts) are what runs.
const skip = "addon" in native ? false : `native kernels unavailable: ${native.reason}`;

// CI sets this where the build tools exist, so that an addon that silently failed to build (npm skips a
// failed optional dependency) fails the run instead of skipping these tests.
test(
  "the native addon is built when FOCUS_REQUIRE_NATIVE_KERNELS=1",
  { skip: process.env.FOCUS_REQUIRE_NATIVE_KERNELS !== "1" },
  () => {
    assert.ok("addon" in native, skip || "");
  },
);

before(async () => {
  await initBackend({ force: "wasm", log: () => {} });
});

// Every kernel test runs on one thread and on two (the pool's split and the share sums), and with the AVX2
// GEMM micro-kernel as well where the CPU would pick AVX-512.
const POOL_CONFIGS = [
  { threads: 1, avx512: true },
  { threads: 2, avx512: true },
  { threads: 2, avx512: false },
];

for (const config of POOL_CONFIGS) {
  describe(
    `native convolution kernels on the wasm heap vs. cpu backend (${config.threads} thread(s), AVX-512 ${config.avx512 ? "where present" : "off"})`,
    { skip },
    () => {
      before(() => {
        if (!("addon" in native)) return;
        assert.equal(native.addon.setThreads(config.threads), config.threads);
        native.addon.useAvx512(config.avx512);
      });
      after(() => {
        if (!("addon" in native)) return;
        native.addon.setThreads(1);
        native.addon.useAvx512(true);
      });

      test("initBackend registered them", () => {
        assert.ok(nativeKernelsRegistered());
      });

      test("layers large enough to be split across threads (every GEMM formulation)", async () => {
        await assertMatchesCpu({ n: 4, h: 24, w: 24, c: 16, co: 32, kh: 3, kw: 3, stride: 1, pad: "same" });
        await assertMatchesCpu({ n: 3, h: 20, w: 18, c: 8, co: 40, kh: 3, kw: 3, stride: 2, pad: "valid" });
        await assertMatchesCpu({ n: 2, h: 16, w: 16, c: 48, co: 24, kh: 1, kw: 1, stride: 1, pad: "valid" });
        await assertMatchesCpu({ n: 2, h: 32, w: 32, c: 3, co: 16, kh: 7, kw: 7, stride: 2, pad: "same" });
        await assertMatchesCpu({ n: 3, h: 5, w: 5, c: 64, co: 64, kh: 3, kw: 3, stride: 1, pad: "same" });
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
        // few output pixels under a deep filter: the input gradient goes through W · dyᵀ (layer3/4 at 64 px)
        await assertMatchesCpu({ n: 2, h: 4, w: 3, c: 40, co: 24, kh: 3, kw: 3, stride: 2, pad: "same" });
        await assertMatchesCpu({ n: 3, h: 2, w: 2, c: 64, co: 64, kh: 3, kw: 3, stride: 1, pad: "same" });
        // more than two 16-column slivers: A is packed rather than read in place
        await assertMatchesCpu({ n: 2, h: 7, w: 9, c: 37, co: 70, kh: 3, kw: 3, stride: 1, pad: "same" });
      });

      test("layers larger than one patch block (the block loop and its accumulation)", async () => {
        await assertMatchesCpu({ n: 4, h: 40, w: 40, c: 40, co: 8, kh: 3, kw: 3, stride: 1, pad: "same" });
      });

      test("filters over 1 MiB (layer3/4): one block per chunk, one chunk per thread; dW split by rows of dW", async () => {
        await assertMatchesCpu({ n: 2, h: 6, w: 6, c: 128, co: 256, kh: 3, kw: 3, stride: 1, pad: "same" });
        await assertMatchesCpu({ n: 3, h: 7, w: 5, c: 131, co: 250, kh: 3, kw: 3, stride: 2, pad: "same" });
      });

      // Stride-1 3x3 layers with at least 8 channels each side go through Winograd F(2x2, 3x3) (forward and
      // input gradient): partial 2x2 tiles at odd edges, padding of every kind (the input gradient runs as a
      // convolution padded by 2 - pad, negative when pad > 2), output channels that are not a multiple of
      // the GEMM's 16 columns, K over one 256-deep block, and more tiles than one block holds.
      const winogradCases: ConvCase[] = [
        { n: 2, h: 9, w: 7, c: 8, co: 8, kh: 3, kw: 3, stride: 1, pad: "same" },
        { n: 3, h: 8, w: 11, c: 37, co: 21, kh: 3, kw: 3, stride: 1, pad: "valid" },
        {
          n: 2,
          h: 6,
          w: 5,
          c: 9,
          co: 10,
          kh: 3,
          kw: 3,
          stride: 1,
          pad: [
            [0, 0],
            [2, 0],
            [0, 3],
            [0, 0],
          ],
        },
        {
          n: 1,
          h: 5,
          w: 4,
          c: 8,
          co: 12,
          kh: 3,
          kw: 3,
          stride: 1,
          pad: [
            [0, 0],
            [4, 3],
            [5, 0],
            [0, 0],
          ],
        },
        { n: 2, h: 5, w: 5, c: 300, co: 24, kh: 3, kw: 3, stride: 1, pad: "same" },
        { n: 4, h: 30, w: 30, c: 16, co: 16, kh: 3, kw: 3, stride: 1, pad: "same" },
      ];
      test("Winograd F(2x2, 3x3): odd sizes, every padding, edge columns, deep K, several tile blocks", async () => {
        for (const cc of winogradCases) await assertMatchesCpu(cc);
      });

      test("with Winograd off, im2col + GEMM computes the same layers", async () => {
        if (!("addon" in native)) return;
        assert.equal(native.addon.useWinograd(false), false);
        try {
          for (const cc of winogradCases.slice(0, 3)) await assertMatchesCpu(cc);
        } finally {
          native.addon.useWinograd(true);
        }
      });

      test("the fused conv with bias and relu falls back to the wasm kernels, gradients still right", async () => {
        await assertMatchesCpu({ n: 2, h: 9, w: 8, c: 3, co: 4, kh: 3, kw: 3, stride: 2, pad: "same" }, true);
      });

      test("max-pool gradient: ResNet's 3x3/2 'same' pool, ties, odd sizes and 'valid'", async () => {
        const cases: Array<[[number, number, number, number], number, number, "same" | "valid", boolean]> = [
          [[2, 16, 16, 8], 3, 2, "same", true],
          [[3, 9, 7, 5], 3, 2, "same", false],
          [[2, 8, 8, 3], 2, 2, "valid", true],
          [[1, 11, 10, 4], 3, 1, "same", true],
        ];
        for (const [shape, k, stride, pad, relu] of cases) {
          const err = relativeError(
            await maxPoolGrad("wasm", shape, k, stride, pad, relu),
            await maxPoolGrad("cpu", shape, k, stride, pad, relu),
          );
          assert.ok(err < 1e-6, `${JSON.stringify({ shape, k, stride, pad, relu })}: relative error ${err}`);
        }
      });

      test("Sum and Mean over all axes but the last; other reductions unchanged", async () => {
        const x = () => tf.tensor4d(values(3 * 5 * 7 * 6, 8), [3, 5, 7, 6]);
        const reductions: Array<() => tf.Tensor> = [
          () => tf.sum(x(), [0, 1, 2]),
          () => tf.sum(x(), [2, 0, 1], true),
          () => tf.mean(x(), [0, 1, 2]),
          () => tf.mean(x(), [0, 1, 2], true),
          () => tf.mean(tf.tensor2d(values(40, 3), [8, 5]), 0),
          () => tf.sum(x(), [1, 2]),
          () => tf.mean(x(), -1),
          () => tf.sum(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], "int32"), [0, 1]),
          () => tf.moments(x(), [0, 1, 2]).variance,
        ];
        for (const [i, f] of reductions.entries()) {
          const got = await onBackend("wasm", f);
          const want = await onBackend("cpu", f);
          assert.deepEqual(got.shape, want.shape, `reduction ${i}: shape`);
          assert.ok(
            relativeError(got.values, want.values) < 1e-6,
            `reduction ${i}: ${got.values.join(",")} vs ${want.values.join(",")}`,
          );
        }
      });

      test("Add, Multiply, Relu and ReLU's gradient (Step) same-shape, large enough to split; broadcasts and ints fall back", async () => {
        const n = 3 * 50 * 40 * 37;
        const a = () => {
          const v = values(n, 11);
          v[5] = NaN;
          v[7] = -0;
          return tf.tensor4d(v, [3, 50, 40, 37]);
        };
        const b = () => tf.tensor4d(values(n, 12), [3, 50, 40, 37]);
        const ops: Array<() => tf.Tensor> = [
          () => tf.add(a(), b()),
          () => tf.mul(a(), b()),
          () => tf.relu(a()),
          () => tf.step(a(), 0.25),
          () => tf.grad((t: tf.Tensor) => tf.relu(t).mul(b()).sum())(a()),
          () => tf.add(a(), tf.tensor1d(values(37, 13))),
          () => tf.mul(tf.tensor2d(values(6, 14), [3, 2]), tf.scalar(3)),
          () => tf.add(tf.tensor1d([1, 2, 3], "int32"), tf.tensor1d([4, 5, 6], "int32")),
          () => tf.relu(tf.tensor1d([-1, 2], "int32")),
        ];
        for (const [i, f] of ops.entries()) {
          const got = await onBackend("wasm", f);
          const want = await onBackend("cpu", f);
          assert.deepEqual(got.shape, want.shape, `op ${i}: shape`);
          assert.deepEqual(Array.from(got.values), Array.from(want.values), `op ${i}`);
        }
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
        const info = tf.backend_util.computeConv2DInfo(
          [1, 4, 4, 2],
          [3, 3, 2, 2],
          1,
          1,
          "same",
          undefined,
          false,
          "channelsLast",
        );
        const geometry = nativeGeometry(info);
        const x = new Float32Array(32);
        const w = new Float32Array(36);
        assert.throws(() => native.addon.conv2d(x, w, new Float32Array(31), geometry), RangeError);
        assert.throws(() => native.addon.conv2d(x.subarray(1), w, new Float32Array(32), geometry), RangeError);
        assert.throws(() => native.addon.conv2d(x, w, new Float32Array(32), Int32Array.from([1, 4, 4])), TypeError);
        assert.throws(
          () =>
            native.addon.conv2d(
              x,
              w,
              new Float32Array(32),
              Int32Array.from([...geometry].map((v, i) => (i === 0 ? 0 : v))),
            ),
          RangeError,
        );
      });
    },
  );
}
