import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { buildModel } from "@/lib/ml/models/build-model";
import { imagesToInputTensor } from "@/lib/ml/train/batches";
import { SgdMomentum } from "@/lib/ml/train/sgd-momentum";
import { trainStep } from "@/lib/ml/train/train-run";
const width = Number(process.argv[2] ?? 0.25); const variant = (process.argv[3] ?? "baseline") as any;
await initBackend({});
const model = buildModel({ variant, width, inputSize: 64, seed: 1 });
const sgd = new SgdMomentum(model.trainableWeights.map((w) => w.read() as tf.Variable), { momentum: 0.9, weightDecay: 1e-4 });
const images = Array.from({ length: 16 }, (_, k) => Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 31 + k * 7) & 255));
const idx = images.map((_, i) => i); const labels = idx.map((i) => i % 2);
const step = async () => { const x = imagesToInputTensor(images, idx, 64); const r = trainStep(model, sgd, x, labels, 0.01); await r.loss.data(); tf.dispose([x, r.loss, r.positive]); };
for (let i = 0; i < 3; i++) await step();
const ts: number[] = [];
for (let i = 0; i < 8; i++) { const t = performance.now(); await step(); ts.push(performance.now() - t); }
ts.sort((a, b) => a - b); console.log("median ms/step", ts[4].toFixed(1), "img/s", (16000 / ts[4]).toFixed(1));
const prof = await tf.profile(step);
const by = new Map<string, { n: number; ms: number }>();
let total = 0;
for (const k of prof.kernels) { const e = by.get(k.name) ?? { n: 0, ms: 0 }; e.n++; const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0; e.ms += ms; total += ms; by.set(k.name, e); }
console.log("kernels", prof.kernels.length, "sum kernel ms", total.toFixed(1));
for (const [n, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(n.padEnd(28), String(e.n).padStart(5), e.ms.toFixed(1));
if (process.argv[4] === "detail") {
  for (const k of prof.kernels.filter((k) => /Conv2D|batchNorm/.test(k.name)).sort((a, b) => (b.kernelTimeMs as number) - (a.kernelTimeMs as number)).slice(0, 25))
    console.log(k.name.padEnd(24), (k.kernelTimeMs as number).toFixed(2), JSON.stringify(k.inputShapes));
}
