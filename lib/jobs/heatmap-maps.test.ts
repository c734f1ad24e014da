import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { buildModel } from "@/lib/ml/models/build-model";
import { disposeModel } from "@/lib/ml/models/dispose-model";
import { loadModel } from "@/lib/ml/models/save-load";
import { predictPositive, trainRun } from "@/lib/ml/train/train-run";
import { TINY_RUN, tinyRunParams } from "@/lib/ml/train/test-support/synthetic-run";
import { checkInputNormalisation } from "@/lib/ml/models/preprocess";
import { gradCamOfImages } from "./heatmap-maps";

const dirs: string[] = [];
before(async () => {
  await initBackend({ log: () => {} });
});
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("gradCamOfImages on a model saved by trainRun", () => {
  test("feeds the model exactly the input it was trained and validated on, and checks the stored normalisation", async () => {
    const workDir = await mkdtemp(path.join(tmpdir(), "focus-hm-"));
    dirs.push(workDir);
    const { train, val } = TINY_RUN.data();
    const result = await trainRun({
      variant: TINY_RUN.variant,
      seed: TINY_RUN.seed,
      params: tinyRunParams({ epochs: 1 }),
      train,
      val,
      workDir,
    });
    const model = await loadModel(result.modelDir);
    try {
      checkInputNormalisation(model); // the record trainRun stored matches imagesToInputTensor
      const images = val.images.slice(0, 6);
      const maps = await gradCamOfImages(model, images, val.labels.slice(0, 6));
      const scores = await predictPositive(model, images, 32, 16);
      // Same pre-processing as validation => same P(positive), up to float summation order.
      maps.forEach((m, k) =>
        assert.ok(Math.abs(m.probabilities[1] - scores[k]) < 1e-5, `image ${k}: ${m.probabilities[1]} vs ${scores[k]}`),
      );
      maps.forEach((m, k) => assert.equal(m.targetClass, val.labels[k]));

      const focus = (model.getUserDefinedMetadata() as { focus: Record<string, unknown> }).focus;
      model.setUserDefinedMetadata({
        focus: { ...focus, inputNormalisation: { scale: "x / 255", mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } },
      });
      assert.throws(() => checkInputNormalisation(model), /trained with input normalisation/);
      await assert.rejects(gradCamOfImages(model, images), /trained with input normalisation/);
    } finally {
      disposeModel(model);
    }
  });

  test("a model without a stored normalisation (trained elsewhere) is accepted", () => {
    const model = buildModel({ variant: "baseline", width: 0.25, inputSize: 32, numClasses: 2, seed: 1 });
    try {
      assert.doesNotThrow(() => checkInputNormalisation(model));
    } finally {
      disposeModel(model);
    }
  });
});
