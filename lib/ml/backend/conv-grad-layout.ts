/**
 * Layout passes for the matrix-product form of the convolution gradients (NHWC, dilation 1), written as
 * plain loops over Float32Arrays so they can run directly on the wasm heap.
 *
 * Why loops in JS: on tfjs-backend-wasm 4.22 (one thread) the native Transpose moves only ~80 M floats/s
 * and a BatchMatMul with transposeA/transposeB falls back to a scalar loop (10–40x slower than the
 * XNNPACK path), while the un-transposed BatchMatMul runs at ~20 GFLOP/s. So each gradient is one plain
 * XNNPACK matmul, and every layout change around it is one cache-friendly pass written here:
 *
 *   filter gradient  dW[(kh,kw,c), co] = Σ_p patchesᵀ[(kh,kw,c), p] · dy[p, co]   (im2colTransposed)
 *   input gradient   cols[p, (kh,kw,c)] = Σ_co dy[p, co] · W[(kh,kw,c), co]       (col2imAdd scatters cols)
 *
 * with p running over (n, oh, ow) — the im2col formulation of Chellapilla et al., "High Performance
 * Convolutional Neural Networks for Document Processing" (2006).
 */

/** The geometry of one forward convolution (tfjs' Conv2DInfo, reduced to what the passes need). */
export interface ConvGeometry {
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  /** forward zero padding before the first row / column */
  padTop: number;
  padLeft: number;
}

/**
 * x [N, H, W, C] -> channel-major copy [C, N, H, W] (images nStart .. nStart+nCount−1), so that
 * im2colTransposed reads each output row with a short constant stride.
 */
export function toChannelMajor(
  x: Float32Array,
  g: ConvGeometry,
  nStart: number,
  nCount: number,
  out: Float32Array,
): void {
  const { inHeight: h, inWidth: w, inChannels: c } = g;
  const plane = nCount * h * w;
  const base = nStart * h * w * c;
  for (let q = 0; q < plane; q++) {
    const src = base + q * c;
    for (let ch = 0; ch < c; ch++) out[ch * plane + q] = x[src + ch];
  }
}

/**
 * Transposed im2col: out[(kh·KW + kw)·C + c, p] = xpad[n, oh·sh + kh, ow·sw + kw, c], p = (n, oh, ow)
 * over the nCount images in `xc` (channel-major, from toChannelMajor). Zero where the window hangs over
 * the padding. Output: [KH·KW·C, nCount·OH·OW], row-major.
 */
export function im2colTransposed(xc: Float32Array, g: ConvGeometry, nCount: number, out: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  const p = nCount * oh * ow;
  const plane = nCount * h * w;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      // Valid output columns for this tap: 0 <= ow·sw + j − padLeft < W.
      const owLo = Math.max(0, Math.ceil((padLeft - j) / sw));
      const owHi = Math.min(ow, Math.floor((w - 1 + padLeft - j) / sw) + 1);
      for (let ch = 0; ch < c; ch++) {
        let dst = ((i * kw + j) * c + ch) * p;
        const chBase = ch * plane;
        for (let n = 0; n < nCount; n++) {
          const imgBase = chBase + n * h * w;
          for (let y = 0; y < oh; y++) {
            const iy = y * sh + i - padTop;
            if (iy < 0 || iy >= h) {
              out.fill(0, dst, dst + ow);
              dst += ow;
              continue;
            }
            const rowBase = imgBase + iy * w + j - padLeft;
            let x0 = 0;
            for (; x0 < owLo; x0++) out[dst++] = 0;
            for (; x0 < owHi; x0++) out[dst++] = xc[rowBase + x0 * sw];
            for (; x0 < ow; x0++) out[dst++] = 0;
          }
        }
      }
    }
  }
}

/**
 * col2im: dx[n, oh·sh + kh − padTop, ow·sw + kw − padLeft, c] += cols[p, (kh·KW + kw)·C + c] for the
 * nCount images starting at nStart; taps that land in the padding are dropped. `dx` must start zeroed.
 */
export function col2imAdd(cols: Float32Array, g: ConvGeometry, nStart: number, nCount: number, dx: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  const rowLen = kh * kw * c;
  let src = 0;
  for (let n = nStart; n < nStart + nCount; n++) {
    for (let y = 0; y < oh; y++) {
      for (let x0 = 0; x0 < ow; x0++, src += rowLen) {
        for (let i = 0; i < kh; i++) {
          const iy = y * sh + i - padTop;
          if (iy < 0 || iy >= h) continue;
          for (let j = 0; j < kw; j++) {
            const ix = x0 * sw + j - padLeft;
            if (ix < 0 || ix >= w) continue;
            const from = src + (i * kw + j) * c;
            const to = ((n * h + iy) * w + ix) * c;
            for (let ch = 0; ch < c; ch++) dx[to + ch] += cols[from + ch];
          }
        }
      }
    }
  }
}

/** Row-major [rows, cols] -> [cols, rows], blocked so both sides stay in cache. */
export function transpose2d(
  src: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  srcOffset = 0,
  outOffset = 0,
): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        const s = srcOffset + r * cols;
        for (let k = c0; k < c1; k++) out[outOffset + k * rows + r] = src[s + k];
      }
    }
  }
}

/**
 * Filter [KH, KW, C, Co] -> rotated by 180° in space with in/out channels swapped, [KH, KW, Co, C]:
 * the filter of the stride-1 input-gradient convolution (conv-grad-geometry.ts).
 */
export function rotateSwapFilter(
  w: Float32Array,
  kh: number,
  kw: number,
  c: number,
  co: number,
  out: Float32Array,
): void {
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) transpose2d(w, c, co, out, (taps - 1 - t) * c * co, t * c * co);
}

/**
 * col2im from the transposed columns: dxc[c, n, oh·sh + kh − padTop, ow·sw + kw − padLeft] +=
 * colsT[(kh·KW + kw)·C + c, p] for the nCount images in colsT (p = (n, oh, ow) within the chunk), into
 * a channel-major [C, nCount, H, W] buffer that must start zeroed. Each row of colsT is read once in order.
 */
export function col2imAddTransposed(colsT: Float32Array, g: ConvGeometry, nCount: number, dxc: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  const p = nCount * oh * ow;
  const plane = nCount * h * w;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const owLo = Math.max(0, Math.ceil((padLeft - j) / sw));
      const owHi = Math.min(ow, Math.floor((w - 1 + padLeft - j) / sw) + 1);
      for (let ch = 0; ch < c; ch++) {
        let src = ((i * kw + j) * c + ch) * p;
        const chBase = ch * plane;
        for (let n = 0; n < nCount; n++) {
          const imgBase = chBase + n * h * w;
          for (let y = 0; y < oh; y++, src += ow) {
            const iy = y * sh + i - padTop;
            if (iy < 0 || iy >= h) continue;
            const rowBase = imgBase + iy * w + j - padLeft;
            for (let x0 = owLo; x0 < owHi; x0++) dxc[rowBase + x0 * sw] += colsT[src + x0];
          }
        }
      }
    }
  }
}

/** Channel-major [C, nCount·H·W] back to channel-last, written into x at image nStart (inverse of toChannelMajor). */
export function fromChannelMajor(
  xc: Float32Array,
  g: ConvGeometry,
  nStart: number,
  nCount: number,
  x: Float32Array,
): void {
  const { inHeight: h, inWidth: w, inChannels: c } = g;
  const plane = nCount * h * w;
  const base = nStart * h * w * c;
  for (let q = 0; q < plane; q++) {
    const dst = base + q * c;
    for (let ch = 0; ch < c; ch++) x[dst + ch] = xc[ch * plane + q];
  }
}
