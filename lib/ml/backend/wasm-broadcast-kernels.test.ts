import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./select-backend";
import { BROADCAST_WRAPPED_KERNELS, wasmBroadcastKernelsRegistered } from "./wasm-broadcast-kernels";

type BinaryOp = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
const OPS: Record<(typeof BROADCAST_WRAPPED_KERNELS)[number], BinaryOp> = {
  Equal: tf.equal,
  NotEqual: tf.notEqual,
  Greater: tf.greater,
  GreaterEqual: tf.greaterEqual,
  Less: tf.less,
  LessEqual: tf.lessEqual,
  Maximum: tf.maximum,
  Minimum: tf.minimum,
  Pow: (a, b) => tf.pow(tf.abs(a), b),
};

// Small integers make ties (and so Equal/≥ edge cases) frequent; specials check exactness of x + 0.
function values(count: number, seed: number): Float32Array {
  const specials = [0, -0, 1, -1, 2, Infinity, -Infinity, NaN];
  return Float32Array.from({ length: count }, (_, i) => {
    const h = Math.imul(i + 1, 2654435761) ^ Math.imul(seed, 40503);
    return (h >>> 0) % 11 === 0 ? specials[(h >>> 8) % specials.length] : ((h >>> 4) % 5) - 2;
  });
}

/**
 * Result of `op` on `backend`; with `expand`, both operands are first broadcast to the output shape
 * so that the stock kernel runs on equal shapes (the semantics the replacement must reproduce:
 * stock wasm Maximum/Minimum/Pow already differ from cpu on NaN). −0 is reported as 0.
 */
async function run(
  backend: string,
  op: BinaryOp,
  aShape: number[],
  bShape: number[],
  expand = false,
): Promise<number[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    let a = tf.tensor(values(tf.util.sizeFromShape(aShape), 1), aShape);
    let b = tf.tensor(values(tf.util.sizeFromShape(bShape), 2), bShape);
    if (expand) {
      const shape = tf.backend_util.assertAndGetBroadcastShape(aShape, bShape);
      [a, b] = [tf.broadcastTo(a, shape), tf.broadcastTo(b, shape)];
    }
    return Array.from(op(a, b).dataSync(), (v) => (v === 0 ? 0 : v));
  });
}

const COMPARISONS = new Set(["Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual"]);

const SHAPE_PAIRS: Array<[number[], number[]]> = [
  [
    [2, 5, 4, 3],
    [2, 5, 4, 1],
  ], // channel max (CBAM)
  [
    [2, 5, 4, 3],
    [2, 1, 1, 3],
  ], // spatial max (global max pooling)
  [
    [2, 1, 4, 3],
    [2, 5, 1, 3],
  ], // both operands broadcast
  [[3], [4, 1]],
  [[2, 3], []], // scalar: stock path
];

before(async () => {
  await initBackend({ force: "wasm", log: () => {} });
});

describe("wasm broadcasting replacements vs. cpu backend", () => {
  test("registered by initBackend", () => {
    assert.ok(wasmBroadcastKernelsRegistered());
  });

  for (const [name, op] of Object.entries(OPS)) {
    test(`${name} agrees exactly with the stock kernel${COMPARISONS.has(name) ? " and cpu" : ""}, specials included`, async () => {
      for (const [aShape, bShape] of SHAPE_PAIRS) {
        for (const [x, y] of [
          [aShape, bShape],
          [bShape, aShape],
        ]) {
          const ctx = `${name}(${JSON.stringify(x)}, ${JSON.stringify(y)})`;
          const got = await run("wasm", op, x, y);
          assert.deepEqual(got, await run("wasm", op, x, y, true), ctx);
          if (COMPARISONS.has(name)) assert.deepEqual(got, await run("cpu", op, x, y), `${ctx} vs cpu`);
        }
      }
    });
  }

  test("no tensors or backend buffers leak", async () => {
    await run("wasm", tf.equal, [2, 5, 4, 3], [2, 5, 4, 1]);
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    await run("wasm", tf.greater, [2, 1, 4, 3], [2, 5, 1, 3]);
    await run("wasm", tf.maximum, [2, 5, 4, 3], [2, 1, 1, 3]);
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(backend.numDataIds(), buffers);
  });
});
