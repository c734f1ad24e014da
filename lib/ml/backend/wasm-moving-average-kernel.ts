/**
 * One kernel for batch norm's moving-statistics update on the tfjs 'wasm' backend:
 *
 *   out = moving * momentum + (batch * batchScale) * (1 - momentum)
 *
 * (batchScale = n / (n - 1) turns the biased batch variance into PyTorch's unbiased one; 1 for the mean).
 * The op-by-op form costs up to four kernels and three scalar uploads per statistic, for vectors of at most a
 * few hundred channels: ~200 engine calls per ResNet-18 step. Each step rounds to float32 exactly as those ops
 * do, so the result is bit-identical (tested).
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { MOVING_AVERAGE_KERNEL } from "@/lib/ml/ops/kernels";

const BACKEND = "wasm";

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function movingAverage(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { moving, batch } = args.inputs as { moving: tf.TensorInfo; batch: tf.TensorInfo };
  const { momentum, batchScale } = args.attrs as unknown as { momentum: number; batchScale: number };
  const out = backend.makeOutput(moving.shape, "float32");
  const m = backend.typedArrayFromHeap(moving) as Float32Array;
  const b = backend.typedArrayFromHeap(batch) as Float32Array;
  const o = backend.typedArrayFromHeap(out) as Float32Array;
  const keep = Math.fround(momentum);
  const take = Math.fround(1 - momentum);
  const scale = Math.fround(batchScale);
  for (let i = 0; i < o.length; i++) {
    const scaled = batchScale === 1 ? b[i] : Math.fround(b[i] * scale);
    o[i] = Math.fround(m[i] * keep) + Math.fround(scaled * take);
  }
  return out;
}

export function registerWasmMovingAverageKernel(): void {
  if (tf.getKernel(MOVING_AVERAGE_KERNEL, BACKEND) !== undefined) return;
  tf.registerKernel({ kernelName: MOVING_AVERAGE_KERNEL, backendName: BACKEND, kernelFunc: movingAverage });
}
