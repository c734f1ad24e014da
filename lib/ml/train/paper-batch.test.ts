// The paper's step at its real size: batch 64 at 224 px, full width. On wasm it does not fit in the 4 GiB
// heap as one pass (it crashed with "memory access out of bounds"); as planned micro-batches it trains.
// One step only: it takes about 10 s on two cores.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { buildModel } from "@/lib/ml/models/build-model";
import { imagesToInputTensor } from "@/lib/ml/models/preprocess";
import { disposeModel } from "../models/dispose-model";
import { microBatchSizes, planMicroBatches } from "./micro-batch";
import { SgdMomentum } from "./sgd-momentum";
import { trainStep } from "./train-step";

test("a batch-64 step at 224 px, width 1 trains without a crash", async () => {
  await initBackend({ log: () => {} });
  const model = buildModel({ variant: "baseline", width: 1, inputSize: 224, seed: 1 });
  const sgd = new SgdMomentum(
    model.trainableWeights.map((w) => w.read() as tf.Variable),
    { momentum: 0.9, weightDecay: 1e-4 },
  );
  const images = Array.from({ length: 64 }, (_, i) =>
    Uint8Array.from({ length: 224 * 224 * 3 }, (_, j) => (i * 31 + j) % 256),
  );
  const labels = images.map((_, i) => i % 2);
  const plan = planMicroBatches(model, { batchSize: 64 });
  if (tf.getBackend() === "wasm") assert.equal(plan.text, "batch 64 as 2 × 32, batch norm over 32");
  const before = model.trainableWeights[0].read().dataSync().slice(0, 8);
  const x = imagesToInputTensor(
    images,
    images.map((_, i) => i),
    224,
  );
  try {
    const { loss, positive } = trainStep(model, sgd, x, labels, 0.05, microBatchSizes(64, plan.maxMicroBatch));
    const [value] = await loss.data();
    assert.ok(Number.isFinite(value) && value > 0, `loss ${value}`);
    assert.equal((await positive.data()).length, 64);
    tf.dispose([loss, positive]);
    assert.notDeepEqual(model.trainableWeights[0].read().dataSync().slice(0, 8), before, "the step changed no weight");
  } finally {
    x.dispose();
    sgd.dispose();
    disposeModel(model);
  }
});
