import { describe, test } from "node:test";
import assert from "node:assert/strict";
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

function lcg(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

function geometry(
  h: number,
  w: number,
  c: number,
  k: [number, number],
  s: [number, number],
  pad: [number, number],
  padAfter: [number, number],
): ConvGeometry {
  return {
    inHeight: h,
    inWidth: w,
    inChannels: c,
    outHeight: Math.floor((h + pad[0] + padAfter[0] - k[0]) / s[0]) + 1,
    outWidth: Math.floor((w + pad[1] + padAfter[1] - k[1]) / s[1]) + 1,
    outChannels: 1,
    filterHeight: k[0],
    filterWidth: k[1],
    strideHeight: s[0],
    strideWidth: s[1],
    padTop: pad[0],
    padLeft: pad[1],
  };
}

/** Straight from the definition: patch value or 0 in the padding. */
function naiveIm2colT(x: Float32Array, g: ConvGeometry, n: number): Float32Array {
  const p = n * g.outHeight * g.outWidth;
  const out = new Float32Array(g.filterHeight * g.filterWidth * g.inChannels * p);
  for (let i = 0; i < g.filterHeight; i++)
    for (let j = 0; j < g.filterWidth; j++)
      for (let c = 0; c < g.inChannels; c++)
        for (let b = 0; b < n; b++)
          for (let y = 0; y < g.outHeight; y++)
            for (let x0 = 0; x0 < g.outWidth; x0++) {
              const iy = y * g.strideHeight + i - g.padTop;
              const ix = x0 * g.strideWidth + j - g.padLeft;
              const inside = iy >= 0 && iy < g.inHeight && ix >= 0 && ix < g.inWidth;
              const row = (i * g.filterWidth + j) * g.inChannels + c;
              const col = (b * g.outHeight + y) * g.outWidth + x0;
              out[row * p + col] = inside ? x[((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c] : 0;
            }
  return out;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);

const CASES: [string, ConvGeometry, number][] = [
  ["3x3/1 same", geometry(5, 6, 3, [3, 3], [1, 1], [1, 1], [1, 1]), 2],
  ["3x3/2 asymmetric", geometry(7, 6, 2, [3, 3], [2, 2], [0, 1], [1, 0]), 3],
  ["7x7/2 pad 3", geometry(9, 9, 3, [7, 7], [2, 2], [3, 3], [3, 3]), 2],
  ["1x1/2", geometry(6, 5, 4, [1, 1], [2, 2], [0, 0], [0, 0]), 2],
  ["3x1 strides 2,1", geometry(8, 5, 2, [3, 1], [2, 1], [1, 0], [1, 0]), 1],
];

describe("conv-grad-layout", () => {
  for (const [label, g, n] of CASES) {
    test(`im2colTransposed matches the definition (${label})`, () => {
      const x = lcg(n * g.inHeight * g.inWidth * g.inChannels, 3);
      const xc = new Float32Array(x.length);
      toChannelMajor(x, g, 0, n, xc);
      const got = new Float32Array(g.filterHeight * g.filterWidth * g.inChannels * n * g.outHeight * g.outWidth).fill(
        NaN,
      );
      im2colTransposed(xc, g, n, got);
      assert.deepEqual(got, naiveIm2colT(x, g, n));
    });

    test(`col2im is the adjoint of im2col, in both layouts (${label})`, () => {
      // <im2col(x), cols> = <x, col2im(cols)> holds exactly for any x and cols iff col2im scatters correctly.
      const x = lcg(n * g.inHeight * g.inWidth * g.inChannels, 5);
      const rows = g.filterHeight * g.filterWidth * g.inChannels;
      const p = n * g.outHeight * g.outWidth;
      const colsT = lcg(rows * p, 7);
      const cols = new Float32Array(colsT.length);
      transpose2d(colsT, rows, p, cols);
      const lhs = dot(naiveIm2colT(x, g, n), colsT);
      const dx = new Float32Array(x.length);
      col2imAdd(cols, g, 0, n, dx);
      assert.ok(Math.abs(dot(x, dx) - lhs) < 1e-4 * Math.max(1, Math.abs(lhs)));
      const dxc = new Float32Array(x.length);
      col2imAddTransposed(colsT, g, n, dxc);
      const dx2 = new Float32Array(x.length);
      fromChannelMajor(dxc, g, 0, n, dx2);
      for (let i = 0; i < dx.length; i++) assert.ok(Math.abs(dx[i] - dx2[i]) < 1e-5, `element ${i}`);
    });
  }

  test("toChannelMajor and fromChannelMajor are inverse on a sub-range of images", () => {
    const g = geometry(3, 4, 5, [1, 1], [1, 1], [0, 0], [0, 0]);
    const x = lcg(4 * 3 * 4 * 5, 9);
    const xc = new Float32Array(2 * 3 * 4 * 5);
    toChannelMajor(x, g, 1, 2, xc);
    assert.equal(xc[1 * (2 * 12) + 0], x[(1 * 12 + 0) * 5 + 1]); // channel 1 of image 1, first pixel
    const back = new Float32Array(x.length);
    fromChannelMajor(xc, g, 1, 2, back);
    assert.deepEqual(back.subarray(60, 180), x.subarray(60, 180));
    assert.ok(back.subarray(0, 60).every((v) => v === 0));
  });

  test("transpose2d on sizes that are not multiples of its block", () => {
    const src = lcg(37 * 70, 11);
    const out = new Float32Array(src.length);
    transpose2d(src, 37, 70, out);
    for (let r = 0; r < 37; r++) for (let c = 0; c < 70; c++) assert.equal(out[c * 37 + r], src[r * 70 + c]);
  });

  test("rotateSwapFilter: out[kh,kw,co,c] = w[KH-1-kh, KW-1-kw, c, co]", () => {
    const [kh, kw, c, co] = [3, 2, 4, 5];
    const w = lcg(kh * kw * c * co, 13);
    const out = new Float32Array(w.length);
    rotateSwapFilter(w, kh, kw, c, co, out);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let a = 0; a < c; a++)
          for (let b = 0; b < co; b++)
            assert.equal(
              out[((i * kw + j) * co + b) * c + a],
              w[(((kh - 1 - i) * kw + (kw - 1 - j)) * c + a) * co + b],
            );
  });
});
