/**
 * Runs other kernels of the wasm backend from inside a kernel, the way the backend's own composite
 * kernels do: at the TensorInfo level, below the engine. Intermediates created this way are not
 * tracked by the engine (tf.memory() never sees them), so they must be released here by hand.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type KernelAttrs = tf.NamedAttrMap;

export class WasmKernelScope {
  private readonly owned: tf.TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Calls the wasm kernel `kernelName` and keeps its output for disposal at `dispose()`. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: KernelAttrs = {}): tf.TensorInfo {
    const config = tf.getKernel(kernelName, "wasm");
    if (config === undefined) throw new Error(`wasm backend has no '${kernelName}' kernel`);
    return this.runConfig(config, inputs, attrs);
  }

  /** Like `run`, for a specific kernel config (e.g. the stock one that a replacement wraps). */
  runConfig(config: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, attrs: KernelAttrs = {}): tf.TensorInfo {
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`wasm kernel '${config.kernelName}' returned several outputs`);
    this.owned.push(out);
    return out;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run("Transpose", { x }, { perm });
  }

  pad(x: tf.TensorInfo, paddings: Array<[number, number]>): tf.TensorInfo {
    return this.run("PadV2", { x }, { paddings, constantValue: 0 });
  }

  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    return this.run("Slice", { x }, { begin, size });
  }

  /** A float32 tensor on the wasm heap filled from `values`. */
  constant(shape: number[], values: Float32Array): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, "float32");
    (this.backend.typedArrayFromHeap(out) as Float32Array).set(values);
    this.owned.push(out);
    return out;
  }

  /** An uninitialised float32 tensor on the wasm heap, to be filled through `heap()`. */
  alloc(shape: number[]): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, "float32");
    this.owned.push(out);
    return out;
  }

  /**
   * A Float32Array view of `t` on the wasm heap. Any later allocation may grow the heap and detach
   * the view, so take it right before use.
   */
  heap(t: tf.TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(t) as Float32Array;
  }

  /** Frees `t` now rather than at `dispose()` (large intermediates inside a loop). */
  free(t: tf.TensorInfo): void {
    const i = this.owned.lastIndexOf(t);
    if (i < 0) return;
    this.owned.splice(i, 1);
    this.backend.disposeData(t.dataId);
  }

  /** Stops tracking `t` so it survives `dispose()` (the kernel's result). */
  release(t: tf.TensorInfo): tf.TensorInfo {
    const i = this.owned.lastIndexOf(t);
    if (i >= 0) this.owned.splice(i, 1);
    return t;
  }

  dispose(): void {
    // Reshape/Identity share data by reference counting, so each owned info is released exactly once.
    for (const t of this.owned) this.backend.disposeData(t.dataId);
    this.owned.length = 0;
  }
}

/** Runs `body` with a fresh scope; everything it created except the returned info is freed. */
export function withWasmKernelScope(
  backend: BackendWasm,
  body: (scope: WasmKernelScope) => tf.TensorInfo,
): tf.TensorInfo {
  const scope = new WasmKernelScope(backend);
  try {
    return scope.release(body(scope));
  } finally {
    scope.dispose();
  }
}
