// Convolutions as GEMMs over im2col patches, processed a block of output pixels at a time so the
// patch matrix stays within a few MiB whatever the layer:
//   forward          y[m, :]   = patches[m, :] * W           (W is HWIO = [KH*KW*C, Co] row-major)
//   filter gradient  dW       += patches[block]^T * dy[block]   (dW^T += dy^T * patches for <= 32 outputs)
//   input gradient   dx       += col2im(dy[block] * W^T)        (col2im of (W * dy^T) for few pixels)
// A 1x1, stride-1, unpadded layer uses x (or dx) itself as the patch matrix. Stride-1 3x3 layers go to
// Winograd F(2x2, 3x3) for the forward pass and the input gradient (winograd.cc), 2.25x fewer multiply-adds.
//
// Threads (thread-pool.h): the forward pass splits the output pixels, the input gradient splits the batch by
// image (col2im of neighbouring pixels adds into the same dx elements, never across images), so both give
// the same result for any thread count. The filter gradient is a sum over every pixel: each chunk of pixels
// has its own partial sum, and the partials are added in order, so it depends on the thread count only.
#include "conv.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include "gemm.h"
#include "thread-pool.h"
#include "winograd.h"

namespace focus {
namespace {

// Patches per block: 256 KiB, so a block is still in L2 when the GEMM packs it, unless the filter is large,
// when the GEMM's re-packing of the filter for every block would cost more than L2 saves (then 2 MiB).
// Measured at 64 px, batch 16: the width-0.25 stem's three kernels 10-12 % faster with the small blocks;
// width-1 layer2 20 % slower with them.
constexpr long kPatchBudgetFloats = 512 * 1024;
constexpr long kSmallPatchBudgetFloats = 64 * 1024;
constexpr long kSmallFilterFloats = 64 * 1024;
// A filter above 1 MiB (ResNet's layer3 and layer4) no longer stays in L2, so every GEMM call that packs it
// again reads it from memory: per block at one thread, per block and per chunk on the pool, where two threads
// streaming it at once made these layers cost 1.7-2.5x the CPU time of one thread (224 px, batch 16). For them
// a chunk is one block, of up to kLargeFilterPatchFloats, and there is one chunk per thread.
constexpr long kLargeFilterFloats = 256 * 1024;
constexpr long kLargeFilterPatchFloats = 4L << 20;
// The filter gradient of such a layer, when the whole patch matrix is at most this, splits its output (rows
// of dW) instead of the pixels: no partial filters to add, and the same bits for any thread count.
constexpr long kWholePatchFloats = 8L << 20;

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

bool largeFilter(const ConvGeometry& g) { return g.filterSize() > kLargeFilterFloats; }

long blockRows(const ConvGeometry& g) {
  const long k = static_cast<long>(g.KH) * g.KW * g.C;
  const long budget = largeFilter(g)            ? kLargeFilterPatchFloats
                      : k * g.Co <= kSmallFilterFloats ? kSmallPatchBudgetFloats
                                                       : kPatchBudgetFloats;
  return std::max<long>(120, budget / std::max<long>(1, k));
}

// Chunks per thread: one for large filters (each chunk packs the filter again), else four for balance.
int chunksPerThread(const ConvGeometry& g) { return largeFilter(g) ? 1 : 4; }

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

// Below this many multiply-adds a chunk is not worth waking a thread for.
constexpr long kMinMacsPerChunk = 1L << 18;

long minRowsPerChunk(long macsPerRow) { return std::max<long>(1, kMinMacsPerChunk / std::max<long>(1, macsPerRow)); }

// out[0..n) = the sum over rows [0, M) computed by fn(begin, end, dst), which writes (not adds) the partial
// sum of its rows into dst. Chunk 0 writes into out, the others into scratch; chunks are added in order.
// Two chunks per thread: a partial is a whole filter, so more chunks would cost more in the final sum.
void sumOverRowChunks(long M, long minRows, long n, float* out, const std::function<void(long, long, float*)>& fn,
                      int perThread = 2) {
  const int chunks = chunksFor(M, minRows, perThread);
  static std::vector<float> partials;  // only the JavaScript thread calls the kernels
  if (chunks > 1 && static_cast<long>(partials.size()) < (chunks - 1) * n) partials.resize((chunks - 1) * n);
  runChunks(chunks, [&](int t) {
    long b, e;
    chunkRange(M, chunks, t, 1, &b, &e);
    float* dst = t == 0 ? out : partials.data() + (t - 1) * n;
    if (b < e)
      fn(b, e, dst);
    else
      std::memset(dst, 0, sizeof(float) * n);
  });
  if (chunks == 1) return;
  parallelRanges(n, 1L << 15, 16, [&](long b, long e) {
    for (int t = 1; t < chunks; ++t) {
      const float* p = partials.data() + (t - 1) * n;
      for (long i = b; i < e; ++i) out[i] += p[i];
    }
  });
}

// Runs fn(firstImage, endImage) over the batch cut into chunks of whole images.
void forImageChunks(const ConvGeometry& g, long macsPerImage, const std::function<void(int, int)>& fn) {
  parallelRanges(g.N, minRowsPerChunk(macsPerImage), 1, chunksPerThread(g),
                 [&](long b, long e) { fn(static_cast<int>(b), static_cast<int>(e)); });
}

}  // namespace

void conv2dForward(const ConvGeometry& g, const float* x, const float* filter, float* y) {
  const long M = static_cast<long>(g.N) * g.OH * g.OW;
  const long K = static_cast<long>(g.KH) * g.KW * g.C;
  if (isPointwise(g)) {
    sgemmParallel(M, g.Co, K, x, K, 1, filter, g.Co, 1, y, g.Co, false);
    return;
  }
  if (winogradApplies(g)) {
    winogradForward(g, x, filter, y);
    return;
  }
  const long block = std::min(M, blockRows(g));
  parallelRanges(M, minRowsPerChunk(K * g.Co), 12, chunksPerThread(g), [&](long begin, long end) {
    float* patches = patchBuffer(block * K).data();
    for (long m0 = begin; m0 < end; m0 += block) {
      const long rows = std::min(block, end - m0);
      im2colRows(g, x, m0, rows, patches);
      sgemm(rows, g.Co, K, patches, K, 1, filter, g.Co, 1, y + m0 * g.Co, g.Co, false);
    }
  });
}

void conv2dBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter) {
  const long M = static_cast<long>(g.N) * g.OH * g.OW;
  const long K = static_cast<long>(g.KH) * g.KW * g.C;
  const long minRows = minRowsPerChunk(K * g.Co);
  if (isPointwise(g)) {
    sumOverRowChunks(M, minRows, K * g.Co, dFilter, [&](long b, long e, float* dst) {
      sgemm(K, g.Co, e - b, x + b * K, 1, K, dy + b * g.Co, g.Co, 1, dst, g.Co, false);
    });
    return;
  }
  if (winogradApplies(g)) {
    winogradBackpropFilter(g, x, dy, dFilter);
    return;
  }
  const long block = std::min(M, blockRows(g));
  if (largeFilter(g) && M * K <= kWholePatchFloats) {
    // Few pixels, a large filter (layer3 and layer4): the whole patch matrix, then dW = patchesᵀ · dy cut by
    // rows of dW, each computed by one thread over every pixel.
    static std::vector<float> all;  // only the JavaScript thread calls the kernels
    if (static_cast<long>(all.size()) < M * K) all.resize(M * K);
    float* patches = all.data();
    parallelRanges(M, std::max<long>(1, (1L << 16) / K), 1, [&](long b, long e) { im2colRows(g, x, b, e - b, patches + b * K); });
    sgemmParallel(K, g.Co, M, patches, 1, K, dy, g.Co, 1, dFilter, g.Co, false);
    return;
  }
  if (g.Co <= 32) {
    // Few output channels (the stem, narrow networks): dWᵀ = dyᵀ · patches reads the patch rows as B,
    // contiguously, instead of gathering them column-wise as Aᵀ; dWᵀ is small and transposed at the end.
    static std::vector<float> dFilterT;
    dFilterT.resize(K * g.Co);
    sumOverRowChunks(M, minRows, K * g.Co, dFilterT.data(), [&](long b, long e, float* dst) {
      float* patches = patchBuffer(block * K).data();
      for (long m0 = b; m0 < e; m0 += block) {
        const long rows = std::min(block, e - m0);
        im2colRows(g, x, m0, rows, patches);
        sgemm(g.Co, K, rows, dy + m0 * g.Co, 1, g.Co, patches, K, 1, dst, K, m0 > b);
      }
    });
    for (long k = 0; k < K; ++k)
      for (int co = 0; co < g.Co; ++co) dFilter[k * g.Co + co] = dFilterT[co * K + k];
    return;
  }
  sumOverRowChunks(
      M, minRows, K * g.Co, dFilter,
      [&](long b, long e, float* dst) {
        float* patches = patchBuffer(block * K).data();
        for (long m0 = b; m0 < e; m0 += block) {
          const long rows = std::min(block, e - m0);
          im2colRows(g, x, m0, rows, patches);
          sgemm(K, g.Co, rows, patches, 1, K, dy + m0 * g.Co, g.Co, 1, dst, g.Co, m0 > b);
        }
      },
      largeFilter(g) ? 1 : 2);
}

// Deep layers on small maps (few output pixels, a large filter): dcolsᵀ = W · dyᵀ packs the filter once as
// A, in its stored layout, instead of transposing it and packing Wᵀ for a handful of rows; col2im then reads
// the transposed patches.
void backpropInputTransposed(const ConvGeometry& g, const float* dy, const float* filter, float* dx, long M, long K) {
  static std::vector<float> patchesT;
  patchesT.resize(K * M);
  sgemmParallel(K, M, g.Co, filter, g.Co, 1, dy, 1, g.Co, patchesT.data(), M, false);
  const long pixels = static_cast<long>(g.OH) * g.OW;
  const long imageSize = static_cast<long>(g.H) * g.W * g.C;
  forImageChunks(g, pixels * K, [&](int n0, int n1) {
    std::memset(dx + n0 * imageSize, 0, sizeof(float) * (n1 - n0) * imageSize);
    for (long m = n0 * pixels; m < n1 * pixels; ++m) {
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
  });
}

void conv2dBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  const long M = static_cast<long>(g.N) * g.OH * g.OW;
  const long K = static_cast<long>(g.KH) * g.KW * g.C;
  if (winogradApplies(g)) {
    winogradBackpropInput(g, dy, filter, dx);
    return;
  }
  if (M * 4 <= K && K * M <= kPatchBudgetFloats * 4) {
    backpropInputTransposed(g, dy, filter, dx, M, K);
    return;
  }
  // W^T as a row-major [Co, K] matrix, so the GEMM packs B with unit column stride.
  static std::vector<float> filterT;
  filterT.resize(K * g.Co);
  float* ft = filterT.data();
  parallelRanges(K, 1L << 12, 1, [&](long b, long e) {
    for (long k = b; k < e; ++k)
      for (int co = 0; co < g.Co; ++co) ft[co * K + k] = filter[k * g.Co + co];
  });
  if (isPointwise(g)) {
    sgemmParallel(M, K, g.Co, dy, g.Co, 1, ft, K, 1, dx, K, false);
    return;
  }
  const long block = std::min(M, blockRows(g));
  const long pixels = static_cast<long>(g.OH) * g.OW;
  const long imageSize = static_cast<long>(g.H) * g.W * g.C;
  forImageChunks(g, pixels * K * g.Co, [&](int n0, int n1) {
    std::memset(dx + n0 * imageSize, 0, sizeof(float) * (n1 - n0) * imageSize);
    float* patches = patchBuffer(block * K).data();
    const long end = n1 * pixels;
    for (long m0 = n0 * pixels; m0 < end; m0 += block) {
      const long rows = std::min(block, end - m0);
      sgemm(rows, K, g.Co, dy + m0 * g.Co, g.Co, 1, ft, K, 1, patches, K, false);
      col2imAddRows(g, patches, m0, rows, dx);
    }
  });
}

}  // namespace focus
