/**
 * Training kernels for the tfjs 'wasm' backend, built from its own XNNPACK `Conv2D` kernel.
 *
 * Stock @tensorflow/tfjs-backend-wasm 4.22 cannot train a CNN: it has no `Conv2DBackpropFilter`
 * kernel (https://github.com/tensorflow/tfjs/issues/8474) and its `Conv2DBackpropInput` is a scalar C++ loop,
 * orders of magnitude slower than the forward convolution. Both gradients are built here from the backend's fast
 * XNNPACK kernels, with the layout passes around them as JS loops on the wasm heap (conv-grad-layout.ts):
 *   - filter gradient: one matmul patchesᵀ · dy (im2col), already in [KH, KW, C, Co] order;
 *   - input gradient, by a measured cost model (inputGradMethodFor): the stride-1 convolution of dy with
 *     the rotated filter (conv-grad-geometry.ts) for wide maps, col2im(dy · Wᵀ) for strided layers
 *     (no zero insertion), and col2im(W · dyᵀ) for deep layers where the filter dwarfs the map.
 *
 * Every other kernel that training a ResNet-18 (+SE/CBAM/GC) touches exists natively on wasm in 4.22
 * (checked: Relu via Step, FusedBatchNorm/moments, MaxPoolGrad, AvgPoolGrad, Mean, Softmax, Max,
 * Sigmoid, BatchMatMul/_FusedMatMul, Tile, SplitV, Concat, Sqrt, Rsqrt, ...), so only the two
 * convolution gradients are registered.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { planInputGradAxis } from "./conv-grad-geometry";
import {
  col2imAdd,
  col2imAddTransposed,
  fromChannelMajor,
  im2colTransposed,
  rotateSwapFilter,
  toChannelMajor,
  transpose2d,
  type ConvGeometry,
} from "./conv-grad-layout";
import { convInfo, isUnitDilation, type ConvAttrs, type Shape4 } from "./conv-attrs";
import { withWasmKernelScope, type WasmKernelScope } from "./wasm-kernel-scope";

const BACKEND = "wasm";

function assertSupported(kernelName: string, attrs: ConvAttrs): void {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC") {
    throw new Error(`${kernelName} on wasm supports only dataFormat 'NHWC' (got '${attrs.dataFormat}')`);
  }
  if (!isUnitDilation(attrs.dilations)) {
    throw new Error(`${kernelName} on wasm supports only dilation 1 (got ${JSON.stringify(attrs.dilations)})`);
  }
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
 * Largest transient matrix (floats) a gradient builds at once; bigger batches are split by image, so
 * that 224-px batches stay within the wasm heap's 4 GiB.
 */
export const DEFAULT_MAX_TRANSIENT_FLOATS = 1 << 24;
let maxTransientFloats = DEFAULT_MAX_TRANSIENT_FLOATS;

/** Changes the chunking limit (tests exercise the multi-chunk path with small values); returns the old one. */
export function setMaxTransientFloats(floats: number): number {
  const previous = maxTransientFloats;
  maxTransientFloats = floats;
  return previous;
}

function geometryOf(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Images per chunk so that `floatsPerImage · chunk` stays under the transient limit (at least 1). */
function imagesPerChunk(batch: number, floatsPerImage: number): number {
  return Math.max(1, Math.min(batch, Math.floor(maxTransientFloats / Math.max(1, floatsPerImage))));
}

/** 1x1, stride 1, no padding: the convolution is a plain matmul over (n, h, w). */
function isPointwise(g: ConvGeometry): boolean {
  return (
    g.filterHeight === 1 &&
    g.filterWidth === 1 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0
  );
}

/**
 * dW[(kh,kw,c), co] = patchesᵀ · dy, one XNNPACK matmul per chunk of images (conv-grad-layout.ts). The
 * product is already [KH, KW, C, Co], so no transpose follows.
 */
function conv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4 };
  assertSupported("Conv2DBackpropFilter", attrs);
  const info = convInfo(x.shape as Shape4, attrs.filterShape, attrs);
  const g = geometryOf(info);
  const n = info.batchSize;
  const rows = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.outHeight * g.outWidth;
  const pointwise = isPointwise(g);
  const chunk = imagesPerChunk(n, rows * positions + g.inChannels * g.inHeight * g.inWidth);

  return withWasmKernelScope(backend, (scope) => {
    const dy2 = scope.reshape(dy, [n * positions, g.outChannels]);
    let acc: tf.TensorInfo | undefined;
    for (let n0 = 0; n0 < n; n0 += chunk) {
      const nc = Math.min(chunk, n - n0);
      const xc = scope.alloc([g.inChannels, nc * g.inHeight * g.inWidth]);
      toChannelMajor(scope.heap(x), g, n0, nc, scope.heap(xc));
      let patches = xc;
      if (!pointwise) {
        patches = scope.alloc([rows, nc * positions]);
        im2colTransposed(scope.heap(xc), g, nc, scope.heap(patches));
        scope.free(xc);
      }
      const dyPart = nc === n ? dy2 : scope.slice(dy2, [n0 * positions, 0], [nc * positions, g.outChannels]);
      const part = matmul(scope, patches, dyPart);
      scope.free(patches);
      if (dyPart !== dy2) scope.free(dyPart);
      if (acc === undefined) {
        acc = part;
      } else {
        const sum = scope.run("Add", { a: acc, b: part });
        scope.free(acc);
        scope.free(part);
        acc = sum;
      }
    }
    return scope.reshape(acc as tf.TensorInfo, [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels]);
  });
}

/** [M, K] · [K, N] through the wasm BatchMatMul without transposes (its XNNPACK path). */
function matmul(scope: WasmKernelScope, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const a3 = scope.reshape(a, [1, m, k]);
  const b3 = scope.reshape(b, [1, ...b.shape.slice(-2)]);
  const out = scope.run("BatchMatMul", { a: a3, b: b3 }, { transposeA: false, transposeB: false });
  scope.free(a3);
  scope.free(b3);
  return scope.reshape(out, out.shape.slice(1));
}

/** Filter rotated by 180° in space with in/out channels swapped: [KH, KW, C, Co] -> [KH, KW, Co, C]. */
function rotatedFilter(scope: WasmKernelScope, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, c, co] = filter.shape as Shape4;
  const out = scope.alloc([kh, kw, co, c]);
  rotateSwapFilter(scope.heap(filter), kh, kw, c, co, scope.heap(out));
  return out;
}

/**
 * Stride 1: dx = conv2d(dy, rotated filter, padding KH−1−padTop / KW−1−padLeft before and the rest
 * after) — one XNNPACK convolution, as cheap as the forward one.
 */
function inputGradByConv(
  scope: WasmKernelScope,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const rows = planInputGradAxis(info.inHeight, info.filterHeight, 1, info.padInfo.top, info.outHeight);
  const cols = planInputGradAxis(info.inWidth, info.filterWidth, 1, info.padInfo.left, info.outWidth);
  let d = dy;
  if (rows.cropBefore + rows.cropAfter + cols.cropBefore + cols.cropAfter > 0) {
    d = scope.slice(
      d,
      [0, rows.cropBefore, cols.cropBefore, 0],
      [
        info.batchSize,
        rows.dilatedSize - rows.cropBefore - rows.cropAfter,
        cols.dilatedSize - cols.cropBefore - cols.cropAfter,
        info.outChannels,
      ],
    );
  }
  const w = rotatedFilter(scope, filter);
  return conv2dValid(scope, d, w, explicitPad(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter), [1, 1]);
}

/**
 * Any stride: cols = dy · Wᵀ (one XNNPACK matmul per chunk of images), then col2im adds each column
 * back to the input position it came from. No zero insertion, so a stride-2 layer costs what its
 * forward pass costs instead of four times as much.
 */
function inputGradByMatmul(
  scope: WasmKernelScope,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const g = geometryOf(info);
  const n = info.batchSize;
  const rowLen = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.outHeight * g.outWidth;
  const wT = scope.alloc([g.outChannels, rowLen]);
  transpose2d(scope.heap(filter), rowLen, g.outChannels, scope.heap(wT));
  const dy2 = scope.reshape(dy, [n * positions, g.outChannels]);
  if (isPointwise(g)) {
    return scope.reshape(matmul(scope, dy2, wT), [n, g.inHeight, g.inWidth, g.inChannels]);
  }
  const dx = scope.alloc([n, g.inHeight, g.inWidth, g.inChannels]);
  scope.heap(dx).fill(0);
  const chunk = imagesPerChunk(n, rowLen * positions);
  for (let n0 = 0; n0 < n; n0 += chunk) {
    const nc = Math.min(chunk, n - n0);
    const dyPart = nc === n ? dy2 : scope.slice(dy2, [n0 * positions, 0], [nc * positions, g.outChannels]);
    const cols = matmul(scope, dyPart, wT);
    col2imAdd(scope.heap(cols), g, n0, nc, scope.heap(dx));
    scope.free(cols);
    if (dyPart !== dy2) scope.free(dyPart);
  }
  return dx;
}

/**
 * Any stride, small spatial extent: colsᵀ = W · dyᵀ. The filter is the matmul's left operand, which
 * XNNPACK reads in place, so deep layers (large filters, few positions) skip both the filter transpose
 * and the packing of a large right operand; only dy (small there) is transposed.
 */
function inputGradByMatmulTransposed(
  scope: WasmKernelScope,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const g = geometryOf(info);
  const n = info.batchSize;
  const rowLen = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.outHeight * g.outWidth;
  const imageSize = g.inHeight * g.inWidth * g.inChannels;
  const w2 = scope.reshape(filter, [rowLen, g.outChannels]);
  const dx = scope.alloc([n, g.inHeight, g.inWidth, g.inChannels]);
  const chunk = imagesPerChunk(n, rowLen * positions + imageSize);
  for (let n0 = 0; n0 < n; n0 += chunk) {
    const nc = Math.min(chunk, n - n0);
    const dyT = scope.alloc([g.outChannels, nc * positions]);
    transpose2d(scope.heap(dy), nc * positions, g.outChannels, scope.heap(dyT), n0 * positions * g.outChannels);
    const colsT = matmul(scope, w2, dyT);
    scope.free(dyT);
    const dxc = scope.alloc([g.inChannels, nc * g.inHeight * g.inWidth]);
    const dxcView = scope.heap(dxc);
    dxcView.fill(0);
    col2imAddTransposed(scope.heap(colsT), g, nc, dxcView);
    scope.free(colsT);
    fromChannelMajor(scope.heap(dxc), g, n0, nc, scope.heap(dx));
    scope.free(dxc);
  }
  return dx;
}

/** Which formulation the input gradient uses for a layer (exported for tests and benchmarks). */
export type InputGradMethod = "conv" | "matmul" | "matmul-transposed";
let inputGradOverride: InputGradMethod | undefined;

/**
 * Cost model (measured on ResNet-18 layers at 64 px): the stride-1 convolution is best while positions
 * outnumber output channels (early layers); where the filter is large and the map small, repacking a
 * rotated filter dominates and W · dyᵀ wins; strided layers never use the zero-inserted convolution.
 */
export function inputGradMethodFor(
  info: Pick<
    tf.backend_util.Conv2DInfo,
    | "strideHeight"
    | "strideWidth"
    | "filterHeight"
    | "filterWidth"
    | "batchSize"
    | "outHeight"
    | "outWidth"
    | "outChannels"
  >,
): InputGradMethod {
  if (inputGradOverride !== undefined) return inputGradOverride;
  const strided = info.strideHeight > 1 || info.strideWidth > 1;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  if (positions <= info.outChannels) return "matmul-transposed";
  return strided || (info.filterHeight === 1 && info.filterWidth === 1) ? "matmul" : "conv";
}

/** Forces one input-gradient formulation for every layer (tests, benchmarks); undefined = automatic. */
export function setInputGradMethod(method: InputGradMethod | undefined): void {
  inputGradOverride = method;
}

function conv2DBackpropInputWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4 };
  assertSupported("Conv2DBackpropInput", attrs);
  const info = convInfo(attrs.inputShape, filter.shape as Shape4, attrs);
  const strided = info.strideHeight > 1 || info.strideWidth > 1;
  const method = inputGradMethodFor(info);
  return withWasmKernelScope(backend, (scope) => {
    if (method === "matmul-transposed") return inputGradByMatmulTransposed(scope, dy, filter, info);
    return method === "conv" && !strided
      ? inputGradByConv(scope, dy, filter, info)
      : inputGradByMatmul(scope, dy, filter, info);
  });
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: BACKEND,
  kernelFunc: conv2DBackpropFilterWasm,
};

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropInput",
  backendName: BACKEND,
  kernelFunc: conv2DBackpropInputWasm,
};

const OUR_CONFIGS = [conv2DBackpropFilterConfig, conv2DBackpropInputConfig];

/** The kernels that were registered before ours, restored by `unregisterWasmGradKernels`. */
const replaced = new Map<string, tf.KernelConfig>();

/** Registers both convolution gradients for 'wasm', replacing the stock ones. Idempotent. */
export function registerWasmGradKernels(): void {
  for (const config of OUR_CONFIGS) {
    const current = tf.getKernel(config.kernelName, BACKEND);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) {
      replaced.set(config.kernelName, current);
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
