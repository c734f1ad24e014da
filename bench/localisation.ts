// Measures Grad-CAM localisation of a freshly trained ResNet-18 on the synthetic set: trains one run with
// trainRun, then scores the maps of the malignant (and benign) validation cases against their lesion masks.
// Not a test (minutes of training); used to choose the sizes in localisation-quality.test.ts and the demo.
//   npx tsx bench/localisation.ts --size 96 --count 300 --epochs 8 [--variant baseline]
//     [--width 0.25] [--lr 0.02] [--seed 1] [--data-seed 11]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { loadModel } from "@/lib/ml/models/save-load";
import { disposeModel } from "@/lib/ml/models/dispose-model";
import type { Variant } from "@/lib/ml/models/build-model";
import { trainRun } from "@/lib/ml/train/train-run";
import { trainParamsSchema } from "@/lib/ml/train/train-params";
import { summariseLocalisation } from "@/lib/ml/gradcam/localisation-summary";
import { syntheticMaskedSplit } from "@/lib/ml/gradcam/test-support/synthetic-masked-split";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "96" },
    count: { type: "string", default: "300" },
    epochs: { type: "string", default: "8" },
    variant: { type: "string", default: "baseline" },
    width: { type: "string", default: "0.25" },
    lr: { type: "string", default: "0.02" },
    seed: { type: "string", default: "1" },
    "data-seed": { type: "string", default: "11" },
  },
});
const size = Number(values.size);
const epochs = Number(values.epochs);
await initBackend({ log: () => {} });
const { train, val } = syntheticMaskedSplit(Number(values.count), size, Number(values["data-seed"]));
const params = trainParamsSchema.parse({
  inputSize: size,
  width: Number(values.width),
  epochs,
  batchSize: 16,
  learningRate: Number(values.lr),
  lrDropAt: [0.75],
});
const workDir = await mkdtemp(path.join(tmpdir(), "focus-loc-"));
const started = performance.now();
try {
  const result = await trainRun({
    variant: values.variant as Variant,
    seed: Number(values.seed),
    params,
    train: { images: train.map((c) => c.rgb), labels: train.map((c) => c.label) },
    val: { images: val.map((c) => c.rgb), labels: val.map((c) => c.label) },
    workDir,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const model = await loadModel(result.modelDir);
  const camStarted = performance.now();
  const malignant = await summariseLocalisation(
    model,
    val.filter((c) => c.label === 1),
    size,
  );
  const benign = await summariseLocalisation(
    model,
    val.filter((c) => c.label === 0),
    size,
  );
  const camSeconds = (performance.now() - camStarted) / 1000;
  disposeModel(model);
  const round = (o: object) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "number" ? Number(v.toFixed(3)) : v]));
  console.log(
    JSON.stringify({
      variant: values.variant,
      size,
      epochs,
      count: Number(values.count),
      valAuc: result.valAuc,
      aucByEpoch: result.history.map((h) => Number(h.valAuc?.toFixed(3))),
      trainSeconds: Math.round(trainSeconds),
      camSeconds: Number(camSeconds.toFixed(1)),
      malignant: round(malignant),
      benign: round(benign),
    }),
  );
} finally {
  await rm(workDir, { recursive: true, force: true });
}
