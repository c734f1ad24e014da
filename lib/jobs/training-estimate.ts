// How long a training request will take on the workers that are online, from the throughput measured by
// earlier runs on this installation. Pure (no database), so the training form recomputes it in the browser as
// the fields change, and the CLI and enqueueTraining compute the same figures on the server.
import type { Variant } from "@/lib/ml/models/architecture";

/** One earlier run's measured speed: the mean over its finished epochs. */
export interface ThroughputSample {
  variant: Variant;
  inputSize: number;
  width: number;
  batchSize: number;
  /** What computed it, as workers report it ("wasm+native, 2 threads"); the run's micro-batch plan excluded. */
  backend: string;
  /** Training images per second (training steps only). */
  trainImagesPerSecond: number;
  /** Validation images per second (inference); null for runs recorded before it was measured. */
  valImagesPerSecond: number | null;
}

/** The online workers that share one backend. */
export interface WorkerGroup {
  backend: string;
  count: number;
}

export interface EstimateRequest {
  variants: readonly Variant[];
  /** Runs per variant. */
  seeds: number;
  params: { epochs: number; inputSize: number; width: number; batchSize: number };
  trainImages: number;
  valImages: number;
}

export interface RunTimeEstimate {
  variant: Variant;
  backend: string;
  /** Seconds for one run of this variant on one worker of this backend; null when nothing was measured. */
  seconds: number | null;
  /** Where the figure comes from, for the researcher ("mean of 3 recent runs", "scaled from 96 px runs"). */
  basis: string;
}

export interface TrainingEstimate {
  runs: number;
  workersOnline: number;
  /** One entry per (variant, backend of an online worker). */
  perRun: RunTimeEstimate[];
  /** Wall time until every run of the request has finished, runs spread over the online workers; null when unknown. */
  totalSeconds: number | null;
  /** No GPU worker is online: the request would train on CPU backends only. */
  cpuOnly: boolean;
  /** The paper's protocol (or larger) on CPU only: starting it needs an explicit confirmation. */
  needsCpuConfirmation: boolean;
}

/**
 * Inference costs about a third of a training step per image (a forward pass against forward, backward and
 * update); used only for runs recorded before validation throughput was measured.
 */
const VALIDATION_SPEEDUP_WITHOUT_MEASUREMENT = 3;
/** How many of the most recent matching runs the figure is the median of. */
const RECENT_RUNS = 5;

/** A GPU worker reports the `gpu` backend (@tensorflow/tfjs-node-gpu); every other backend computes on CPU. */
export function isGpuBackend(backend: string): boolean {
  return /^gpu\b/.test(backend);
}

/** 224 px at full width or more: the paper's protocol, about 11 hours per run on one 2-core CPU worker. */
export function isPaperScale(params: { inputSize: number; width: number }): boolean {
  return params.inputSize >= 224 && params.width >= 1;
}

/** The worker part of a run's backend record: "wasm+native, 2 threads; batch 64 as 2 × 32, …" → "wasm+native, 2 threads". */
export function workerBackendOf(runBackend: string): string {
  return runBackend.split(";")[0].trim();
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Seconds per epoch from a set of samples measured at `sampleSize` px, scaled to `size` px by pixel count. */
function epochSeconds(samples: ThroughputSample[], req: EstimateRequest, sampleSize: number): number {
  const recent = samples.slice(0, RECENT_RUNS);
  const scale = (req.params.inputSize / sampleSize) ** 2;
  const train = median(recent.map((s) => s.trainImagesPerSecond)) / scale;
  const measuredVal = recent.flatMap((s) => (s.valImagesPerSecond === null ? [] : [s.valImagesPerSecond]));
  const val =
    (measuredVal.length ? median(measuredVal) : train * scale * VALIDATION_SPEEDUP_WITHOUT_MEASUREMENT) / scale;
  return req.trainImages / train + (req.valImages > 0 ? req.valImages / val : 0);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * One run's time on a backend, from the closest measurement: the same variant, size and width (the same batch
 * size preferred); else another variant at that size and width; else the same variant and width at another
 * size, scaled by pixel count (convolution cost grows with it). Samples are most recent first.
 */
export function estimateRunSeconds(
  variant: Variant,
  backend: string,
  req: EstimateRequest,
  samples: readonly ThroughputSample[],
): RunTimeEstimate {
  const { inputSize, width, batchSize, epochs } = req.params;
  const onBackend = samples.filter((s) => s.backend === backend && s.width === width && s.trainImagesPerSecond > 0);
  const atSize = onBackend.filter((s) => s.inputSize === inputSize);
  const sameVariant = atSize.filter((s) => s.variant === variant);
  const sameBatch = sameVariant.filter((s) => s.batchSize === batchSize);
  const exact = sameBatch.length ? sameBatch : sameVariant;
  if (exact.length) {
    const n = Math.min(exact.length, RECENT_RUNS);
    const batchNote = sameBatch.length ? "" : ` (batch ${exact[0].batchSize})`;
    return {
      variant,
      backend,
      seconds: epochs * epochSeconds(exact, req, inputSize),
      basis: `median of ${plural(n, "recent run")}${batchNote}`,
    };
  }
  if (atSize.length) {
    return {
      variant,
      backend,
      seconds: epochs * epochSeconds(atSize, req, inputSize),
      basis: `from ${atSize[0].variant} runs at this size (no ${variant} run yet)`,
    };
  }
  const others = onBackend
    .filter((s) => s.variant === variant)
    .sort((a, b) => Math.abs(a.inputSize - inputSize) - Math.abs(b.inputSize - inputSize));
  if (others.length) {
    const size = others[0].inputSize;
    const same = others.filter((s) => s.inputSize === size);
    return {
      variant,
      backend,
      seconds: epochs * epochSeconds(same, req, size),
      basis: `scaled from ${size} px runs by pixel count (rough)`,
    };
  }
  return {
    variant,
    backend,
    seconds: null,
    basis:
      `no ${variant} run at width ${width} on ${backend} yet: train one short run, or measure the step with ` +
      `npm run bench:train -- --size ${inputSize} --width ${width} --batch ${batchSize}`,
  };
}

/**
 * The request's wall time on the online workers: each run (longest first) goes to the worker that would
 * finish it soonest, as pg-boss hands queued runs to whichever worker is free. Runs already queued by
 * others are not counted.
 */
export function estimateTraining(
  req: EstimateRequest,
  workers: readonly WorkerGroup[],
  samples: readonly ThroughputSample[],
): TrainingEstimate {
  const online = workers.filter((w) => w.count > 0);
  const runs = req.variants.length * req.seeds;
  const perRun = online.flatMap((w) => req.variants.map((v) => estimateRunSeconds(v, w.backend, req, samples)));
  const cpuOnly = !online.some((w) => isGpuBackend(w.backend));
  const workersOnline = online.reduce((a, w) => a + w.count, 0);
  const base = { runs, workersOnline, perRun, cpuOnly, needsCpuConfirmation: cpuOnly && isPaperScale(req.params) };
  if (online.length === 0 || perRun.some((r) => r.seconds === null)) return { ...base, totalSeconds: null };

  const time = (v: Variant, backend: string) =>
    perRun.find((r) => r.variant === v && r.backend === backend)?.seconds ?? Infinity;
  const slots = online.flatMap((w) => Array.from({ length: w.count }, () => ({ backend: w.backend, freeAt: 0 })));
  const queue = req.variants
    .flatMap((v) => Array.from({ length: req.seeds }, () => v))
    .sort(
      (a, b) => Math.min(...slots.map((s) => time(b, s.backend))) - Math.min(...slots.map((s) => time(a, s.backend))),
    );
  for (const v of queue) {
    const best = slots.reduce((a, s) => (s.freeAt + time(v, s.backend) < a.freeAt + time(v, a.backend) ? s : a));
    best.freeAt += time(v, best.backend);
  }
  return { ...base, totalSeconds: Math.max(...slots.map((s) => s.freeAt)) };
}

/** "11 h 20 min", "4 min", "40 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days ${hours % 24} h`;
}

/** The estimate in words, for the CLI and the form's summary line. */
export function describeEstimate(e: TrainingEstimate): string[] {
  if (e.workersOnline === 0) {
    return [`${plural(e.runs, "run")}; no worker is online, so no estimate (start one with npm run worker).`];
  }
  const lines = e.perRun.map(
    (r) =>
      `${r.variant} on ${r.backend}: ${r.seconds === null ? "unknown" : `${formatDuration(r.seconds)} per run`} (${r.basis})`,
  );
  lines.push(
    e.totalSeconds === null
      ? `Total for ${plural(e.runs, "run")} on ${plural(e.workersOnline, "worker")} online: unknown until every variant has a measurement.`
      : `Total for ${plural(e.runs, "run")} on ${plural(e.workersOnline, "worker")} online: about ${formatDuration(e.totalSeconds)}.`,
  );
  return lines;
}

/** Why the paper's protocol on CPU needs a confirmation, with the alternatives; shown by the form, the CLI and the refusal. */
export function cpuConfirmationMessage(e: TrainingEstimate): string {
  const total =
    e.totalSeconds === null ? "" : ` (about ${formatDuration(e.totalSeconds)} for ${plural(e.runs, "run")})`;
  return (
    `The paper's protocol (224 px, full width) would train on CPU only: no GPU worker is online${total}. ` +
    "Confirm to start it anyway, or start a GPU worker (same DATABASE_URL and storage, then npm run worker), " +
    "or choose the CPU quick preset."
  );
}
