import { initBackend } from "@/lib/ml/backend/select-backend";
import { syntheticSplit } from "@/lib/ml/train/test-support/synthetic-run";
import { trainRun } from "@/lib/ml/train/train-run";
import { trainParamsSchema } from "@/lib/ml/train/train-params";
import { mkdtemp } from "node:fs/promises"; import { tmpdir } from "node:os"; import path from "node:path";
const sel = await initBackend({ log: () => {} });
const epochs = Number(process.argv[2] ?? 10); const n = Number(process.argv[3] ?? 300); const lr = Number(process.argv[4] ?? 0.02);
const size = Number(process.argv[5] ?? 32); const data = syntheticSplit(n, size, Number(process.argv[6] ?? 11));
for (const variant of ["baseline", "se", "cbam", "gc"] as const) {
  const params = trainParamsSchema.parse({ inputSize: size, width: 0.25, epochs, batchSize: 16, learningRate: lr, lrDropAt: [0.8] });
  const t = performance.now();
  const r = await trainRun({ variant, seed: 1, params, ...data, workDir: await mkdtemp(path.join(tmpdir(), "auc-")) });
  console.log(sel.label, variant, epochs, n, lr, "final", r.valAuc?.toFixed(3), "by epoch", r.history.map((h) => h.valAuc?.toFixed(2)).join(" "), ((performance.now() - t) / 1000).toFixed(1) + "s");
}
