import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { buildModel } from "@/lib/ml/models/build-model";
import { disposeModel } from "./dispose-model";

before(async () => {
  await initBackend({ log: () => {} });
});

test("disposeModel frees every weight, including CBAM's shared MLP that model.dispose() leaves behind", () => {
  for (const variant of ["baseline", "cbam"] as const) {
    const start = tf.memory().numTensors;
    const model = buildModel({ variant, width: 0.25, inputSize: 32, seed: 1 });
    assert.ok(tf.memory().numTensors > start);
    disposeModel(model);
    assert.equal(tf.memory().numTensors, start, variant);
  }
});
