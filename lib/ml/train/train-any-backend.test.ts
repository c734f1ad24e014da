// The trainer on whatever backend FOCUS_TF_BACKEND selects. scripts/test-unit.ts runs this file twice: on the
// default backend (wasm with the native kernels) and on tfjs' pure-JS `cpu` backend, which shares none of the
// wasm or native kernels. A GPU worker runs the same trainer on a third backend (tfjs-node-gpu), which is not
// available here; passing on two unrelated kernel sets is what shows that training does not depend on one.
// Sized to take seconds on the slow `cpu` backend: 32 px, width 0.125, 64 images. Whether the trainer learns is
// train-run.test.ts's question (600 images, validation AUC >= 0.9); this file checks what must hold on any backend.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend, type SelectedBackend } from "@/lib/ml/backend/select-backend";
import { syntheticSplit } from "./test-support/synthetic-run";
import type { EpochProgress } from "./epoch-progress";
import { trainRun, type TrainRunResult } from "./train-run";
import { trainParamsSchema } from "./train-params";

const dirs: string[] = [];
let backend: SelectedBackend;
before(async () => {
  backend = await initBackend({ log: () => {} });
});
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const freshDir = async () => {
  const d = await mkdtemp(path.join(tmpdir(), "focus-any-backend-"));
  dirs.push(d);
  return d;
};
const data = syntheticSplit(64, 32, 21);
// 52 training images, batch 16 in micro-batches of 8: the accumulation path runs on every backend.
const params = trainParamsSchema.parse({
  inputSize: 32,
  width: 0.125,
  epochs: 3,
  batchSize: 16,
  microBatch: 8,
  learningRate: 0.02,
  lrDropAt: [0.75],
});
const run = async (
  extra: { shouldStop?: () => boolean; workDir?: string; onEpoch?: (p: EpochProgress) => void } = {},
) =>
  trainRun({ variant: "baseline", seed: 3, params, ...data, workDir: extra.workDir ?? (await freshDir()), ...extra });
const lossesOf = (r: TrainRunResult) => r.history.map((h) => h.loss);

describe(`trainRun on the ${process.env.FOCUS_TF_BACKEND?.trim() || "default"} backend`, () => {
  let reference: TrainRunResult | undefined;

  test("trains in micro-batches: finite losses and scores, no leaked tensors, an ETA that ends at 0", async () => {
    const before = tf.memory().numTensors;
    const etas: number[] = [];
    reference = await run({ onEpoch: (p) => void etas.push(p.etaSeconds) });
    assert.equal(reference.status, "completed");
    assert.equal(reference.microBatchPlan.maxMicroBatch, 8);
    const losses = lossesOf(reference);
    assert.ok(
      losses.every((l) => Number.isFinite(l)),
      losses.join(", "),
    );
    assert.equal(losses.length, 3, backend.label);
    assert.ok(reference.valScores.every((p) => p >= 0 && p <= 1));
    assert.ok(reference.valAuc !== null && reference.valAuc >= 0 && reference.valAuc <= 1);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(etas.at(-1), 0);
    assert.ok(etas.slice(0, -1).every((e) => e > 0));
  });

  test("same seed, same backend: the same run", async () => {
    assert.ok(reference);
    const again = await run();
    assert.deepEqual(lossesOf(again), lossesOf(reference));
    assert.deepEqual(again.valScores, reference.valScores);
  });

  test("stopped after epoch 1 and resumed: the same as the uninterrupted run", async () => {
    assert.ok(reference);
    const workDir = await freshDir();
    let epochs = 0;
    const stopped = await run({ workDir, onEpoch: () => void epochs++, shouldStop: () => epochs >= 1 });
    assert.equal(stopped.status, "cancelled");
    assert.equal(stopped.epochsDone, 1);
    const resumed = await run({ workDir });
    assert.equal(resumed.epochsDone, 3);
    assert.deepEqual(lossesOf(resumed), lossesOf(reference));
    assert.deepEqual(resumed.valScores, reference.valScores);
  });
});
