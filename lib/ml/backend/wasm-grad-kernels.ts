/**
 * Training kernels for the tfjs 'wasm' backend, built from its own XNNPACK `Conv2D` kernel.
 *
 * Stock @tensorflow/tfjs-backend-wasm 4.22 cannot train a CNN: it has no `Conv2DBackpropFilter`
 * kernel (tensorflow/tfjs issue 8474) and its `Conv2DBackpropInput` is a scalar C++ loop, orders of
 * magnitude slower than the forward convolution. Both gradients are convolutions themselves
 * (see conv-grad-geometry.ts for the index identities), so each is computed here as one call of the
 * fast forward kernel plus cheap layout changes (Transpose / PadV2 / BatchMatMul, all native).
 *
 * Every other kernel that training a ResNet-18 (+SE/CBAM/GC) touches exists natively on wasm in 4.22
 * (checked: Relu via Step, FusedBatchNorm/moments, MaxPoolGrad, AvgPoolGrad, Mean, Softmax, Max,
 * Sigmoid, BatchMatMul/_FusedMatMul, Tile, SplitV, Concat, Sqrt, Rsqrt, ...), so only the two
 * convolution gradients are registered.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { antiIdentity, planFilterGradAxis, planInputGradAxis } from "./conv-grad-geometry";
import { withWasmKernelScope, type WasmKernelScope } from "./wasm-kernel-scope";

const BACKEND = "wasm";
type Shape4 = [number, number, number, number];

interface ConvGradAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  dilations?: number | [number, number];
}

function assertSupported(kernelName: string, attrs: ConvGradAttrs): void {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC") {
    throw new Error(`${kernelName} on wasm supports only dataFormat 'NHWC' (got '${attrs.dataFormat}')`);
  }
  const d = attrs.dilations;
  if (d !== undefined && (Array.isArray(d) ? d.some((v) => v !== 1) : d !== 1)) {
    throw new Error(`${kernelName} on wasm supports only dilation 1 (got ${JSON.stringify(d)})`);
  }
}

function convInfo(inShape: Shape4, filterShape: Shape4, attrs: ConvGradAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
}

function explicitPad(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

function conv2dValid(
  scope: WasmKernelScope,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  pad: tf.backend_util.ExplicitPadding,
  dilations: [number, number],
): tf.TensorInfo {
  return scope.run("Conv2D", { x, filter }, { strides: [1, 1], pad, dataFormat: "NHWC", dilations });
}

/**
 * dW = conv2d(x transposed to [C, H, W, N], dy transposed to [OH, OW, N, Co] as the filter,
 * dilation = forward stride, forward padding), giving [C, KH, KW, Co], then transposed to [KH, KW, C, Co].
 */
function conv2DBackpropFilterWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: Shape4 };
  assertSupported("Conv2DBackpropFilter", attrs);
  const info = convInfo(x.shape as Shape4, attrs.filterShape, attrs);
  const rows = planFilterGradAxis(info.inHeight, info.filterHeight, info.strideHeight, info.padInfo.top, info.outHeight);
  const cols = planFilterGradAxis(info.inWidth, info.filterWidth, info.strideWidth, info.padInfo.left, info.outWidth);

  return withWasmKernelScope(backend, (scope) => {
    const xT = scope.transpose(x, [3, 1, 2, 0]);
    const dyT = scope.transpose(dy, [1, 2, 0, 3]);
    let g = conv2dValid(
      scope,
      xT,
      dyT,
      explicitPad(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter),
      [info.strideHeight, info.strideWidth],
    );
    if (rows.cropOutputAfter > 0 || cols.cropOutputAfter > 0) {
      g = scope.slice(g, [0, 0, 0, 0], [info.inChannels, info.filterHeight, info.filterWidth, info.outChannels]);
    }
    return scope.transpose(g, [1, 2, 0, 3]);
  });
}

/** Filter rotated by 180° in space with in/out channels swapped: [KH, KW, C, Co] -> [KH, KW, Co, C]. */
function rotatedFilter(scope: WasmKernelScope, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, c, co] = filter.shape as Shape4;
  const taps = kh * kw;
  let rotated = filter;
  if (taps > 1) {
    // The wasm Reverse kernel is slow; a [taps x taps] anti-identity matmul reverses (kh, kw) exactly.
    const j = scope.constant([1, taps, taps], antiIdentity(taps));
    const flat = scope.reshape(filter, [1, taps, c * co]);
    const product = scope.run("BatchMatMul", { a: j, b: flat }, { transposeA: false, transposeB: false });
    rotated = scope.reshape(product, [kh, kw, c, co]);
  }
  return scope.transpose(rotated, [0, 1, 3, 2]);
}

/**
 * dx = conv2d(dy with stride−1 zeros inserted, rotated filter, stride 1,
 * padding KH−1−padTop / KW−1−padLeft before and the rest after).
 */
function conv2DBackpropInputWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: Shape4 };
  assertSupported("Conv2DBackpropInput", attrs);
  const info = convInfo(attrs.inputShape, filter.shape as Shape4, attrs);
  const rows = planInputGradAxis(info.inHeight, info.filterHeight, info.strideHeight, info.padInfo.top, info.outHeight);
  const cols = planInputGradAxis(info.inWidth, info.filterWidth, info.strideWidth, info.padInfo.left, info.outWidth);
  const n = info.batchSize;
  const co = info.outChannels;

  return withWasmKernelScope(backend, (scope) => {
    let d = dy;
    if (info.strideHeight > 1 || info.strideWidth > 1) {
      // Zero insertion as one native pad: view dy as [N, OH, 1, OW, 1, Co] and pad the unit axes.
      const six = scope.reshape(dy, [n, info.outHeight, 1, info.outWidth, 1, co]);
      const padded = scope.pad(six, [
        [0, 0],
        [0, 0],
        [0, info.strideHeight - 1],
        [0, 0],
        [0, info.strideWidth - 1],
        [0, 0],
      ]);
      d = scope.reshape(padded, [n, rows.dilatedSize, cols.dilatedSize, co]);
    }
    if (rows.cropBefore + rows.cropAfter + cols.cropBefore + cols.cropAfter > 0) {
      d = scope.slice(
        d,
        [0, rows.cropBefore, cols.cropBefore, 0],
        [
          n,
          rows.dilatedSize - rows.cropBefore - rows.cropAfter,
          cols.dilatedSize - cols.cropBefore - cols.cropAfter,
          co,
        ],
      );
    }
    const w = rotatedFilter(scope, filter);
    return conv2dValid(scope, d, w, explicitPad(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter), [1, 1]);
  });
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: BACKEND,
  kernelFunc: conv2DBackpropFilterWasm as tf.KernelFunc,
};

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropInput",
  backendName: BACKEND,
  kernelFunc: conv2DBackpropInputWasm as tf.KernelFunc,
};

const OUR_CONFIGS = [conv2DBackpropFilterConfig, conv2DBackpropInputConfig];

/** The kernels that were registered before ours, restored by `unregisterWasmGradKernels`. */
const replaced = new Map<string, tf.KernelConfig>();
let stockBackpropInput: tf.KernelConfig | undefined;

/**
 * The wasm backend's own Conv2DBackpropInput (scalar loop), kept for comparison benchmarks.
 * Must be called after `@tensorflow/tfjs-backend-wasm` has been imported.
 */
export function stockConv2DBackpropInputKernel(): tf.KernelConfig | undefined {
  if (stockBackpropInput !== undefined) return stockBackpropInput;
  const current = tf.getKernel("Conv2DBackpropInput", BACKEND);
  return current?.kernelFunc === conv2DBackpropInputConfig.kernelFunc ? undefined : current;
}

/** Registers both convolution gradients for 'wasm', replacing the stock ones. Idempotent. */
export function registerWasmGradKernels(): void {
  for (const config of OUR_CONFIGS) {
    const current = tf.getKernel(config.kernelName, BACKEND);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) {
      replaced.set(config.kernelName, current);
      if (config.kernelName === "Conv2DBackpropInput") stockBackpropInput = current;
      tf.unregisterKernel(config.kernelName, BACKEND);
    }
    tf.registerKernel(config);
  }
}

/** Removes our kernels and puts back whatever was registered before (tests and benchmarks). */
export function unregisterWasmGradKernels(): void {
  for (const config of OUR_CONFIGS) {
    const current = tf.getKernel(config.kernelName, BACKEND);
    if (current?.kernelFunc !== config.kernelFunc) continue;
    tf.unregisterKernel(config.kernelName, BACKEND);
    const previous = replaced.get(config.kernelName);
    if (previous !== undefined) tf.registerKernel(previous);
    replaced.delete(config.kernelName);
  }
}

/** True when our gradient kernels are the ones registered for 'wasm'. */
export function wasmGradKernelsRegistered(): boolean {
  return OUR_CONFIGS.every((c) => tf.getKernel(c.kernelName, BACKEND)?.kernelFunc === c.kernelFunc);
}
