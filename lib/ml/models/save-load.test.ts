import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { VARIANTS, buildModel } from "./build-model";
import { MODEL_JSON, loadModel, saveModel } from "./save-load";
import { seededTensor } from "./test-support/numeric-gradient";

let root: string;
before(async () => {
  await tf.setBackend("cpu");
  root = await mkdtemp(path.join(os.tmpdir(), "focus-models-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Non-trivial values everywhere (moving stats, GC's zero conv) so a lost or mis-ordered weight shows up. */
function perturbWeights(model: tf.LayersModel): void {
  model.setWeights(
    model.weights.map((w, i) => {
      const t = seededTensor(w.shape as number[], 500 + i, 0.05);
      if (w.name.includes("moving_variance")) return tf.add(tf.abs(t), 0.8);
      if (w.name.includes("gamma")) return tf.add(t, 1);
      return tf.add(t, model.getWeights()[i]);
    }),
  );
}

for (const variant of VARIANTS) {
  test(`${variant}: save/load round trip gives identical weights and predictions`, async () => {
    const model = buildModel({ variant, width: 0.25, inputSize: 32, seed: 3 });
    perturbWeights(model);
    const dir = path.join(root, variant);
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    assert.deepEqual(
      loaded.weights.map((w) => [w.originalName, w.trainable]),
      model.weights.map((w) => [w.originalName, w.trainable]),
    );
    loaded.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), model.getWeights()[i].dataSync()));
    const x = seededTensor([3, 32, 32, 3], 4);
    assert.deepEqual((loaded.predict(x) as tf.Tensor).dataSync(), (model.predict(x) as tf.Tensor).dataSync());
    assert.equal(loaded.getLayer("layer4").getClassName(), "ReLU");
    assert.equal(loaded.getLayer("bn1").getClassName(), "ScaleShiftBatchNorm");
  });
}

/** The parts of tfjs' model.json these tests read. */
type ModelJson = { format?: string; weightsManifest: { paths: string[] }[] };

test("large models are sharded; re-saving replaces model.json atomically and removes stale shards", async () => {
  const dir = path.join(root, "sharded");
  const model = buildModel({ variant: "gc", width: 0.5, inputSize: 32, seed: 1 });
  await saveModel(model, dir);
  const firstJSON = JSON.parse(await readFile(path.join(dir, MODEL_JSON), "utf8")) as ModelJson;
  const firstShards: string[] = firstJSON.weightsManifest[0].paths;
  assert.ok(firstShards.length >= 2, `expected several 4 MiB shards, got ${firstShards.length}`);
  assert.equal(firstJSON.format, "layers-model");

  perturbWeights(model);
  await saveModel(model, dir);
  const secondShards = (JSON.parse(await readFile(path.join(dir, MODEL_JSON), "utf8")) as ModelJson).weightsManifest[0]
    .paths;
  const files = (await readdir(dir)).sort();
  assert.deepEqual(files, [MODEL_JSON, ...secondShards].sort());
  assert.ok(firstShards.every((s) => !secondShards.includes(s)));
  const loaded = await loadModel(dir);
  const x = seededTensor([1, 32, 32, 3], 6);
  assert.deepEqual((loaded.predict(x) as tf.Tensor).dataSync(), (model.predict(x) as tf.Tensor).dataSync());
});
