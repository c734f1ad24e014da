// Shared by the kernel tests that compare the wasm backend with the cpu backend.
import assert from "node:assert/strict";

/** Deterministic values in [-1, 1) (LCG), so both backends see identical inputs. */
export function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Largest absolute difference relative to the largest reference magnitude. */
export function relativeError(got: Float32Array, want: Float32Array): number {
  assert.equal(got.length, want.length);
  let maxDiff = 0;
  let scale = 1e-6;
  for (let i = 0; i < want.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return maxDiff / scale;
}
