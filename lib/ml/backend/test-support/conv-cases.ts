// Convolution cases (kernel x stride x padding grid) and the check that the wasm backend's conv gradients
// match the cpu backend's; shared by the pure-wasm and the native kernel tests.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { relativeError, values } from "./compare-backends";

export type Pad = "same" | "valid" | tf.backend_util.ExplicitPadding;
export interface ConvCase {
  n: number;
  h: number;
  w: number;
  c: number;
  co: number;
  kh: number;
  kw: number;
  stride: number | [number, number];
  pad: Pad;
}

/** dL/dx, dL/dW (and dL/db when fused) of conv2d on `backend`, with an explicit upstream gradient. */
export async function convGrads(backend: string, cc: ConvCase, fused: boolean): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(cc.n * cc.h * cc.w * cc.c, 1), [cc.n, cc.h, cc.w, cc.c]);
    const w = tf.tensor4d(values(cc.kh * cc.kw * cc.c * cc.co, 2), [cc.kh, cc.kw, cc.c, cc.co]);
    const b = tf.tensor1d(values(cc.co, 3));
    const forward = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
      fused
        ? tf.fused.conv2d({
            x: xi as tf.Tensor4D,
            filter: wi as tf.Tensor4D,
            strides: cc.stride,
            pad: cc.pad,
            bias: bi,
            activation: "relu",
          })
        : tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, cc.stride, cc.pad);
    const y = forward(x, w, b);
    const dy = tf.tensor(values(y.size, 4), y.shape);
    const inputs = fused ? [x, w, b] : [x, w];
    const grads = tf.grads((...args: tf.Tensor[]) => forward(args[0], args[1], args[2] ?? b))(inputs, dy);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

export async function assertMatchesCpu(cc: ConvCase, fused = false): Promise<void> {
  const want = await convGrads("cpu", cc, fused);
  const got = await convGrads("wasm", cc, fused);
  const names = ["dx", "dW", "db"];
  got.forEach((g, i) => {
    const err = relativeError(g, want[i]);
    assert.ok(err < 1e-4, `${names[i]} relative error ${err.toExponential(2)} for ${JSON.stringify(cc)}`);
  });
}

const explicitPads: tf.backend_util.ExplicitPadding[] = [
  [
    [0, 0],
    [1, 2],
    [0, 1],
    [0, 0],
  ],
  [
    [0, 0],
    [3, 0],
    [2, 2],
    [0, 0],
  ],
];

/** kernel x stride x padding, with shapes (batch, size, channels) rotating through odd/non-square ones. */
export function gridCases(): ConvCase[] {
  const shapes = [
    { n: 1, h: 9, w: 7, c: 3, co: 2 },
    { n: 2, h: 8, w: 11, c: 1, co: 4 },
    { n: 3, h: 10, w: 10, c: 5, co: 3 },
    { n: 2, h: 13, w: 9, c: 4, co: 5 },
  ];
  const cases: ConvCase[] = [];
  let i = 0;
  for (const k of [1, 3, 7]) {
    for (const stride of [1, 2]) {
      for (const pad of ["same", "valid", explicitPads[i % 2]] as Pad[]) {
        cases.push({ ...shapes[i % shapes.length], kh: k, kw: k, stride, pad });
        i++;
      }
    }
  }
  return cases;
}
