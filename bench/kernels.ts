/**
 * Micro-benchmark of the convolution kernels on the wasm backend, for ResNet-18 layer shapes: the
 * native AVX2/FMA kernels (when the optional addon is built), then forward Conv2D vs. our XNNPACK-based
 * Conv2DBackpropInput / Conv2DBackpropFilter vs. the stock wasm Conv2DBackpropInput (a scalar loop).
 * Single-threaded, like WASM in Node.
 *
 *   npx tsx bench/kernels.ts            # batch 16, 64x64, 64 channels
 *   npx tsx bench/kernels.ts --quick    # smaller shapes, stock kernel skipped
 *   npx tsx bench/kernels.ts --only=layer4  # only the layers whose label contains "layer4"
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import {
  loadNativeAddon,
  nativeKernelsRegistered,
  registerNativeKernels,
  unregisterNativeKernels,
} from "@/lib/ml/backend/native-kernels";
import {
  registerWasmGradKernels,
  setInputGradMethod,
  unregisterWasmGradKernels,
} from "@/lib/ml/backend/wasm-grad-kernels";

interface LayerShape {
  label: string;
  batch: number;
  size: number;
  inC: number;
  outC: number;
  kernel: number;
  stride: number;
}

const quick = process.argv.includes("--quick");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const layers: LayerShape[] = quick
  ? [{ label: "3x3/1 c16 32px b8", batch: 8, size: 32, inC: 16, outC: 16, kernel: 3, stride: 1 }]
  : [
      { label: "stage1 3x3/1 c64 64px b16", batch: 16, size: 64, inC: 64, outC: 64, kernel: 3, stride: 1 },
      { label: "stage2 3x3/2 c64->128 64px b16", batch: 16, size: 64, inC: 64, outC: 128, kernel: 3, stride: 2 },
      { label: "stem 7x7/2 c3->64 128px b16", batch: 16, size: 128, inC: 3, outC: 64, kernel: 7, stride: 2 },
      // ResNet-18 width 1 at 64 px, batch 16 (the training benchmark's shapes)
      { label: "layer1 3x3/1 c64 16px b16", batch: 16, size: 16, inC: 64, outC: 64, kernel: 3, stride: 1 },
      { label: "layer2 3x3/2 c64->128 16px b16", batch: 16, size: 16, inC: 64, outC: 128, kernel: 3, stride: 2 },
      { label: "layer2 1x1/2 c64->128 16px b16", batch: 16, size: 16, inC: 64, outC: 128, kernel: 1, stride: 2 },
      { label: "layer3 3x3/1 c256 4px b16", batch: 16, size: 4, inC: 256, outC: 256, kernel: 3, stride: 1 },
      { label: "layer4 3x3/1 c512 2px b16", batch: 16, size: 2, inC: 512, outC: 512, kernel: 3, stride: 1 },
    ];

function medianMs(runs: number, f: () => tf.Tensor): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = f();
    out.dataSync();
    times.push(performance.now() - t0);
    out.dispose();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function bench(layer: LayerShape, withStock: boolean): Record<string, number> {
  const { batch, size, inC, outC, kernel, stride } = layer;
  const x = tf.randomNormal<tf.Rank.R4>([batch, size, size, inC], 0, 1, "float32", 1);
  const w = tf.randomNormal<tf.Rank.R4>([kernel, kernel, inC, outC], 0, 0.1, "float32", 2);
  const y = tf.conv2d(x, w, stride, "same");
  const dy = tf.randomNormal(y.shape, 0, 1, "float32", 3);
  const attrs = { strides: [stride, stride], pad: "same", dataFormat: "NHWC", dimRoundingMode: undefined };
  const backpropInput = () =>
    tf
      .engine()
      .runKernel<tf.Tensor>("Conv2DBackpropInput", { dy, filter: w }, { ...attrs, inputShape: x.shape } as never);
  const backpropFilter = () =>
    tf.engine().runKernel<tf.Tensor>("Conv2DBackpropFilter", { x, dy }, { ...attrs, filterShape: w.shape } as never);

  const result: Record<string, number> = {};
  const native = loadNativeAddon();
  if ("addon" in native && nativeKernelsRegistered()) {
    result["forward Conv2D (native)"] = medianMs(5, () => tf.conv2d(x, w, stride, "same"));
    result["Conv2DBackpropInput (native)"] = medianMs(5, backpropInput);
    result["Conv2DBackpropFilter (native)"] = medianMs(5, backpropFilter);
    unregisterNativeKernels();
  }
  try {
    wasmFigures(result);
  } finally {
    if ("addon" in native) registerNativeKernels(native.addon);
  }
  tf.dispose([x, w, y, dy]);
  return result;

  function wasmFigures(result: Record<string, number>): void {
    result["forward Conv2D (XNNPACK)"] = medianMs(5, () => tf.conv2d(x, w, stride, "same"));
    result["Conv2DBackpropInput (wasm, automatic)"] = medianMs(5, backpropInput);
    // Every formulation, to check the automatic choice (inputGradMethodFor in wasm-grad-kernels.ts).
    for (const method of ["conv", "matmul", "matmul-transposed"] as const) {
      if (method === "conv" && stride > 1) continue; // strided layers never use the zero-inserted convolution
      setInputGradMethod(method);
      try {
        result[`Conv2DBackpropInput (${method})`] = medianMs(5, backpropInput);
      } finally {
        setInputGradMethod(undefined);
      }
    }
    result["Conv2DBackpropFilter (wasm)"] = medianMs(5, backpropFilter);
    if (withStock) {
      unregisterWasmGradKernels();
      try {
        result["Conv2DBackpropInput (stock wasm)"] = medianMs(1, backpropInput);
      } finally {
        registerWasmGradKernels();
      }
    }
  }
}

async function main(): Promise<void> {
  const { name } = await initBackend();
  if (name !== "wasm") console.warn(`backend is ${name}, not wasm: the stock comparison is skipped`);
  for (const layer of layers.filter((l) => !only || l.label.includes(only))) {
    const r = bench(layer, name === "wasm" && !quick);
    console.log(`\n${layer.label}`);
    for (const [k, ms] of Object.entries(r)) console.log(`  ${k.padEnd(36)} ${ms.toFixed(1).padStart(9)} ms`);
  }
  console.log(`\nengine tensors left: ${tf.memory().numTensors}`);
}

void main();
