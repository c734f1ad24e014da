import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./select-backend";
import { values } from "./test-support/compare-backends";

before(async () => {
  await initBackend({ force: "wasm", log: () => {} });
});

async function on(backend: string, f: () => tf.Tensor): Promise<number[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => Array.from(f().dataSync()));
}

const x4 = () => tf.tensor4d(values(3 * 7 * 6 * 5, 9), [3, 7, 6, 5]);

describe("copy-free Identity and same-dtype Cast on wasm", () => {
  test("share the input's data, survive its disposal, and free the data with the last holder", async () => {
    await tf.setBackend("wasm");
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = backend.numDataIds();
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const y = tf.clone(x);
    const z = tf.cast(x, "float32");
    assert.equal(backend.numDataIds(), before + 1, "no new buffers");
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
    y.dispose();
    assert.deepEqual(Array.from(z.dataSync()), [1, 2, 3, 4]);
    z.dispose();
    assert.equal(backend.numDataIds(), before);
  });

  test("a variable assigned after a clone leaves the clone unchanged (data is never written in place)", async () => {
    await tf.setBackend("wasm");
    const v = tf.variable(tf.tensor1d([1, 2]));
    const snapshot = tf.clone(v);
    v.assign(tf.tensor1d([5, 6]));
    assert.deepEqual(Array.from(snapshot.dataSync()), [1, 2]);
    assert.deepEqual(Array.from(v.dataSync()), [5, 6]);
    tf.dispose([v, snapshot]);
  });

  test("casts between dtypes still convert", async () => {
    assert.deepEqual(await on("wasm", () => tf.cast(tf.tensor1d([1.7, -2.2, 0]), "int32")), [1, -2, 0]);
    assert.deepEqual(await on("wasm", () => tf.cast(tf.tensor1d([3, -1], "int32"), "float32")), [3, -1]);
  });
});

describe("row-copy Slice and PadV2 on wasm vs. cpu", () => {
  const slices: Array<[number[], number[]]> = [
    [
      [0, 1, 1, 0],
      [3, 5, 4, 5],
    ],
    [
      [1, 0, 2, 0],
      [2, -1, -1, -1],
    ],
    [
      [2, 6, 0, 0],
      [1, 1, 6, 5],
    ],
    // channel subsets and other ranks go to the stock kernel
    [
      [0, 1, 1, 2],
      [3, 5, 4, 2],
    ],
  ];
  for (const [begin, size] of slices) {
    test(`slice begin ${begin} size ${size}`, async () => {
      assert.deepEqual(
        await on("wasm", () => tf.slice(x4(), begin, size)),
        await on("cpu", () => tf.slice(x4(), begin, size)),
      );
    });
  }

  const pads: Array<Array<[number, number]>> = [
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
    [
      [1, 0],
      [3, 0],
      [0, 2],
      [0, 0],
    ],
    [
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 2],
    ],
  ];
  for (const p of pads) {
    test(`pad ${JSON.stringify(p)} with 0 and with -2.5`, async () => {
      for (const v of [0, -2.5]) {
        assert.deepEqual(await on("wasm", () => tf.pad(x4(), p, v)), await on("cpu", () => tf.pad(x4(), p, v)));
      }
    });
  }

  test("gradient of pad is slice, through the engine", async () => {
    const p: Array<[number, number]> = [
      [0, 0],
      [3, 2],
      [1, 3],
      [0, 0],
    ];
    const grad = () =>
      tf.grad((x: tf.Tensor) =>
        tf
          .pad(x, p)
          .mul(tf.tensor4d(values(3 * 12 * 10 * 5, 4), [3, 12, 10, 5]))
          .sum(),
      )(x4());
    assert.deepEqual(await on("wasm", grad), await on("cpu", grad));
  });

  test("rank-2 and int32 tensors still slice and pad (stock kernel)", async () => {
    const f = () => tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], "int32"), [0, 1], [2, 2]);
    assert.deepEqual(await on("wasm", f), [2, 3, 5, 6]);
    const g = () => tf.pad(tf.tensor1d([1, 2]), [[1, 1]]);
    assert.deepEqual(await on("wasm", g), [0, 1, 2, 0]);
  });
});
