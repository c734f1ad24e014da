/**
 * Faster broadcasting for the wasm backend's non-XNNPACK binary kernels.
 *
 * In tfjs-backend-wasm 4.22 the comparisons (Equal, Greater, ...), Maximum/Minimum and Pow fall back
 * to a generic per-element broadcasting loop when the operand shapes differ: measured here 85 ms for
 * Equal([16,32,32,16], [16,32,32,1]) against 3.7 ms for equal shapes. Training hits this through the
 * gradient of every max reduction (tf.max / global max pooling, as in CBAM), which compares x with
 * the broadcast maximum; it was a quarter of a CBAM ResNet-18 training step.
 *
 * The replacement materialises each broadcast operand as `operand + zeros(outShape)` with the
 * XNNPACK Add (fast broadcasting, and exact: x + 0 = x for every float, −0 aside, which compares and
 * maxes equal to +0) and then runs the stock kernel on equal shapes.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { withWasmKernelScope } from "./wasm-kernel-scope";

const BACKEND = "wasm";
export const BROADCAST_WRAPPED_KERNELS = [
  "Equal",
  "NotEqual",
  "Greater",
  "GreaterEqual",
  "Less",
  "LessEqual",
  "Maximum",
  "Minimum",
  "Pow",
] as const;

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function broadcastingWrapper(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap }) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const scalar = (t: tf.TensorInfo) => t.shape.length === 0 || tf.util.sizeFromShape(t.shape) === 1;
    // The stock kernel is fast for equal shapes and for a scalar operand; only float32 is rerouted.
    if (sameShape(a.shape, b.shape) || scalar(a) || scalar(b) || a.dtype !== "float32" || b.dtype !== "float32") {
      return stock.kernelFunc(args);
    }
    const backend = args.backend as BackendWasm;
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    return withWasmKernelScope(backend, (scope) => {
      const zeros = scope.run("Fill", {}, { shape: outShape, value: 0, dtype: "float32" });
      const full = (t: tf.TensorInfo) => (sameShape(t.shape, outShape) ? t : scope.run("Add", { a: t, b: zeros }));
      return scope.runConfig(stock, { a: full(a), b: full(b) }, args.attrs);
    });
  };
  // Keep the stock setup so that registering before the backend starts still initialises it.
  return {
    kernelName: stock.kernelName,
    backendName: BACKEND,
    kernelFunc: kernelFunc,
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
  };
}

const ourConfigs = new Map<string, tf.KernelConfig>();

/** Wraps the listed kernels for 'wasm' (after the wasm package is imported). Idempotent. */
export function registerWasmBroadcastKernels(): void {
  for (const name of BROADCAST_WRAPPED_KERNELS) {
    const current = tf.getKernel(name, BACKEND);
    if (current === undefined) continue;
    if (ourConfigs.get(name)?.kernelFunc === current.kernelFunc) continue;
    const ours = broadcastingWrapper(current);
    ourConfigs.set(name, ours);
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel(ours);
  }
}

export function wasmBroadcastKernelsRegistered(): boolean {
  return BROADCAST_WRAPPED_KERNELS.every((name) => {
    const ours = ourConfigs.get(name);
    return ours !== undefined && tf.getKernel(name, BACKEND)?.kernelFunc === ours.kernelFunc;
  });
}
