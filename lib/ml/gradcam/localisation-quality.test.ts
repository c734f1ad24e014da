// The requirement held here: "Grad-CAM's pointing game on malignant synthetic cases is clearly above chance".
//
// Layer4 of ResNet-18 has stride 32, so the input size sets the resolution of every Grad-CAM map.
// The first block shows, from the up-sampling alone, why the CPU demo's 64 px could never pass: at 64 px layer4
// is 2x2, each cell's value sits at the centre of an image quadrant and is clamped out to the corner, so the
// hottest cell is a 16x16 corner block that no synthetic lesion (centred at 0.5 ± 0.1 of the image) covers.
// Even a perfect model scores 0 there. At 96 px (3x3) the centre cell covers the lesion; at 128 px (4x4)
// the four central cells do.
//
// The second block trains a real quarter-width ResNet-18 at 96 px and checks its maps against the lesion masks.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { generateSyntheticCase } from "@/lib/ml/data/synthetic-dermoscopy";
import { pointingGameHit } from "@/lib/ml/metrics/localisation";
import { disposeModel } from "@/lib/ml/models/dispose-model";
import { loadModel } from "@/lib/ml/models/save-load";
import { trainRun } from "@/lib/ml/train/train-run";
import { trainParamsSchema } from "@/lib/ml/train/train-params";
import { upsampleCam } from "./gradcam";
import { summariseLocalisation, type LocalisationSummary, type MaskedImage } from "./localisation-summary";
import { syntheticMaskedSplit } from "./test-support/synthetic-masked-split";

const dirs: string[] = [];
before(async () => {
  await initBackend({ log: () => {} });
});
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Malignant synthetic cases that no model here trains on (their own data seed). */
function heldOutMalignant(count: number, size: number): MaskedImage[] {
  return Array.from({ length: count }, (_, i) => {
    const c = generateSyntheticCase(909, i, size, { label: 1 });
    return { rgb: c.rgb, mask: c.mask, label: 1 };
  });
}

/** Indices of the layer4 cells whose one-hot map, up-sampled as Grad-CAM does, wins the pointing game on `mask`. */
function cellsThatCanHit(mask: Uint8Array, side: number): number[] {
  const cells = side / 32;
  const hitting: number[] = [];
  for (let cell = 0; cell < cells * cells; cell++) {
    const heat = tf.tidy(() => {
      const oneHot = tf.oneHot(tf.tensor1d([cell], "int32"), cells * cells).reshape<tf.Tensor4D>([1, cells, cells, 1]);
      return upsampleCam(oneHot, side, side).dataSync();
    });
    if (pointingGameHit(heat, mask)) hitting.push(cell);
  }
  return hitting;
}

describe("pointing game geometry of layer4 (stride 32) on synthetic malignant lesions", () => {
  const cases = 24;
  test("64 px (2x2 map): no cell can ever hit, so the pointing game is 0 whatever the model learns", () => {
    for (const c of heldOutMalignant(cases, 64)) assert.deepEqual(cellsThatCanHit(c.mask, 64), []);
  });
  test("96 px (3x3 map): the centre cell hits every lesion, no other cell does", () => {
    for (const c of heldOutMalignant(cases, 96)) assert.deepEqual(cellsThatCanHit(c.mask, 96), [4]);
  });
  test("128 px (4x4 map): only the four central cells can hit, and most lesions are hit by one of them", () => {
    let reachable = 0;
    for (const c of heldOutMalignant(cases, 128)) {
      const hitting = cellsThatCanHit(c.mask, 128);
      assert.ok(
        hitting.every((cell) => [5, 6, 9, 10].includes(cell)),
        `cells ${hitting}`,
      );
      if (hitting.length > 0) reachable++;
    }
    // A small lesion can sit between the cells' centres (measured: 23 of these 24 are reachable).
    assert.ok(reachable >= 0.8 * cases, `${reachable} of ${cases} lesions reachable`);
  });
});

describe("Grad-CAM of a trained ResNet-18 (width 0.25, 96 px) on malignant synthetic cases", () => {
  // 320 images (256 train / 64 val), 12 epochs (the demo's count), the CPU preset's learning rate and single
  // drop at 75 %. Eight epochs were too few to be stable: the same run gave val AUC 0.93 and 14/30 hits, or 0.89
  // and 7/30 after a change in float summation order. At 96 px a hit means "the centre cell of the 3x3 map is
  // the hottest" (see above), which an image-blind centre-peaked map always achieves on this set; the test
  // claims only what the issue asks, better than chance, and reports the centre-prior rate alongside.
  // Measured on wasm, machine shared: ~90 s of training, val AUC 0.93, 16/32 validation and 50/92 pooled hits
  // against a mask share of 0.13.
  const size = 96;
  const params = trainParamsSchema.parse({
    inputSize: size,
    width: 0.25,
    epochs: 12,
    batchSize: 16,
    learningRate: 0.02,
    lrDropAt: [0.75],
  });
  const describeSummary = (name: string, s: LocalisationSummary) =>
    `${name}: pointing ${s.hits}/${s.cases} = ${s.pointingRate.toFixed(2)} (chance = mask share ${s.meanMaskShare.toFixed(3)}, ` +
    `centre-prior map ${s.centrePriorRate.toFixed(2)}), energy inside ${s.meanEnergyInside.toFixed(3)}, top-15 % IoU ${s.meanTopRegionIou.toFixed(3)}`;

  test("pointing-game hit rate is clearly above chance, and energy inside the mask above the mask's share", async (t) => {
    const workDir = await mkdtemp(path.join(tmpdir(), "focus-loc-"));
    dirs.push(workDir);
    const started = performance.now();
    const { train, val } = syntheticMaskedSplit(320, size, 11);
    const result = await trainRun({
      variant: "baseline",
      seed: 1,
      params,
      train: { images: train.map((c) => c.rgb), labels: train.map((c) => c.label) },
      val: { images: val.map((c) => c.rgb), labels: val.map((c) => c.label) },
      workDir,
    });
    const model = await loadModel(result.modelDir);
    try {
      const malignantVal = val.filter((c) => c.label === 1);
      const onVal = await summariseLocalisation(model, malignantVal, size);
      const pooled = await summariseLocalisation(model, [...malignantVal, ...heldOutMalignant(60, size)], size);
      t.diagnostic(`val AUC ${result.valAuc?.toFixed(3)}; ${((performance.now() - started) / 1000).toFixed(0)} s`);
      t.diagnostic(describeSummary("malignant validation", onVal));
      t.diagnostic(describeSummary("malignant validation + held-out", pooled));

      assert.ok(
        result.valAuc !== null && result.valAuc >= 0.85,
        `the model did not learn the task (val AUC ${result.valAuc})`,
      );
      // Asserted on all 92 unseen malignant cases: on the 32 validation cases alone one standard error is ± 0.09.
      assert.ok(
        pooled.pointingRate > 2 * pooled.meanMaskShare,
        `pointing rate ${pooled.pointingRate} not above 2 x chance ${pooled.meanMaskShare}`,
      );
      assert.ok(pooled.pointingRate >= 0.3, `pointing rate ${pooled.pointingRate} below 0.3`);
      assert.ok(
        pooled.meanEnergyInside > 1.3 * pooled.meanMaskShare,
        `energy inside ${pooled.meanEnergyInside} vs mask share ${pooled.meanMaskShare}`,
      );
      assert.ok(
        onVal.pointingRate > onVal.meanMaskShare,
        `validation pointing rate ${onVal.pointingRate} not above chance ${onVal.meanMaskShare}`,
      );
    } finally {
      disposeModel(model);
    }
  });
});
