import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { batchRanges, epochFlips, epochOrder } from "./batches";

before(async () => {
  await initBackend({ log: () => {} });
});

describe("epoch randomness", () => {
  test("order is a permutation that depends only on (seed, epoch)", () => {
    const a = epochOrder(50, 7, 3);
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.deepEqual(epochOrder(50, 7, 3), a);
    assert.notDeepEqual(epochOrder(50, 7, 4), a);
    assert.notDeepEqual(epochOrder(50, 8, 3), a);
  });

  test("flips are seeded coin tosses, none without augmentation", () => {
    const f = epochFlips(2000, 1, 0, true);
    const share = f.filter(Boolean).length / f.length;
    assert.ok(share > 0.45 && share < 0.55, `flip share ${share}`);
    assert.deepEqual(epochFlips(2000, 1, 0, true), f);
    assert.notDeepEqual(epochFlips(2000, 1, 1, true), f);
    assert.ok(epochFlips(10, 1, 0, false).every((x) => x === false));
  });

  test("batches cover everything except a final single image", () => {
    assert.deepEqual(batchRanges(10, 4), [
      { start: 0, end: 4 },
      { start: 4, end: 8 },
      { start: 8, end: 10 },
    ]);
    assert.deepEqual(batchRanges(9, 4), [
      { start: 0, end: 4 },
      { start: 4, end: 8 },
    ]);
    assert.deepEqual(batchRanges(8, 4), [
      { start: 0, end: 4 },
      { start: 4, end: 8 },
    ]);
  });
});
