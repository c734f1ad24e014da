import * as tf from "@tensorflow/tfjs";

/** Deterministic pseudo-random numbers in [-1, 1) for test tensors (mulberry32). */
export function seededValues(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function seededTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    seededValues(n, seed).map((v) => v * scale),
    shape,
  );
}

export interface GradientComparison {
  checked: number;
  /** max |numeric - analytic| / (atol + rtol * |analytic|); <= 1 passes */
  worstRatio: number;
  worst: { index: number; numeric: number; analytic: number } | null;
}

/**
 * Compares an analytic gradient with central finite differences of a scalar function of one tensor's
 * values. `evaluate` must compute the function for a given Float32Array of the tensor's values.
 */
export function compareWithFiniteDifferences(
  values: Float32Array,
  analytic: Float32Array,
  evaluate: (v: Float32Array) => number,
  opts: { h?: number; atol?: number; rtol?: number; maxChecks?: number } = {},
): GradientComparison {
  const h = opts.h ?? 2e-3;
  const atol = opts.atol ?? 2e-3;
  const rtol = opts.rtol ?? 2e-2;
  const stride = Math.max(1, Math.ceil(values.length / (opts.maxChecks ?? 64)));
  let worstRatio = 0;
  let worst: GradientComparison["worst"] = null;
  let checked = 0;
  for (let i = 0; i < values.length; i += stride) {
    const v = values.slice();
    v[i] = values[i] + h;
    const up = evaluate(v);
    v[i] = values[i] - h;
    const down = evaluate(v);
    const numeric = (up - down) / (2 * h);
    const ratio = Math.abs(numeric - analytic[i]) / (atol + rtol * Math.abs(analytic[i]));
    if (ratio >= worstRatio) {
      worstRatio = ratio;
      worst = { index: i, numeric, analytic: analytic[i] };
    }
    checked++;
  }
  return { checked, worstRatio, worst };
}
