import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { buildModel } from "@/lib/ml/models/build-model";
import { disposeModel } from "../models/dispose-model";
import { imagesToInputTensor } from "@/lib/ml/models/preprocess";
import { makePlan, microBatchSizes, planMicroBatches } from "./micro-batch";
import { TINY_RUN, syntheticSplit, tinyRunParams } from "./test-support/synthetic-run";
import { batchGradients } from "./train-step";
import { trainRun } from "./train-run";

const dirs: string[] = [];
before(async () => {
  await initBackend({ log: () => {} });
});
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("micro-batch plans", () => {
  test("near-equal parts of at most the micro-batch, never below 2 images", () => {
    assert.deepEqual(microBatchSizes(64, 32), [32, 32]);
    assert.deepEqual(microBatchSizes(64, 30), [22, 21, 21]);
    assert.deepEqual(microBatchSizes(50, 32), [25, 25]);
    assert.deepEqual(microBatchSizes(16, 64), [16]);
    assert.deepEqual(microBatchSizes(3, 2), [3]);
    assert.deepEqual(microBatchSizes(5, 2), [3, 2]);
    assert.equal(makePlan(64, 32, "memory model").text, "batch 64 as 2 × 32, batch norm over 32");
    assert.equal(makePlan(64, 30, "override").text, "batch 64 as 3 micro-batches of 21-22, batch norm over 21-22");
    assert.equal(makePlan(16, 64, "whole batch").text, "batch 16 at once");
  });

  test("the paper's batch at 224 px, full width, runs as 2 × 32 on wasm and at once on a GPU backend", () => {
    const model = buildModel({ variant: "baseline", width: 1, inputSize: 224, seed: 1 });
    try {
      const wasm = planMicroBatches(model, { batchSize: 64, backend: "wasm" });
      assert.equal(wasm.text, "batch 64 as 2 × 32, batch norm over 32");
      assert.equal(wasm.source, "memory model");
      assert.equal(planMicroBatches(model, { batchSize: 16, backend: "wasm" }).text, "batch 16 at once");
      assert.equal(planMicroBatches(model, { batchSize: 64, backend: "tensorflow" }).text, "batch 64 at once");
      const forced = planMicroBatches(model, { batchSize: 64, backend: "tensorflow", override: 16 });
      assert.deepEqual([forced.sizes, forced.source], [[16, 16, 16, 16], "override"]);
    } finally {
      disposeModel(model);
    }
  });
});

function relativeDifference(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe("gradient accumulation", () => {
  test("with batch norm in inference mode, accumulated gradients equal the full batch's to 1e-5", () => {
    const model = buildModel({ variant: "cbam", width: 0.25, inputSize: 32, seed: 3 });
    const params = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const images = Array.from({ length: 8 }, (_, i) =>
      Uint8Array.from({ length: 32 * 32 * 3 }, (_, j) => (i * 37 + j * 11) % 251),
    );
    const labels = images.map((_, i) => ((i * 5) % 3 === 0 ? 1 : 0));
    const x = imagesToInputTensor(
      images,
      images.map((_, i) => i),
      32,
    );
    try {
      const whole = batchGradients(model, params, x, labels, [8], false);
      const wholeValues = Object.fromEntries(
        Object.entries(whole.grads).map(([k, t]) => [k, t.dataSync() as Float32Array]),
      );
      for (const sizes of [
        [4, 4],
        [3, 3, 2],
      ]) {
        const acc = batchGradients(model, params, x, labels, sizes, false);
        assert.deepEqual(Object.keys(acc.grads).sort(), Object.keys(whole.grads).sort());
        for (const [name, t] of Object.entries(acc.grads)) {
          const err = relativeDifference(t.dataSync() as Float32Array, wholeValues[name]);
          assert.ok(err <= 1e-5, `${name} with micro-batches ${sizes}: relative difference ${err.toExponential(2)}`);
        }
        assert.ok(
          Math.abs(acc.loss.dataSync()[0] - whole.loss.dataSync()[0]) <= 1e-5 * Math.abs(whole.loss.dataSync()[0]),
        );
        assert.ok(
          relativeDifference(acc.positive.dataSync() as Float32Array, whole.positive.dataSync() as Float32Array) <=
            1e-5,
        );
        tf.dispose([acc.loss, acc.positive, ...Object.values(acc.grads)]);
      }
      tf.dispose([whole.loss, whole.positive, ...Object.values(whole.grads)]);
    } finally {
      x.dispose();
      disposeModel(model);
    }
  });

  test("a run with accumulation follows the same run without it (batch norm over 16 instead of 32)", async () => {
    const { train, val } = syntheticSplit(200, 32, 21);
    const run = async (microBatch?: number) => {
      const workDir = await mkdtemp(path.join(tmpdir(), "focus-micro-"));
      dirs.push(workDir);
      const plans: string[] = [];
      const params = tinyRunParams({
        epochs: 3,
        batchSize: 32,
        learningRate: 0.002,
        ...(microBatch ? { microBatch } : {}),
      });
      const result = await trainRun({
        variant: TINY_RUN.variant,
        seed: TINY_RUN.seed,
        params,
        train,
        val,
        workDir,
        onPlan: (p) => {
          plans.push(p.text);
        },
      });
      return { losses: result.history.map((h) => h.loss), plans, plan: result.microBatchPlan.text };
    };
    const whole = await run();
    const split = await run(16);
    assert.deepEqual(whole.plans, ["batch 32 at once"]);
    assert.deepEqual(split.plans, ["batch 32 as 2 × 16, batch norm over 16"]);
    assert.equal(split.plan, split.plans[0]);
    // Same weights at the start; ghost batch norm changes every step slightly. At the tiny run's own learning
    // rate (0.02) this run is chaotic: a change of rounding alone (the thread count, Winograd against im2col)
    // moved the whole-batch run's losses by up to 13 % within five steps, and the same comparison failed on
    // two of three data seeds. At 0.002 the run follows its arithmetic to about 1e-4 (measured: Winograd
    // against im2col), and what remains is batch norm over 16: 8.9 %, 1.4 % and 4.3 % apart in epochs 1 to 3
    // (up to 13.9 % on the other seeds tried).
    whole.losses.forEach((l, i) => {
      const rel = Math.abs(split.losses[i] - l) / l;
      assert.ok(
        rel < 0.15,
        `epoch ${i + 1}: loss ${split.losses[i].toFixed(4)} with accumulation vs ${l.toFixed(4)} without`,
      );
    });
    assert.ok(split.losses[2] < split.losses[0], `the run with accumulation learns: ${split.losses.join(", ")}`);
  });
});
