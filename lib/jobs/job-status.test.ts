import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { deriveJobStatus } from "./job-status";
import { mergeHistory } from "./run-training";
import type { EpochProgress } from "@/lib/ml/train/epoch-progress";

describe("deriveJobStatus", () => {
  test("summarises runs", () => {
    assert.equal(deriveJobStatus(["QUEUED", "QUEUED"]), "QUEUED");
    assert.equal(deriveJobStatus(["RUNNING", "QUEUED"]), "RUNNING");
    assert.equal(deriveJobStatus(["SUCCEEDED", "QUEUED"]), "RUNNING", "some finished, some waiting");
    assert.equal(deriveJobStatus(["SUCCEEDED", "SUCCEEDED"]), "SUCCEEDED");
    assert.equal(deriveJobStatus(["SUCCEEDED", "CANCELLED"]), "SUCCEEDED");
    assert.equal(deriveJobStatus(["SUCCEEDED", "FAILED", "CANCELLED"]), "FAILED");
    assert.equal(deriveJobStatus(["CANCELLED", "CANCELLED"]), "CANCELLED");
    assert.equal(deriveJobStatus(["FAILED", "RUNNING"]), "RUNNING", "not over while a run is running");
  });
});

describe("mergeHistory", () => {
  const p = (epoch: number, loss: number): EpochProgress => ({
    epoch,
    epochs: 5,
    loss,
    trainAuc: null,
    valAuc: null,
    imagesPerSecond: 1,
    valImagesPerSecond: null,
    etaSeconds: 0,
    learningRate: 0.05,
  });
  test("appends, and replaces entries from a resumed epoch on", () => {
    const h = mergeHistory(mergeHistory(mergeHistory([], p(1, 0.9)), p(2, 0.8)), p(3, 0.7));
    assert.deepEqual(
      h.map((x) => x.epoch),
      [1, 2, 3],
    );
    // A resume from the epoch-1 checkpoint re-runs epoch 2: the stale epochs 2 and 3 are dropped.
    const resumed = mergeHistory(h, p(2, 0.75));
    assert.deepEqual(
      resumed.map((x) => [x.epoch, x.loss]),
      [
        [1, 0.9],
        [2, 0.75],
      ],
    );
  });
});
