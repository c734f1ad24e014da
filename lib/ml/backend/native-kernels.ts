/**
 * Convolution kernels for the tfjs 'wasm' backend computed by the optional native addon
 * `focus-native-kernels` (native/focus-kernels: im2col + an AVX-512 or AVX2/FMA SGEMM on a std::thread
 * pool of FOCUS_THREADS threads), reading and writing the wasm heap in place.
 *
 * Why: the wasm backend runs one thread of 128-bit SIMD, and XNNPACK's convolutions there, plus our
 * gradient kernels built from them (wasm-grad-kernels.ts), reach a fraction of what the same core does
 * with 256-bit FMA. The addon is built from source by node-gyp at `npm ci` (nothing is downloaded); where
 * it cannot build or the CPU lacks AVX2/FMA, these kernels are simply not registered and the wasm ones
 * stay in place. `FOCUS_NATIVE_KERNELS=0` turns them off.
 *
 * Registered for Conv2D, FusedConv2D (without bias or activation: that is how every convolution of our
 * models is built; other fused forms go to the stock kernel), Conv2DBackpropFilter and Conv2DBackpropInput,
 * NHWC, dilation 1; MaxPoolGrad, whose stock wasm version is a scalar loop (41 ms per step at width 1); and
 * Sum/Mean over every axis but the last (batch-norm statistics and the gradients of per-channel
 * broadcasts), which the stock kernels compute by transposing the whole tensor first; and same-shape float32
 * Add, Multiply, Relu and Step (ReLU's gradient mask), which are cheap but touch every activation of a step
 * and so, on the wasm backend's one thread, would cap what the thread pool gains. Plus kernels of our own:
 * training-mode batch norm and its gradient, and the optimizer's update.
 */
import { createRequire } from "node:module";
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { focusThreadsSchema } from "../../config/env";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { BATCH_NORM_GRAD_KERNEL, BATCH_NORM_TRAIN_KERNEL, SGD_MOMENTUM_KERNEL } from "@/lib/ml/ops/kernels";
import { convInfo, isUnitDilation, type ConvAttrs, type Shape4 } from "./conv-attrs";

const BACKEND = "wasm";

export interface NativeKernelAddon {
  cpuSupported: boolean;
  /** Sets the size of the kernels' thread pool (1 to 256); returns it. */
  setThreads(threads: number): number;
  threads(): number;
  /** The AVX-512 GEMM micro-kernel where the CPU has it (the default), else AVX2; returns whether it is used. */
  useAvx512(enabled: boolean): boolean;
  /** Winograd F(2x2, 3x3) for stride-1 3x3 convolutions (the default), else im2col + GEMM; returns the choice. */
  useWinograd(enabled: boolean): boolean;
  conv2d(x: Float32Array, filter: Float32Array, y: Float32Array, geometry: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, geometry: Int32Array): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  sumOuterAxes(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  // Plain N-API functions (no `this`), so they may be passed around unbound.
  add: (a: Float32Array, b: Float32Array, out: Float32Array) => void;
  multiply: (a: Float32Array, b: Float32Array, out: Float32Array) => void;
  relu(x: Float32Array, out: Float32Array): void;
  step(x: Float32Array, out: Float32Array, alpha: number): void;
  batchNormForward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    invStd: Float32Array,
    scale: Float32Array,
    rows: number,
    channels: number,
    epsilon: number,
  ): void;
  batchNormBackward(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    invStd: Float32Array,
    scale: Float32Array,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
    rows: number,
    channels: number,
  ): void;
  sgdMomentumStep(
    w: Float32Array,
    grad: Float32Array,
    buf: Float32Array,
    wOut: Float32Array,
    bufOut: Float32Array,
    learningRate: number,
    momentum: number,
    weightDecay: number,
  ): void;
}

export const NATIVE_KERNELS_ENV_VAR = "FOCUS_NATIVE_KERNELS";
const ADDON_PACKAGE = "focus-native-kernels";

/** The addon, or the reason it cannot be used here. */
export function loadNativeAddon(
  env: NodeJS.ProcessEnv = process.env,
): { addon: NativeKernelAddon } | { reason: string } {
  if (env[NATIVE_KERNELS_ENV_VAR] === "0") return { reason: `${NATIVE_KERNELS_ENV_VAR}=0` };
  let addon: NativeKernelAddon;
  try {
    addon = createRequire(import.meta.url)(ADDON_PACKAGE) as NativeKernelAddon;
  } catch (err) {
    return {
      reason: `${ADDON_PACKAGE} not built (${(err instanceof Error ? err.message : String(err)).split("\n")[0]})`,
    };
  }
  if (!addon.cpuSupported) return { reason: "this CPU lacks AVX2/FMA" };
  return { addon };
}

export const THREADS_ENV_VAR = "FOCUS_THREADS";
/** `FOCUS_WINOGRAD=0` sends the stride-1 3x3 convolutions through im2col + GEMM as well (to compare both). */
export const WINOGRAD_ENV_VAR = "FOCUS_WINOGRAD";

/**
 * The kernels' thread count for this process: FOCUS_THREADS, else the cores shared out among the worker
 * processes of this machine (FOCUS_WORKER_CONCURRENCY of them; the worker supervisor passes each child its
 * share as FOCUS_THREADS), at least 1.
 */
export function nativeThreadCount(
  env: Record<string, string | undefined> = process.env,
  cores = os.availableParallelism(),
): number {
  const parsed = focusThreadsSchema.safeParse(env[THREADS_ENV_VAR]?.trim() || undefined);
  if (!parsed.success)
    throw new Error(`${parsed.error.issues[0]?.message ?? "invalid"} (got "${env[THREADS_ENV_VAR]}")`);
  if (parsed.data !== undefined) return parsed.data;
  return defaultThreadsPerWorker(cores, Number(env.FOCUS_WORKER_CONCURRENCY) || 1);
}

export function defaultThreadsPerWorker(cores: number, workers: number): number {
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}

/** The 13 fields the addon reads, in its ConvGeometry order. */
export function nativeGeometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  // A Pool2DInfo has the same fields (outChannels = inChannels), so pooling reuses this.
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ]);
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function heap(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

function makeConfigs(addon: NativeKernelAddon, stock: Map<string, tf.KernelConfig>): tf.KernelConfig[] {
  const supported = (attrs: ConvAttrs) => (attrs.dataFormat ?? "NHWC") === "NHWC" && isUnitDilation(attrs.dilations);
  const fallback = (name: string, args: KernelArgs): tf.TensorInfo => {
    const config = stock.get(name);
    if (config === undefined)
      throw new Error(`${name} on wasm: unsupported attributes and no stock kernel to fall back to`);
    return config.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  };

  const forward =
    (name: string) =>
    (args: KernelArgs): tf.TensorInfo => {
      const backend = args.backend as BackendWasm;
      const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
      const attrs = args.attrs as unknown as ConvAttrs & { activation?: string };
      const plain = bias == null && preluActivationWeights == null && (attrs.activation ?? "linear") === "linear";
      if (!plain || !supported(attrs) || x!.dtype !== "float32") return fallback(name, args);
      const info = convInfo(x!.shape as Shape4, filter!.shape as Shape4, attrs);
      const out = backend.makeOutput(info.outShape, "float32");
      addon.conv2d(heap(backend, x!), heap(backend, filter!), heap(backend, out), nativeGeometry(info));
      return out;
    };

  const backpropFilter = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4 };
    if (!supported(attrs)) return fallback("Conv2DBackpropFilter", args);
    const info = convInfo(x.shape as Shape4, attrs.filterShape, attrs);
    const out = backend.makeOutput(attrs.filterShape, "float32");
    addon.conv2dBackpropFilter(heap(backend, x), heap(backend, dy), heap(backend, out), nativeGeometry(info));
    return out;
  };

  const backpropInput = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4 };
    if (!supported(attrs)) return fallback("Conv2DBackpropInput", args);
    const info = convInfo(attrs.inputShape, filter.shape as Shape4, attrs);
    const out = backend.makeOutput(attrs.inputShape, "float32");
    addon.conv2dBackpropInput(heap(backend, dy), heap(backend, filter), heap(backend, out), nativeGeometry(info));
    return out;
  };

  const maxPoolGrad = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const attrs = args.attrs as unknown as {
      filterSize: number | [number, number];
      strides: number | [number, number];
      pad: ConvAttrs["pad"];
      dimRoundingMode?: ConvAttrs["dimRoundingMode"];
    };
    if (input.dtype !== "float32" || input.shape.length !== 4) return fallback("MaxPoolGrad", args);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as Shape4,
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const out = backend.makeOutput(input.shape, "float32");
    addon.maxPoolGrad(heap(backend, dy), heap(backend, input), heap(backend, out), nativeGeometry(info));
    return out;
  };

  const channelsOf = (x: tf.TensorInfo) => {
    const channels = x.shape[x.shape.length - 1] ?? 0;
    return { channels, rows: tf.util.sizeFromShape(x.shape) / channels };
  };

  const outerAxesReduction =
    (name: "Sum" | "Mean") =>
    (args: KernelArgs): tf.TensorInfo => {
      const backend = args.backend as BackendWasm;
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const rank = x.shape.length;
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const { rows, channels: cols } = channelsOf(x);
      const outer = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
      if (!outer || x.dtype !== "float32" || rows === 0 || cols === 0) return fallback(name, args);
      const out = backend.makeOutput(keepDims ? x.shape.map((d, i) => (i < rank - 1 ? 1 : d)) : [cols], "float32");
      const sums = heap(backend, out);
      addon.sumOuterAxes(heap(backend, x), sums, rows, cols);
      if (name === "Mean") for (let c = 0; c < cols; c++) sums[c] /= rows;
      return out;
    };

  const sameShapeFloats = (...ts: tf.TensorInfo[]) =>
    ts.every((t) => t.dtype === "float32" && tf.util.arraysEqual(t.shape, ts[0].shape)) &&
    tf.util.sizeFromShape(ts[0].shape) > 0;

  const binary =
    (name: "Add" | "Multiply", fn: NativeKernelAddon["add"]) =>
    (args: KernelArgs): tf.TensorInfo => {
      const backend = args.backend as BackendWasm;
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (!sameShapeFloats(a, b)) return fallback(name, args);
      const out = backend.makeOutput(a.shape, "float32");
      fn.call(addon, heap(backend, a), heap(backend, b), heap(backend, out));
      return out;
    };

  const relu = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (!sameShapeFloats(x)) return fallback("Relu", args);
    const out = backend.makeOutput(x.shape, "float32");
    addon.relu(heap(backend, x), heap(backend, out));
    return out;
  };

  const step = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { alpha } = (args.attrs ?? {}) as { alpha?: number };
    if (!sameShapeFloats(x)) return fallback("Step", args);
    const out = backend.makeOutput(x.shape, "float32");
    addon.step(heap(backend, x), heap(backend, out), alpha ?? 0);
    return out;
  };

  const sgdStep = (args: KernelArgs): tf.TensorInfo[] => {
    const backend = args.backend as BackendWasm;
    const { w, grad, buf } = args.inputs as { w: tf.TensorInfo; grad: tf.TensorInfo; buf: tf.TensorInfo };
    const { learningRate, momentum, weightDecay } = args.attrs as unknown as {
      learningRate: number;
      momentum: number;
      weightDecay: number;
    };
    const wOut = backend.makeOutput(w.shape, "float32");
    const bufOut = backend.makeOutput(w.shape, "float32");
    addon.sgdMomentumStep(
      heap(backend, w),
      heap(backend, grad),
      heap(backend, buf),
      heap(backend, wOut),
      heap(backend, bufOut),
      learningRate,
      momentum,
      weightDecay,
    );
    return [wOut, bufOut];
  };

  const batchNormTrain = (args: KernelArgs): tf.TensorInfo[] => {
    const backend = args.backend as BackendWasm;
    const { x, gamma, beta } = args.inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
    const { epsilon } = args.attrs as unknown as { epsilon: number };
    const { rows, channels } = channelsOf(x);
    const y = backend.makeOutput(x.shape, "float32");
    const stats = [0, 1, 2, 3].map(() => backend.makeOutput([channels], "float32"));
    const [mean, variance, invStd, scale] = stats.map((t) => heap(backend, t));
    addon.batchNormForward(
      heap(backend, x),
      heap(backend, gamma),
      heap(backend, beta),
      heap(backend, y),
      mean,
      variance,
      invStd,
      scale,
      rows,
      channels,
      epsilon,
    );
    return [y, ...stats];
  };

  const batchNormGrad = (args: KernelArgs): tf.TensorInfo[] => {
    const backend = args.backend as BackendWasm;
    const { dy, x, mean, invStd, scale } = args.inputs as Record<
      "dy" | "x" | "mean" | "invStd" | "scale",
      tf.TensorInfo
    >;
    const { rows, channels } = channelsOf(x);
    const dx = backend.makeOutput(x.shape, "float32");
    const dGamma = backend.makeOutput([channels], "float32");
    const dBeta = backend.makeOutput([channels], "float32");
    addon.batchNormBackward(
      heap(backend, dy),
      heap(backend, x),
      heap(backend, mean),
      heap(backend, invStd),
      heap(backend, scale),
      heap(backend, dx),
      heap(backend, dGamma),
      heap(backend, dBeta),
      rows,
      channels,
    );
    return [dx, dGamma, dBeta];
  };

  return [
    { kernelName: BATCH_NORM_TRAIN_KERNEL, backendName: BACKEND, kernelFunc: batchNormTrain },
    { kernelName: BATCH_NORM_GRAD_KERNEL, backendName: BACKEND, kernelFunc: batchNormGrad },
    { kernelName: SGD_MOMENTUM_KERNEL, backendName: BACKEND, kernelFunc: sgdStep },
    { kernelName: "Sum", backendName: BACKEND, kernelFunc: outerAxesReduction("Sum") },
    { kernelName: "Mean", backendName: BACKEND, kernelFunc: outerAxesReduction("Mean") },
    { kernelName: "MaxPoolGrad", backendName: BACKEND, kernelFunc: maxPoolGrad },
    { kernelName: "Add", backendName: BACKEND, kernelFunc: binary("Add", addon.add) },
    { kernelName: "Multiply", backendName: BACKEND, kernelFunc: binary("Multiply", addon.multiply) },
    { kernelName: "Relu", backendName: BACKEND, kernelFunc: relu },
    { kernelName: "Step", backendName: BACKEND, kernelFunc: step },
    { kernelName: "Conv2D", backendName: BACKEND, kernelFunc: forward("Conv2D") },
    { kernelName: "FusedConv2D", backendName: BACKEND, kernelFunc: forward("FusedConv2D") },
    { kernelName: "Conv2DBackpropFilter", backendName: BACKEND, kernelFunc: backpropFilter },
    { kernelName: "Conv2DBackpropInput", backendName: BACKEND, kernelFunc: backpropInput },
  ];
}

let installed: { configs: tf.KernelConfig[]; replaced: Map<string, tf.KernelConfig> } | undefined;

/**
 * Registers the native kernels for 'wasm' over whatever is registered now (call after the wasm gradient
 * kernels, which remain the fallback for unsupported attributes). Idempotent.
 */
export function registerNativeKernels(addon: NativeKernelAddon): void {
  if (installed !== undefined) return;
  const replaced = new Map<string, tf.KernelConfig>();
  for (const name of [
    "Conv2D",
    "FusedConv2D",
    "Conv2DBackpropFilter",
    "Conv2DBackpropInput",
    "MaxPoolGrad",
    "Sum",
    "Mean",
    "Add",
    "Multiply",
    "Relu",
    "Step",
  ]) {
    const current = tf.getKernel(name, BACKEND);
    if (current !== undefined) replaced.set(name, current);
  }
  const configs = makeConfigs(addon, replaced);
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, BACKEND) !== undefined) tf.unregisterKernel(config.kernelName, BACKEND);
    tf.registerKernel(config);
  }
  installed = { configs, replaced };
}

/** Puts back the kernels that were registered before (tests and benchmarks compare both). */
export function unregisterNativeKernels(): void {
  if (installed === undefined) return;
  for (const config of installed.configs) {
    if (tf.getKernel(config.kernelName, BACKEND)?.kernelFunc !== config.kernelFunc) continue;
    tf.unregisterKernel(config.kernelName, BACKEND);
    const previous = installed.replaced.get(config.kernelName);
    if (previous !== undefined) tf.registerKernel(previous);
  }
  installed = undefined;
}

export function nativeKernelsRegistered(): boolean {
  return installed !== undefined;
}
