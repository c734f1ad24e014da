/**
 * How a training batch is split into micro-batches whose gradients are accumulated (train-step.ts), so that
 * any batch size trains where memory is bounded: the wasm backend's heap stops at 4 GiB (batch 64 at 224 px,
 * full width, needs about 5 GB and crashed with "memory access out of bounds"). The accumulated step equals
 * the full-batch step except for batch norm, which then normalises over each micro-batch ("ghost batch
 * norm") and updates its moving statistics once per micro-batch; the plan's text says so, and runs record it.
 * On the GPU and tfjs-node backends the whole batch runs at once.
 *
 * The memory model of a step, fitted on the wasm heap's size after one step (fresh process, baseline and
 * CBAM, width 0.25 and 1, 64 and 224 px, batches 2 to 8): the live tensors (weights, momentum), about 1.6 ×
 * the parameters' bytes for the gradients and the update, plus per image 2.0 (224 px) to 3.0 (64 px) × the
 * bytes of every layer's output. The planner takes 3.0 and 2 × the parameters, and fills 95 % of the heap:
 * at 224 px, width 1 that is 33 images (measured: batch 32 peaks at 2.7 GB), so batch 64 runs as 2 × 32.
 */
import os from "node:os";
import * as tf from "@tensorflow/tfjs";

export interface MicroBatchPlan {
  batchSize: number;
  /** Images per micro-batch at most; the batch is cut into `steps` near-equal parts of at most this many. */
  maxMicroBatch: number;
  steps: number;
  /** Sizes of the micro-batches of a full batch (differ by at most one). */
  sizes: number[];
  /** Where maxMicroBatch came from. */
  source: "whole batch" | "memory model" | "override";
  /** For logs and the run record: "batch 64 as 2 × 32, batch norm over 32" or "batch 64 at once". */
  text: string;
}

/** The wasm backend's heap limit (tfjs-backend-wasm is built with a 65536-page maximum). */
export const WASM_HEAP_LIMIT_BYTES = 4 * 1024 ** 3;
const HEAP_FILL = 0.95;
const BYTES_PER_ACTIVATION_BYTE = 3.0;
const PARAMETER_COPIES = 2;

/** Backends whose memory is bounded by something the planner must respect. */
const MEMORY_BOUNDED_BACKENDS = new Set(["wasm", "cpu"]);

/** Floats of every layer's output for one image: what the backward pass keeps alive, per image. */
export function activationFloatsPerImage(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const shape = layer.outputShape;
    const shapes = (Array.isArray(shape[0]) ? shape : [shape]) as (number | null)[][];
    for (const s of shapes) total += s.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
  }
  return total;
}

/** Bytes one step needs beyond what is live now, by the model above. */
export function stepBytes(model: tf.LayersModel, images: number): number {
  const activations = activationFloatsPerImage(model) * 4 * BYTES_PER_ACTIVATION_BYTE;
  return PARAMETER_COPIES * model.countParams() * 4 + images * activations;
}

/** Cuts n images into the fewest near-equal parts of at most maxMicroBatch (never below 2 images each). */
export function microBatchSizes(n: number, maxMicroBatch: number): number[] {
  const steps = Math.max(1, Math.min(Math.ceil(n / Math.max(1, maxMicroBatch)), Math.floor(n / 2)));
  const base = Math.floor(n / steps);
  return Array.from({ length: steps }, (_, i) => base + (i < n % steps ? 1 : 0));
}

function describe(batchSize: number, sizes: number[]): string {
  if (sizes.length === 1) return `batch ${batchSize} at once`;
  const [lo, hi] = [Math.min(...sizes), Math.max(...sizes)];
  const each = lo === hi ? `${hi}` : `${lo}-${hi}`;
  return lo === hi
    ? `batch ${batchSize} as ${sizes.length} × ${hi}, batch norm over ${each}`
    : `batch ${batchSize} as ${sizes.length} micro-batches of ${each}, batch norm over ${each}`;
}

export function makePlan(batchSize: number, maxMicroBatch: number, source: MicroBatchPlan["source"]): MicroBatchPlan {
  const max = Math.max(2, Math.min(batchSize, Math.floor(maxMicroBatch)));
  const sizes = microBatchSizes(batchSize, max);
  return { batchSize, maxMicroBatch: max, steps: sizes.length, sizes, source, text: describe(batchSize, sizes) };
}

export interface PlanOptions {
  batchSize: number;
  /** Images per micro-batch at most, overriding the memory model (also on GPU backends). */
  override?: number;
  /** tf.getBackend() unless given. */
  backend?: string;
  /** Memory the step may use in all (default: the wasm heap limit, or for cpu half the free RAM). */
  budgetBytes?: number;
}

/** The plan for `model` on the active backend, from the memory model unless overridden. */
export function planMicroBatches(model: tf.LayersModel, opts: PlanOptions): MicroBatchPlan {
  const { batchSize } = opts;
  if (opts.override !== undefined) return makePlan(batchSize, opts.override, "override");
  const backend = opts.backend ?? tf.getBackend();
  if (!MEMORY_BOUNDED_BACKENDS.has(backend)) return makePlan(batchSize, batchSize, "whole batch");
  const budget = opts.budgetBytes ?? (backend === "wasm" ? WASM_HEAP_LIMIT_BYTES : os.freemem() / 2);
  const free = budget * HEAP_FILL - tf.memory().numBytes - stepBytes(model, 0);
  const perImage = stepBytes(model, 1) - stepBytes(model, 0);
  const fits = Math.floor(free / perImage);
  if (fits >= batchSize) return makePlan(batchSize, batchSize, "whole batch");
  return makePlan(batchSize, fits, "memory model");
}
