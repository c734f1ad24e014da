/**
 * Data-movement kernels for the tfjs 'wasm' backend.
 *
 * Identity, and Cast to the same dtype, share the input's data (reference counted, as the cpu backend
 * and the wasm Reshape do) instead of copying it. The engine clones every tensor an op saves for its
 * gradient through Identity, so the stock copying kernel copied ~800 activations per training step.
 * Sharing is safe because tensor data is immutable: kernels always write into fresh outputs and a
 * variable's assign() swaps its data rather than overwriting it.
 *
 * Slice and PadV2 on NHWC float32 tensors whose channel axis is untouched, as whole-row copies.
 *
 * Why: the ResNet's explicit paddings (torchvision's) are PadV2 forward and Slice backward. The stock
 * wasm Slice copies one run of C floats per pixel through a `subarray().set()` call, which at width 0.25
 * (C = 16) is ~65k calls per slice and showed up as the largest non-convolution cost of a training step.
 * Here a run is a whole image row (W x C floats). Every other case goes to the stock kernel.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

const BACKEND = "wasm";
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function heap(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Copies rows.n x rows.h runs of `runLength` floats, each from srcIndex(n, h) to dstIndex(n, h). */
function copyRows(
  src: Float32Array,
  dst: Float32Array,
  rows: { n: number; h: number },
  srcIndex: (n: number, h: number) => number,
  dstIndex: (n: number, h: number) => number,
  runLength: number,
): void {
  for (let n = 0; n < rows.n; n++) {
    for (let h = 0; h < rows.h; h++) {
      const s = srcIndex(n, h);
      dst.set(src.subarray(s, s + runLength), dstIndex(n, h));
    }
  }
}

function makeSlice(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
    const shape = x.shape;
    if (x.dtype !== "float32" || shape.length !== 4 || b[3] !== 0 || s[3] !== shape[3]) {
      return stock.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const [, H, W, C] = shape;
    const out = backend.makeOutput(s, "float32");
    copyRows(
      heap(backend, x),
      heap(backend, out),
      { n: s[0], h: s[1] },
      (n, h) => (((n + b[0]) * H + h + b[1]) * W + b[2]) * C,
      (n, h) => (n * s[1] + h) * s[2] * C,
      s[2] * C,
    );
    return out;
  };
  return { kernelName: "Slice", backendName: BACKEND, kernelFunc: kernelFunc };
}

function makePad(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { paddings, constantValue } = args.attrs as unknown as {
      paddings: Array<[number, number]>;
      constantValue: number;
    };
    const shape = x.shape;
    if (x.dtype !== "float32" || shape.length !== 4 || paddings[3][0] !== 0 || paddings[3][1] !== 0) {
      return stock.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const [N, H, W, C] = shape;
    const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    const [, OH, OW] = outShape;
    const out = backend.makeOutput(outShape, "float32");
    const dst = heap(backend, out);
    dst.fill(constantValue);
    const [pn, ph, pw] = [paddings[0][0], paddings[1][0], paddings[2][0]];
    copyRows(
      heap(backend, x),
      dst,
      { n: N, h: H },
      (n, h) => (n * H + h) * W * C,
      (n, h) => (((n + pn) * OH + h + ph) * OW + pw) * C,
      W * C,
    );
    return out;
  };
  return { kernelName: "PadV2", backendName: BACKEND, kernelFunc: kernelFunc };
}

function share(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function makeIdentity(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === "string") return stock.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    return share(args.backend as BackendWasm, x);
  };
  return { kernelName: "Identity", backendName: BACKEND, kernelFunc: kernelFunc };
}

function makeCast(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    if (x.dtype !== dtype || dtype === "string")
      return stock.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    return share(args.backend as BackendWasm, x);
  };
  return { kernelName: "Cast", backendName: BACKEND, kernelFunc: kernelFunc };
}

let installed = false;

/** Registers these over the stock wasm kernels (which remain the fallback). Idempotent. */
export function registerWasmCopyKernels(): void {
  if (installed) return;
  const stock = ["Slice", "PadV2", "Identity", "Cast"].map((name) => {
    const config = tf.getKernel(name, BACKEND);
    if (config === undefined) throw new Error(`wasm backend has no '${name}' kernel to wrap`);
    return config;
  });
  const ours = [makeSlice(stock[0]), makePad(stock[1]), makeIdentity(stock[2]), makeCast(stock[3])];
  for (const config of ours) {
    tf.unregisterKernel(config.kernelName, BACKEND);
    tf.registerKernel(config);
  }
  installed = true;
}
