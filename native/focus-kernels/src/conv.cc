// Convolutions as GEMMs over im2col patches, processed a block of output pixels at a time so the
// patch matrix stays within a few MiB whatever the layer:
//   forward          y[m, :]   = patches[m, :] * W           (W is HWIO = [KH*KW*C, Co] row-major)
//   filter gradient  dW       += patches[block]^T * dy[block]   (dW^T += dy^T * patches for <= 32 outputs)
//   input gradient   dx       += col2im(dy[block] * W^T)        (col2im of (W * dy^T) for few pixels)
// A 1x1, stride-1, unpadded layer uses x (or dx) itself as the patch matrix.
#include "conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"

namespace focus {
namespace {

// Patches per block: 256 KiB, so a block is still in L2 when the GEMM packs it, unless the filter is large,
// when the GEMM's re-packing of the filter for every block would cost more than L2 saves (then 2 MiB).
// Measured at 64 px, batch 16: the width-0.25 stem's three kernels 10-12 % faster with the small blocks;
// width-1 layer2 20 % slower with them.
constexpr long kPatchBudgetFloats = 512 * 1024;
constexpr long kSmallPatchBudgetFloats = 64 * 1024;
constexpr long kSmallFilterFloats = 64 * 1024;

struct PixelRange {
  int n, ih0, iw0;
};

inline PixelRange pixelOrigin(const ConvGeometry& g, long m) {
  const int ow = static_cast<int>(m % g.OW);
  const long t = m / g.OW;
  const int oh = static_cast<int>(t % g.OH);
  const int n = static_cast<int>(t / g.OH);
  return {n, oh * g.strideH - g.padTop, ow * g.strideW - g.padLeft};
}

bool isPointwise(const ConvGeometry& g) {
  return g.KH == 1 && g.KW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 &&
         g.OH == g.H && g.OW == g.W;
}

long blockRows(const ConvGeometry& g) {
  const long k = static_cast<long>(g.KH) * g.KW * g.C;
  const long budget = k * g.Co <= kSmallFilterFloats ? kSmallPatchBudgetFloats : kPatchBudgetFloats;
  return std::max<long>(120, budget / std::max<long>(1, k));
}

// The valid kw range of one filter row: input columns iw0 + kw inside [0, W).
inline void validColumns(const ConvGeometry& g, int iw0, int* kwBegin, int* kwEnd) {
  *kwBegin = std::min(g.KW, std::max(0, -iw0));
  *kwEnd = std::min(g.KW, g.W - iw0);
  if (*kwEnd < *kwBegin) *kwEnd = *kwBegin;
}

void im2colRows(const ConvGeometry& g, const float* x, long m0, long rows, float* patches) {
  const long rowLen = static_cast<long>(g.KW) * g.C;
  for (long r = 0; r < rows; ++r) {
    const PixelRange o = pixelOrigin(g, m0 + r);
    float* dst = patches + r * g.KH * rowLen;
    int kwBegin, kwEnd;
    validColumns(g, o.iw0, &kwBegin, &kwEnd);
    for (int kh = 0; kh < g.KH; ++kh, dst += rowLen) {
      const int ih = o.ih0 + kh;
      if (ih < 0 || ih >= g.H || kwBegin == kwEnd) {
        std::memset(dst, 0, sizeof(float) * rowLen);
        continue;
      }
      // Within one filter row the valid taps read one contiguous run of the input row.
      std::memset(dst, 0, sizeof(float) * kwBegin * g.C);
      const float* src = x + ((static_cast<long>(o.n) * g.H + ih) * g.W + o.iw0 + kwBegin) * g.C;
      std::memcpy(dst + kwBegin * g.C, src, sizeof(float) * (kwEnd - kwBegin) * g.C);
      std::memset(dst + kwEnd * g.C, 0, sizeof(float) * (g.KW - kwEnd) * g.C);
    }
  }
}

__attribute__((target("avx2,fma"))) inline void addInto(float* dst, const float* src, long n) {
  for (long i = 0; i < n; ++i) dst[i] += src[i];
}

void col2imAddRows(const ConvGeometry& g, const float* patches, long m0, long rows, float* dx) {
  const long rowLen = static_cast<long>(g.KW) * g.C;
  for (long r = 0; r < rows; ++r) {
    const PixelRange o = pixelOrigin(g, m0 + r);
    const float* src = patches + r * g.KH * rowLen;
    int kwBegin, kwEnd;
    validColumns(g, o.iw0, &kwBegin, &kwEnd);
    for (int kh = 0; kh < g.KH; ++kh, src += rowLen) {
      const int ih = o.ih0 + kh;
      if (ih < 0 || ih >= g.H || kwBegin == kwEnd) continue;
      float* dst = dx + ((static_cast<long>(o.n) * g.H + ih) * g.W + o.iw0 + kwBegin) * g.C;
      addInto(dst, src + kwBegin * g.C, static_cast<long>(kwEnd - kwBegin) * g.C);
    }
  }
}

std::vector<float>& patchBuffer(long floats) {
  static thread_local std::vector<float> buf;
  if (static_cast<long>(buf.size()) < floats) buf.resize(floats);
  return buf;
}

}  // namespace

void conv2dForward(const ConvGeometry& g, const float* x, const float* filter, float* y) {
  const long M = static_cast<long>(g.N) * g.OH * g.OW;
  const long K = static_cast<long>(g.KH) * g.KW * g.C;
  if (isPointwise(g)) {
    sgemm(M, g.Co, K, x, K, 1, filter, g.Co, 1, y, g.Co, false);
    return;
  }
  const long block = std::min(M, blockRows(g));
  float* patches = patchBuffer(block * K).data();
  for (long m0 = 0; m0 < M; m0 += block) {
    const long rows = std::min(block, M - m0);
    im2colRows(g, x, m0, rows, patches);
    sgemm(rows, g.Co, K, patches, K, 1, filter, g.Co, 1, y + m0 * g.Co, g.Co, false);
  }
}

void conv2dBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter) {
  const long M = static_cast<long>(g.N) * g.OH * g.OW;
  const long K = static_cast<long>(g.KH) * g.KW * g.C;
  if (isPointwise(g)) {
    sgemm(K, g.Co, M, x, 1, K, dy, g.Co, 1, dFilter, g.Co, false);
    return;
  }
  const long block = std::min(M, blockRows(g));
  float* patches = patchBuffer(block * K).data();
  if (g.Co <= 32) {
    // Few output channels (the stem, narrow networks): dWᵀ = dyᵀ · patches reads the patch rows as B,
    // contiguously, instead of gathering them column-wise as Aᵀ; dWᵀ is small and transposed at the end.
    static thread_local std::vector<float> dFilterT;
    dFilterT.resize(K * g.Co);
    for (long m0 = 0; m0 < M; m0 += block) {
      const long rows = std::min(block, M - m0);
      im2colRows(g, x, m0, rows, patches);
      sgemm(g.Co, K, rows, dy + m0 * g.Co, 1, g.Co, patches, K, 1, dFilterT.data(), K, m0 > 0);
    }
    for (long k = 0; k < K; ++k)
      for (int co = 0; co < g.Co; ++co) dFilter[k * g.Co + co] = dFilterT[co * K + k];
    return;
  }
  for (long m0 = 0; m0 < M; m0 += block) {
    const long rows = std::min(block, M - m0);
    im2colRows(g, x, m0, rows, patches);
    sgemm(K, g.Co, rows, patches, 1, K, dy + m0 * g.Co, g.Co, 1, dFilter, g.Co, m0 > 0);
  }
}

// Deep layers on small maps (few output pixels, a large filter): dcolsᵀ = W · dyᵀ packs the filter once as
// A, in its stored layout, instead of transposing it and packing Wᵀ for a handful of rows; col2im then reads
// the transposed patches.
void backpropInputTransposed(const ConvGeometry& g, const float* dy, const float* filter, float* dx, long M, long K) {
  static thread_local std::vector<float> patchesT;
  patchesT.resize(K * M);
  sgemm(K, M, g.Co, filter, g.Co, 1, dy, 1, g.Co, patchesT.data(), M, false);
  std::memset(dx, 0, sizeof(float) * g.inputSize());
  for (long m = 0; m < M; ++m) {
    const PixelRange o = pixelOrigin(g, m);
    for (int kh = 0; kh < g.KH; ++kh) {
      const int ih = o.ih0 + kh;
      if (ih < 0 || ih >= g.H) continue;
      for (int kw = 0; kw < g.KW; ++kw) {
        const int iw = o.iw0 + kw;
        if (iw < 0 || iw >= g.W) continue;
        float* dst = dx + ((static_cast<long>(o.n) * g.H + ih) * g.W + iw) * g.C;
        const float* src = patchesT.data() + (static_cast<long>(kh) * g.KW + kw) * g.C * M + m;
        for (int c = 0; c < g.C; ++c) dst[c] += src[c * M];
      }
    }
  }
}

void conv2dBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  const long M = static_cast<long>(g.N) * g.OH * g.OW;
  const long K = static_cast<long>(g.KH) * g.KW * g.C;
  if (M * 4 <= K && K * M <= kPatchBudgetFloats * 4) {
    backpropInputTransposed(g, dy, filter, dx, M, K);
    return;
  }
  // W^T as a row-major [Co, K] matrix, so the GEMM packs B with unit column stride.
  static thread_local std::vector<float> filterT;
  filterT.resize(K * g.Co);
  for (long k = 0; k < K; ++k)
    for (int co = 0; co < g.Co; ++co) filterT[co * K + k] = filter[k * g.Co + co];
  if (isPointwise(g)) {
    sgemm(M, K, g.Co, dy, g.Co, 1, filterT.data(), K, 1, dx, K, false);
    return;
  }
  std::memset(dx, 0, sizeof(float) * g.inputSize());
  const long block = std::min(M, blockRows(g));
  float* patches = patchBuffer(block * K).data();
  for (long m0 = 0; m0 < M; m0 += block) {
    const long rows = std::min(block, M - m0);
    sgemm(rows, K, g.Co, dy + m0 * g.Co, g.Co, 1, filterT.data(), K, 1, patches, K, false);
    col2imAddRows(g, patches, m0, rows, dx);
  }
}

}  // namespace focus
