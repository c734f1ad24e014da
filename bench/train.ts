/**
 * Training and Grad-CAM throughput on the selected TF.js backend (docs/benchmarks.md has the reference figures).
 *
 *   npm run bench:train            # every variant at 64 px, width 0.25 and 1.0, batch 16; Grad-CAM at 64 and 224 px
 *   npm run bench:train -- --quick # width 0.25 only, fewer repetitions (a smoke test)
 *   npm run bench:train -- --size 224 --width 1 --batch 64   # one step configuration: the paper's
 *       [--variant baseline|se|cbam|gc|all] [--reps 3] [--micro-batch N] [--json]
 *
 * One configuration prints its images/s (median step), the process's peak RSS, the micro-batch plan
 * (lib/ml/train/micro-batch.ts) and PyTorch's same step with 1 thread and with as many threads as the native
 * kernels use (FOCUS_THREADS), all in the same run, with the ratios. `--json` prints only one JSON line
 * (progress goes to stderr). Peak RSS is the process's high-water mark so far (the first configuration's is
 * its own).
 *
 * A "training step" is exactly what trainRun does per batch (lib/ml/train/train-run.ts trainStep): forward in
 * training mode, softmax cross-entropy, gradients of every trainable weight, SGD momentum with weight decay.
 * Where `python3 -c "import torch"` works, the same ResNet-18 step (baseline, NHWC-equivalent NCHW, same
 * batch and size, one thread) is timed in PyTorch for comparison. Prints a table, then one JSON line.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { gradCam } from "@/lib/ml/gradcam/gradcam";
import { buildModel, VARIANTS, type Variant } from "@/lib/ml/models/build-model";
import { imagesToInputTensor } from "@/lib/ml/models/preprocess";
import { disposeModel } from "@/lib/ml/models/dispose-model";
import { microBatchSizes, planMicroBatches, type MicroBatchPlan } from "@/lib/ml/train/micro-batch";
import { SgdMomentum } from "@/lib/ml/train/sgd-momentum";
import { trainStep } from "@/lib/ml/train/train-step";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    size: { type: "string" },
    width: { type: "string" },
    batch: { type: "string" },
    variant: { type: "string" },
    reps: { type: "string" },
    "micro-batch": { type: "string" },
  },
});

function positiveNumber(name: string, raw: string | undefined, fallback: number, integer = true): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`--${name} must be a positive ${integer ? "integer" : "number"}, got "${raw}"`);
  return n;
}

const quick = args.quick;
const single =
  args.size !== undefined || args.width !== undefined || args.batch !== undefined || args.variant !== undefined;
const BATCH = positiveNumber("batch", args.batch, 16);
const TRAIN_SIZE = positiveNumber("size", args.size, 64);
const WIDTHS = single ? [positiveNumber("width", args.width, 1, false)] : quick ? [0.25] : [0.25, 1.0];
const SINGLE_VARIANTS: readonly Variant[] =
  args.variant === undefined ? ["baseline"] : args.variant === "all" ? VARIANTS : [args.variant as Variant];
if (SINGLE_VARIANTS.some((v) => !VARIANTS.includes(v)))
  throw new Error(`--variant must be one of ${VARIANTS.join(", ")} or all`);
const MICRO_BATCH =
  args["micro-batch"] === undefined ? undefined : positiveNumber("micro-batch", args["micro-batch"], 2);
const GRADCAM_SIZES = [64, 224];
const GRADCAM_BATCH = 4;
const out = args.json ? console.error : console.log;

interface TrainFigure {
  variant: Variant;
  width: number;
  size: number;
  batch: number;
  /** Native kernel threads (null where the backend manages its own). */
  threads: number | null;
  msPerStep: number;
  imagesPerSecond: number;
  /** CPU time of the process per step (all threads), median: on a shared machine, what the step costs. */
  cpuSecondsPerStep: number;
  /** The process's peak resident set size after this configuration's steps. */
  peakRssBytes: number;
  microBatchPlan: MicroBatchPlan;
}
interface GradCamFigure {
  variant: Variant;
  width: number;
  size: number;
  msPerImage: number;
}
interface TorchFigure {
  width: number;
  size: number;
  batch: number;
  threads: number;
  imagesPerSecond: number | null;
  cpuSecondsPerStep: number | null;
  peakRssBytes: number | null;
  note: string;
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function randomImages(count: number, size: number, seed: number): Uint8Array[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () =>
    Uint8Array.from({ length: size * size * 3 }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s >>> 24;
    }),
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeTrainStep(
  variant: Variant,
  width: number,
  reps: number,
  threads: number | null,
): Promise<TrainFigure> {
  const model = buildModel({ variant, width, inputSize: TRAIN_SIZE, seed: 1 });
  const sgd = new SgdMomentum(
    model.trainableWeights.map((w) => w.read() as tf.Variable),
    { momentum: 0.9, weightDecay: 1e-4 },
  );
  // As trainRun plans it: with the weights and momentum live.
  const plan = planMicroBatches(model, { batchSize: BATCH, override: MICRO_BATCH });
  const sizes = microBatchSizes(BATCH, plan.maxMicroBatch);
  const images = randomImages(BATCH, TRAIN_SIZE, 7);
  const indices = images.map((_, i) => i);
  const labels = indices.map((i) => i % 2);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const x = imagesToInputTensor(images, indices, TRAIN_SIZE);
    const { loss, positive } = trainStep(model, sgd, x, labels, 0.01, sizes);
    await loss.data();
    await positive.data();
    tf.dispose([x, loss, positive]);
    const c = process.cpuUsage(c0);
    if (r > 0) times.push(performance.now() - t0); // the first step compiles/allocates: warm-up
    if (r > 0) cpu.push((c.user + c.system) / 1e6);
    if (single)
      console.error(
        `  ${variant} w${width} ${TRAIN_SIZE}px batch ${BATCH} step ${r}: ${(performance.now() - t0).toFixed(0)} ms`,
      );
  }
  sgd.dispose();
  disposeModel(model);
  const ms = median(times);
  return {
    variant,
    width,
    size: TRAIN_SIZE,
    batch: BATCH,
    threads,
    msPerStep: ms,
    imagesPerSecond: (BATCH * 1000) / ms,
    cpuSecondsPerStep: median(cpu),
    peakRssBytes: peakRssBytes(),
    microBatchPlan: plan,
  };
}

async function timeGradCam(variant: Variant, width: number, size: number, reps: number): Promise<GradCamFigure> {
  const model = buildModel({ variant, width, inputSize: size, seed: 1 });
  const images = randomImages(GRADCAM_BATCH, size, 9);
  const x = imagesToInputTensor(
    images,
    images.map((_, i) => i),
    size,
  );
  const times: number[] = [];
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now();
    await gradCam(model, x, { targets: images.map((_, i) => i % 2) });
    if (r > 0) times.push(performance.now() - t0);
  }
  x.dispose();
  disposeModel(model);
  return { variant, width, size, msPerImage: median(times) / GRADCAM_BATCH };
}

/** A torchvision-layout ResNet-18 with a width multiplier, timed for one SGD step on a given number of threads. */
const TORCH_SNIPPET = String.raw`
import resource, sys, time, torch, torch.nn as nn
width, size, batch, reps, threads = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
torch.manual_seed(0)
ch = lambda c: max(1, round(c * width))
class Block(nn.Module):
    def __init__(s, cin, cout, stride):
        super().__init__()
        s.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.b1 = nn.BatchNorm2d(cout)
        s.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(cout)
        s.down = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
    def forward(s, x):
        o = torch.relu(s.b1(s.c1(x))); o = s.b2(s.c2(o))
        return torch.relu(o + (x if s.down is None else s.down(x)))
layers = [nn.Conv2d(3, ch(64), 7, 2, 3, bias=False), nn.BatchNorm2d(ch(64)), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
cin = ch(64)
for i, c in enumerate([64, 128, 256, 512]):
    for b in range(2):
        stride = 2 if i > 0 and b == 0 else 1
        layers.append(Block(cin, ch(c), stride)); cin = ch(c)
layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 2)]
model = nn.Sequential(*layers).train()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
x = torch.randn(batch, 3, size, size); y = torch.arange(batch) % 2
times, cpu = [], []
for r in range(reps + 1):
    t0, c0 = time.perf_counter(), time.process_time()
    opt.zero_grad(); loss = nn.functional.cross_entropy(model(x), y); loss.backward(); opt.step()
    if r > 0: times.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
times.sort(); cpu.sort()
print(batch / times[len(times) // 2], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, cpu[len(cpu) // 2])
`;

function timeTorch(width: number, reps: number, threads = 1): TorchFigure {
  const base = { width, size: TRAIN_SIZE, batch: BATCH, threads, peakRssBytes: null, cpuSecondsPerStep: null };
  // Debian's python3-torch installs for /usr/bin/python3, which need not be the python3 on PATH.
  const python = ["python3", "/usr/bin/python3"].find(
    (py) => spawnSync(py, ["-c", "import torch"], { encoding: "utf8" }).status === 0,
  );
  if (!python)
    return { ...base, imagesPerSecond: null, note: "PyTorch not importable (python3 -c 'import torch' failed)" };
  const run = spawnSync(
    python,
    ["-c", TORCH_SNIPPET, String(width), String(TRAIN_SIZE), String(BATCH), String(reps), String(threads)],
    { encoding: "utf8" },
  );
  if (run.status !== 0)
    return { ...base, imagesPerSecond: null, note: `PyTorch run failed: ${run.stderr.trim().split("\n").at(-1)}` };
  const [ips, rss, cpu] = run.stdout.trim().split(/\s+/).map(Number);
  return {
    ...base,
    imagesPerSecond: ips,
    peakRssBytes: rss,
    cpuSecondsPerStep: cpu,
    note: `torch.set_num_threads(${threads})`,
  };
}

const gb = (bytes: number | null) => (bytes === null ? "-" : `${(bytes / 1e9).toFixed(2)} GB`);

/** One configuration (the paper's step by default flags): ours, then PyTorch on 1 and on our thread count. */
async function mainSingle(backend: string, threads: number | null): Promise<void> {
  const reps = positiveNumber("reps", args.reps, TRAIN_SIZE >= 160 ? 3 : 5);
  const width = WIDTHS[0];
  const loadAtStart = os.loadavg()[0];
  const train: TrainFigure[] = [];
  for (const variant of SINGLE_VARIANTS) train.push(await timeTrainStep(variant, width, reps, threads));
  const torchThreads = [...new Set([1, threads ?? os.availableParallelism()])];
  const torch = torchThreads.map((t) => {
    console.error(`  PyTorch, ${t} thread(s)...`);
    return timeTorch(width, reps, t);
  });
  const loadAtEnd = os.loadavg()[0];
  out(`\nBackend: ${backend}, ${threads ?? "own"} thread(s); step = forward in training mode, backward, SGD momentum`);
  out(
    `Load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end (${os.availableParallelism()} cores)`,
  );
  for (const f of train) {
    out(
      `${f.variant} width ${f.width} at ${f.size} px, batch ${f.batch}: ${f.imagesPerSecond.toFixed(2)} img/s ` +
        `(median of ${reps} steps, ${f.msPerStep.toFixed(0)} ms/step, ${f.cpuSecondsPerStep.toFixed(2)} CPU s/step), peak RSS ${gb(f.peakRssBytes)}, ` +
        `${f.microBatchPlan.text} (${f.microBatchPlan.source})`,
    );
  }
  const ours = train.find((f) => f.variant === "baseline");
  const comparisons = torch.map((t) => {
    const ratio = t.imagesPerSecond && ours ? ours.imagesPerSecond / t.imagesPerSecond : null;
    out(
      `PyTorch baseline, ${t.threads} thread(s): ${t.imagesPerSecond === null ? t.note : `${t.imagesPerSecond.toFixed(2)} img/s, ${t.cpuSecondsPerStep?.toFixed(2)} CPU s/step, peak RSS ${gb(t.peakRssBytes)}`}` +
        (ratio === null ? "" : `; ${backend}/PyTorch = ${ratio.toFixed(2)}`),
    );
    return { ...t, ratioBackendOverTorch: ratio };
  });
  console.log(
    JSON.stringify({
      backend,
      threads,
      quick: false,
      single: true,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      train,
      gradcam: [],
      torch: comparisons,
    }),
  );
}

async function main(): Promise<void> {
  const { label: backend, threads } = await initBackend({ log: (m) => console.error(`[focus] ${m}`) });
  if (single) return mainSingle(backend, threads);
  const train: TrainFigure[] = [];
  for (const width of WIDTHS) {
    for (const variant of VARIANTS) {
      const f = await timeTrainStep(variant, width, quick ? 2 : width < 1 ? 8 : 5, threads);
      train.push(f);
      console.error(`train ${variant} w${width}: ${f.imagesPerSecond.toFixed(1)} img/s`);
    }
  }
  const gradcam: GradCamFigure[] = [];
  for (const size of GRADCAM_SIZES) {
    for (const variant of VARIANTS) {
      const f = await timeGradCam(variant, 0.25, size, quick ? 1 : 2);
      gradcam.push(f);
      console.error(`grad-cam ${variant} w0.25 ${size}px: ${f.msPerImage.toFixed(1)} ms/img`);
    }
    if (!quick) gradcam.push(await timeGradCam("baseline", 1.0, size, 2));
  }
  const torch = WIDTHS.map((w) => timeTorch(w, quick ? 2 : 8));

  out(`\nBackend: ${backend}; training step = batch ${BATCH} at ${TRAIN_SIZE} px (forward, backward, SGD momentum)`);
  out(
    `${"variant".padEnd(10)}${"width".padStart(7)}${"ms/step".padStart(10)}${"img/s".padStart(9)}${"s per epoch per 100 img".padStart(26)}`,
  );
  for (const f of train) {
    out(
      `${f.variant.padEnd(10)}${f.width.toFixed(2).padStart(7)}${f.msPerStep.toFixed(0).padStart(10)}${f.imagesPerSecond.toFixed(1).padStart(9)}${(100 / f.imagesPerSecond).toFixed(2).padStart(26)}`,
    );
  }
  out(`\nGrad-CAM (batch ${GRADCAM_BATCH}, layer4, backward to the feature map)`);
  out(`${"variant".padEnd(10)}${"width".padStart(7)}${"size".padStart(6)}${"ms/image".padStart(10)}`);
  for (const f of gradcam)
    out(
      `${f.variant.padEnd(10)}${f.width.toFixed(2).padStart(7)}${String(f.size).padStart(6)}${f.msPerImage.toFixed(1).padStart(10)}`,
    );
  out("\nPyTorch (baseline ResNet-18, same step, one thread)");
  const comparisons = torch.map((t) => {
    const ours = train.find((f) => f.variant === "baseline" && f.width === t.width);
    const ratio = t.imagesPerSecond && ours ? ours.imagesPerSecond / t.imagesPerSecond : null;
    out(
      `  width ${t.width.toFixed(2)}: ${t.imagesPerSecond === null ? t.note : `${t.imagesPerSecond.toFixed(1)} img/s; ${backend}/PyTorch = ${ratio?.toFixed(2)}`}`,
    );
    return { ...t, ratioBackendOverTorch: ratio };
  });
  console.log(JSON.stringify({ backend, threads, quick, single: false, train, gradcam, torch: comparisons }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
