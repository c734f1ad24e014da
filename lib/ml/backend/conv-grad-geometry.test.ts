import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { antiIdentity, planFilterGradAxis, planInputGradAxis } from "./conv-grad-geometry";

// One spatial axis, single channel: brute-force gradients straight from the definition of the
// forward correlation y[o] = Σ_k x[o·s + k − padBefore] · w[k], against the plans' reformulation.

function seq(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 3);
}

function bruteGrads(x: number[], w: number[], dy: number[], s: number, pt: number) {
  const dx = new Array(x.length).fill(0);
  const dw = new Array(w.length).fill(0);
  dy.forEach((g, o) => {
    w.forEach((wk, k) => {
      const i = o * s + k - pt;
      if (i < 0 || i >= x.length) return;
      dx[i] += g * wk;
      dw[k] += g * x[i];
    });
  });
  return { dx, dw };
}

/** valid correlation of `input` (zero-padded by before/after) with `filter` dilated by `dil` */
function correlate(input: number[], filter: number[], before: number, after: number, dil: number): number[] {
  const padded = [...new Array<number>(before).fill(0), ...input, ...new Array<number>(after).fill(0)];
  const outLen = padded.length - (filter.length - 1) * dil;
  return Array.from({ length: outLen }, (_, p) => filter.reduce((acc, f, j) => acc + f * padded[p + j * dil], 0));
}

function viaPlans(x: number[], w: number[], dy: number[], s: number, pt: number) {
  const k = w.length;
  const fp = planFilterGradAxis(x.length, k, s, pt, dy.length);
  const dwFull = correlate(x, dy, fp.padBefore, fp.padAfter, s);
  assert.equal(dwFull.length, k + fp.cropOutputAfter);
  const dw = dwFull.slice(0, k);

  const ip = planInputGradAxis(x.length, k, s, pt, dy.length);
  const dilated = new Array<number>(ip.dilatedSize).fill(0);
  dy.forEach((g, o) => (dilated[o * s] = g));
  const cropped = dilated.slice(ip.cropBefore, ip.dilatedSize - ip.cropAfter);
  const dx = correlate(cropped, [...w].reverse(), ip.padBefore, ip.padAfter, 1);
  return { dx, dw };
}

describe("convolution gradient plans (1-D brute force)", () => {
  test("match the definition for kernels 1-7, strides 1-3, all paddings 0..k", () => {
    let cases = 0;
    for (const k of [1, 2, 3, 5, 7]) {
      for (const s of [1, 2, 3]) {
        for (const inSize of [k, k + 1, 8, 9, 13]) {
          for (let pt = 0; pt <= k; pt++) {
            for (let pb = 0; pb <= k; pb++) {
              const outSize = Math.floor((pt + inSize + pb - k) / s) + 1;
              if (outSize < 1) continue;
              const x = seq(inSize, 1 + k);
              const w = seq(k, 2 + s);
              const dy = seq(outSize, 3 + pt);
              const want = bruteGrads(x, w, dy, s, pt);
              const got = viaPlans(x, w, dy, s, pt);
              const ctx = `k=${k} s=${s} in=${inSize} pad=${pt}/${pb}`;
              assert.equal(got.dx.length, inSize, ctx);
              got.dx.forEach((v, i) => assert.ok(Math.abs(v - want.dx[i]) < 1e-9, `dx ${ctx}`));
              got.dw.forEach((v, i) => assert.ok(Math.abs(v - want.dw[i]) < 1e-9, `dw ${ctx}`));
              cases++;
            }
          }
        }
      }
    }
    assert.ok(cases > 500);
  });

  test("'same' stride-2 3x3 on an even input needs no cropping", () => {
    // tfjs 'same' for in=64, k=3, s=2: out=32, total pad 1 -> top 0, bottom 1.
    assert.deepEqual(planInputGradAxis(64, 3, 2, 0, 32), {
      dilatedSize: 64,
      cropBefore: 0,
      cropAfter: 0,
      padBefore: 2,
      padAfter: 0,
    });
    assert.deepEqual(planFilterGradAxis(64, 3, 2, 0, 32), { padBefore: 0, padAfter: 1, cropOutputAfter: 0 });
  });

  test("anti-identity reverses the flattened kernel taps", () => {
    const j = antiIdentity(3);
    assert.deepEqual(Array.from(j), [0, 0, 1, 0, 1, 0, 1, 0, 0]);
  });
});
