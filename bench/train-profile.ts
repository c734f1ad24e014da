/**
 * Where a training step's time goes, per TF.js kernel, on the selected backend: every kernel registered for
 * it is wrapped with a wall-clock timer (the wasm and native kernels are synchronous, so this is their time).
 *
 *   FOCUS_THREADS=2 npx tsx bench/train-profile.ts [--size 224] [--width 1] [--batch 16] [--reps 3] [--json]
 *
 * Prints per kernel name (and the largest input shapes): ms per step, calls per step, share of the step.
 * Compare two thread counts by running it twice; a kernel whose time does not halve does not scale.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { buildModel } from "@/lib/ml/models/build-model";
import { imagesToInputTensor } from "@/lib/ml/models/preprocess";
import { disposeModel } from "@/lib/ml/models/dispose-model";
import { SgdMomentum } from "@/lib/ml/train/sgd-momentum";
import { trainStep } from "@/lib/ml/train/train-step";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "224" },
    width: { type: "string", default: "1" },
    batch: { type: "string", default: "16" },
    reps: { type: "string", default: "3" },
    "by-shape": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const SIZE = Number(args.size);
const WIDTH = Number(args.width);
const BATCH = Number(args.batch);
const REPS = Number(args.reps);

interface Tally {
  ms: number;
  /** CPU time of the whole process (every thread) and of the JavaScript thread alone. */
  cpuMs: number;
  mainCpuMs: number;
  calls: number;
}

/** CPU time of the calling thread in ms, from the scheduler's nanosecond accounting. */
function threadCpuMs(): number {
  return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
}
const tallies = new Map<string, Tally>();
let recording = false;

function wrapKernels(backendName: string): void {
  for (const config of tf.getKernelsForBackend(backendName)) {
    const inner = config.kernelFunc;
    const name = config.kernelName;
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (a) => {
        if (!recording) return inner(a);
        const m0 = threadCpuMs();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const out = inner(a);
        const ms = performance.now() - t0;
        const c = process.cpuUsage(c0);
        const mainCpuMs = threadCpuMs() - m0;
        const shape = Object.values(a.inputs)
          .map((t) => t?.shape.join("x") ?? "-")
          .join(",");
        const key = args["by-shape"] ? `${name} ${shape}` : name;
        const t = tallies.get(key) ?? { ms: 0, cpuMs: 0, mainCpuMs: 0, calls: 0 };
        t.ms += ms;
        t.cpuMs += (c.user + c.system) / 1000;
        t.mainCpuMs += mainCpuMs;
        t.calls += 1;
        tallies.set(key, t);
        return out;
      },
    });
  }
}

function randomImages(count: number, size: number): Uint8Array[] {
  let s = 7;
  return Array.from({ length: count }, () =>
    Uint8Array.from({ length: size * size * 3 }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s >>> 24;
    }),
  );
}

async function main(): Promise<void> {
  const { label, threads } = await initBackend({ log: (m) => console.error(`[focus] ${m}`) });
  wrapKernels(tf.getBackend());
  const model = buildModel({ variant: "baseline", width: WIDTH, inputSize: SIZE, seed: 1 });
  const sgd = new SgdMomentum(
    model.trainableWeights.map((w) => w.read() as tf.Variable),
    { momentum: 0.9, weightDecay: 1e-4 },
  );
  const images = randomImages(BATCH, SIZE);
  const indices = images.map((_, i) => i);
  const labels = indices.map((i) => i % 2);
  const steps: number[] = [];
  for (let r = 0; r <= REPS; r++) {
    recording = r > 0;
    const t0 = performance.now();
    const x = imagesToInputTensor(images, indices, SIZE);
    const { loss, positive } = trainStep(model, sgd, x, labels, 0.01, [BATCH]);
    await loss.data();
    await positive.data();
    tf.dispose([x, loss, positive]);
    if (r > 0) steps.push(performance.now() - t0);
  }
  recording = false;
  sgd.dispose();
  disposeModel(model);
  const stepMs = steps.reduce((a, b) => a + b, 0) / REPS;
  const rows = [...tallies.entries()]
    .map(([k, t]) => ({
      kernel: k,
      msPerStep: t.ms / REPS,
      cpuMsPerStep: t.cpuMs / REPS,
      mainCpuMsPerStep: t.mainCpuMs / REPS,
      callsPerStep: t.calls / REPS,
    }))
    .sort((a, b) => b.cpuMsPerStep - a.cpuMsPerStep);
  const inKernels = rows.reduce((a, r) => a + r.msPerStep, 0);
  const cpuInKernels = rows.reduce((a, r) => a + r.cpuMsPerStep, 0);
  if (args.json) {
    console.log(JSON.stringify({ backend: label, threads, size: SIZE, width: WIDTH, batch: BATCH, stepMs, rows }));
    return;
  }
  console.log(
    `${label}, ${threads ?? "own"} thread(s), ${SIZE} px, width ${WIDTH}, batch ${BATCH}: ` +
      `${stepMs.toFixed(0)} ms/step (mean of ${REPS}), ${inKernels.toFixed(0)} ms in kernels, ` +
      `${cpuInKernels.toFixed(0)} CPU ms in kernels`,
  );
  console.log("     wall ms    CPU ms   JS-thread CPU ms  calls  kernel (per step)");
  for (const r of rows) {
    if (r.cpuMsPerStep < 0.5) continue;
    console.log(
      `${r.msPerStep.toFixed(1).padStart(12)}${r.cpuMsPerStep.toFixed(1).padStart(10)}${r.mainCpuMsPerStep.toFixed(1).padStart(19)}` +
        `${String(r.callsPerStep).padStart(7)}  ${r.kernel}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
