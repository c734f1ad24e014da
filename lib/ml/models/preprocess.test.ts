import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { INPUT_NORMALISATION, imagesToInputTensor } from "./preprocess";

before(async () => {
  await initBackend({ log: () => {} });
});

/** A 2x2 RGB image whose bytes are all distinct, so any misplaced byte shows. */
const image = Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 255, 128, 1]);
const norm = (v: number, c: number) => (v / 255 - INPUT_NORMALISATION.mean[c]) / INPUT_NORMALISATION.std[c];

describe("imagesToInputTensor", () => {
  test("scales to [0, 1] and normalises each channel with the ImageNet mean/std, NHWC", () => {
    const t = imagesToInputTensor([image], [0], 2);
    assert.deepEqual(t.shape, [1, 2, 2, 3]);
    const got = t.dataSync();
    image.forEach((v, i) => assert.ok(Math.abs(got[i] - norm(v, i % 3)) < 1e-6, `byte ${i}`));
    t.dispose();
  });

  test("a flip mirrors each row left-right and leaves channels in place; indices pick and order images", () => {
    const other = new Uint8Array(12).fill(200);
    const t = imagesToInputTensor([other, image], [1, 0], 2, [true, false]);
    const got = t.dataSync();
    // Row 0 of the flipped image is pixel 1 then pixel 0.
    const expectedFirst = [30, 40, 50, 0, 10, 20, 255, 128, 1, 60, 70, 80].map((v, i) => norm(v, i % 3));
    expectedFirst.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-6, `byte ${i}`));
    assert.ok(Math.abs(got[12] - norm(200, 0)) < 1e-6);
    t.dispose();
  });

  test("rejects images of the wrong size", () => {
    assert.throws(() => imagesToInputTensor([image], [0], 3), /expected 3x3x3/);
    assert.throws(() => imagesToInputTensor([image], [1], 2), /out of range/);
  });
});
