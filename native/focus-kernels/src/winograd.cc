// Winograd F(2x2, 3x3) (Lavin & Gray, 2015) for the stride-1 3x3 convolutions, most of ResNet-18's
// multiply-adds: each 2x2 block of outputs ("tile") comes from a 4x4 block of input through
//   Y = Aᵀ [ U ⊙ V ] A,   U = G g Gᵀ (per input/output channel pair),   V = Bᵀ d B (per tile and channel),
// and the ⊙ summed over input channels is, for each of the 16 positions of the 4x4 transformed tile, one
// GEMM: M[xi] (tiles x Co) = V[xi] (tiles x C) · U[xi] (C x Co). That is 16 multiply-adds per tile and
// channel pair instead of 36 (2.25x fewer; the packed SGEMM of gemm.cc does them), plus transforms that
// cost O(tiles x channels). F(4x4, 3x3) would save 4x but its transforms multiply by up to 8 and lose
// about two more decimal digits; F(2x2, 3x3) only multiplies by 1/2 in the filter transform, so its
// results differ from im2col + GEMM by a few float32 roundings (the kernel tests compare both with the TF.js
// cpu backend at the same tolerance as every other kernel).
//
// The input gradient of a stride-1 3x3 convolution is itself one: dx = conv(dy, W rotated by 180 degrees,
// input and output channels swapped), with padding 2 - pad, so it runs through the same code.
//
// The filter gradient is the adjoint: dU[xi] = sum over tiles of V[xi]ᵀ Z[xi], Z = A dy Aᵀ, then dW = Gᵀ dU G.
//
// Threads: tiles are cut into chunks; each tile's outputs are computed by one thread, and each output row
// of a GEMM depends only on its own row of V, so the result is the same for any thread count and any cut.
// The filter gradient sums over tiles: for large filters each of its 16 GEMMs runs whole on one thread (the
// same bits for any thread count), otherwise each chunk of tiles keeps a partial dU and the partials are
// added in chunk order (deterministic for a given thread count).
#include "winograd.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gemm.h"
#include "thread-pool.h"

namespace focus {
namespace {

bool winogradOn = true;

constexpr int kPositions = 16;  // of the 4x4 transformed tile
// Transformed filters above this many floats (1 MiB: ResNet's layer3 and layer4) do not stay in L2, and
// every block of tiles streams all 16 of them through its GEMMs: then one large block per thread, as
// conv.cc does for its large filters, instead of small blocks that stay in cache.
constexpr long kLargeTransformedFloats = 256 * 1024;
// V (or M) of one block of tiles for small filters: 256 KiB, so that a block's V and M (and, for layer1,
// the filter) stay in L2 from the input transform through the GEMMs to the output transform; the filter is
// packed once per call, so small blocks cost no extra packing. (Against 1 MiB blocks: no difference beyond
// the noise of the shared machine, 224 px, batch 16.)
constexpr long kBlockFloats = 64 * 1024;
constexpr long kLargeBlockFloats = 4L << 20;  // the same for large filters
constexpr long kMinTilesPerBlock = 48;
constexpr long kMinMacsPerChunk = 1L << 18;  // below this a chunk is not worth waking a thread for

struct Tiling {
  int tilesH, tilesW;
  long count;
};

Tiling tiling(const ConvGeometry& g) {
  const int th = (g.OH + 1) / 2, tw = (g.OW + 1) / 2;
  return {th, tw, static_cast<long>(g.N) * th * tw};
}

// U[xi][ci][co] = (G g Gᵀ)[xi] with g(kh, kw) = f[kh*sKH + kw*sKW + ci*sCi + co] (output channels
// contiguous, so the transform runs over 8 of them at a time; the input gradient transposes its filter
// first, see transposedFilter).
//   G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
__attribute__((target("avx2,fma"))) void transformFilterRows(const float* f, long sKH, long sKW, long sCi,
                                                              int co_n, long plane, long ci, float* U) {
  const float* base = f + ci * sCi;
  float* out = U + ci * co_n;
  const __m256 half = _mm256_set1_ps(0.5f);
  int co = 0;
  for (; co + 8 <= co_n; co += 8) {
    __m256 u[4][3];
    for (int j = 0; j < 3; ++j) {
      const __m256 g0 = _mm256_loadu_ps(base + j * sKW + co), g1 = _mm256_loadu_ps(base + sKH + j * sKW + co);
      const __m256 g2 = _mm256_loadu_ps(base + 2 * sKH + j * sKW + co);
      u[0][j] = g0;
      u[1][j] = _mm256_mul_ps(half, _mm256_add_ps(_mm256_add_ps(g0, g1), g2));
      u[2][j] = _mm256_mul_ps(half, _mm256_add_ps(_mm256_sub_ps(g0, g1), g2));
      u[3][j] = g2;
    }
    for (int i = 0; i < 4; ++i) {
      float* o = out + (i * 4) * plane + co;
      _mm256_storeu_ps(o, u[i][0]);
      _mm256_storeu_ps(o + plane, _mm256_mul_ps(half, _mm256_add_ps(_mm256_add_ps(u[i][0], u[i][1]), u[i][2])));
      _mm256_storeu_ps(o + 2 * plane, _mm256_mul_ps(half, _mm256_add_ps(_mm256_sub_ps(u[i][0], u[i][1]), u[i][2])));
      _mm256_storeu_ps(o + 3 * plane, u[i][2]);
    }
  }
  for (; co < co_n; ++co) {
    float u[4][3];
    for (int j = 0; j < 3; ++j) {
      const float g0 = base[j * sKW + co], g1 = base[sKH + j * sKW + co], g2 = base[2 * sKH + j * sKW + co];
      u[0][j] = g0;
      u[1][j] = 0.5f * ((g0 + g1) + g2);
      u[2][j] = 0.5f * ((g0 - g1) + g2);
      u[3][j] = g2;
    }
    for (int i = 0; i < 4; ++i) {
      float* o = out + (i * 4) * plane + co;
      o[0] = u[i][0];
      o[plane] = 0.5f * ((u[i][0] + u[i][1]) + u[i][2]);
      o[2 * plane] = 0.5f * ((u[i][0] - u[i][1]) + u[i][2]);
      o[3 * plane] = u[i][2];
    }
  }
}

void transformFilter(const float* f, long sKH, long sKW, long sCi, int ci_n, int co_n, float* U) {
  const long plane = static_cast<long>(ci_n) * co_n;
  parallelRanges(ci_n, std::max(1, 4096 / co_n), 1, [&](long b, long e) {
    for (long ci = b; ci < e; ++ci) transformFilterRows(f, sKH, sKW, sCi, co_n, plane, ci, U);
  });
}

// The input gradient's filter W'[kh', kw', co, c] = W[2 - kh', 2 - kw', c, co]: each tap's C x Co matrix
// transposed, in 32 x 32 blocks so that both sides are read and written a cache line at a time.
void transposedFilter(const ConvGeometry& g, const float* w, float* out) {
  const long plane = static_cast<long>(g.C) * g.Co;
  constexpr int kB = 32;
  const long cBlocks = (g.C + kB - 1) / kB;
  parallelRanges(9 * cBlocks, 4, 1, [&](long b, long e) {
    for (long job = b; job < e; ++job) {
      const long tap = job / cBlocks;
      const int c0 = static_cast<int>(job % cBlocks) * kB, c1 = std::min(g.C, c0 + kB);
      const float* src = w + (8 - tap) * plane;
      float* dst = out + tap * plane;
      for (int co0 = 0; co0 < g.Co; co0 += kB) {
        const int co1 = std::min(g.Co, co0 + kB);
        for (int c = c0; c < c1; ++c)
          for (int co = co0; co < co1; ++co) dst[static_cast<long>(co) * g.C + c] = src[static_cast<long>(c) * g.Co + co];
      }
    }
  });
}

// V[xi * plane + r * C + c] = (Bᵀ d B)[xi] for tiles t0 + r, r < rows, d the 4x4 input block (zero
// outside the input); plane is rows * C for a block, or all tiles * C when V holds every tile.
//   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
// Vectorised over channels, which are contiguous in NHWC; the scalar tail does the same operations.
__attribute__((target("avx2,fma"))) void inputTransform(const ConvGeometry& g, const Tiling& tl, const float* x,
                                                         const float* zeros, long t0, long rows, float* V,
                                                         long plane) {
  const int C = g.C;
  for (long r = 0; r < rows; ++r) {
    const long t = t0 + r;
    const int tw = static_cast<int>(t % tl.tilesW);
    const long q = t / tl.tilesW;
    const int th = static_cast<int>(q % tl.tilesH);
    const long n = q / tl.tilesH;
    const int ih0 = 2 * th - g.padTop, iw0 = 2 * tw - g.padLeft;
    const float* p[16];
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) {
        const int ih = ih0 + i, iw = iw0 + j;
        p[i * 4 + j] = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W ? x + ((n * g.H + ih) * g.W + iw) * C : zeros;
      }
    float* v = V + r * C;
    int c = 0;
    for (; c + 8 <= C; c += 8) {
      __m256 s[16];
      for (int j = 0; j < 4; ++j) {
        const __m256 d0 = _mm256_loadu_ps(p[j] + c), d1 = _mm256_loadu_ps(p[4 + j] + c);
        const __m256 d2 = _mm256_loadu_ps(p[8 + j] + c), d3 = _mm256_loadu_ps(p[12 + j] + c);
        s[j] = _mm256_sub_ps(d0, d2);
        s[4 + j] = _mm256_add_ps(d1, d2);
        s[8 + j] = _mm256_sub_ps(d2, d1);
        s[12 + j] = _mm256_sub_ps(d1, d3);
      }
      for (int i = 0; i < 4; ++i) {
        const __m256* si = s + i * 4;
        _mm256_storeu_ps(v + (i * 4 + 0) * plane + c, _mm256_sub_ps(si[0], si[2]));
        _mm256_storeu_ps(v + (i * 4 + 1) * plane + c, _mm256_add_ps(si[1], si[2]));
        _mm256_storeu_ps(v + (i * 4 + 2) * plane + c, _mm256_sub_ps(si[2], si[1]));
        _mm256_storeu_ps(v + (i * 4 + 3) * plane + c, _mm256_sub_ps(si[1], si[3]));
      }
    }
    for (; c < C; ++c) {
      float s[16];
      for (int j = 0; j < 4; ++j) {
        const float d0 = p[j][c], d1 = p[4 + j][c], d2 = p[8 + j][c], d3 = p[12 + j][c];
        s[j] = d0 - d2;
        s[4 + j] = d1 + d2;
        s[8 + j] = d2 - d1;
        s[12 + j] = d1 - d3;
      }
      for (int i = 0; i < 4; ++i) {
        const float* si = s + i * 4;
        v[(i * 4 + 0) * plane + c] = si[0] - si[2];
        v[(i * 4 + 1) * plane + c] = si[1] + si[2];
        v[(i * 4 + 2) * plane + c] = si[2] - si[1];
        v[(i * 4 + 3) * plane + c] = si[1] - si[3];
      }
    }
  }
}

// y (the 2x2 outputs of each tile that fall inside the output) = Aᵀ m A, m = M[.][r][co].
//   Aᵀ = [1 1 1 0; 0 1 -1 -1]
__attribute__((target("avx2,fma"))) void outputTransform(const ConvGeometry& g, const Tiling& tl, const float* M,
                                                          long t0, long rows, float* y) {
  const int Co = g.Co;
  const long plane = rows * Co;
  for (long r = 0; r < rows; ++r) {
    const long t = t0 + r;
    const int tw = static_cast<int>(t % tl.tilesW);
    const long q = t / tl.tilesW;
    const int th = static_cast<int>(q % tl.tilesH);
    const long n = q / tl.tilesH;
    const int oh0 = 2 * th, ow0 = 2 * tw;
    const bool secondRow = oh0 + 1 < g.OH, secondCol = ow0 + 1 < g.OW;
    float* out00 = y + ((n * g.OH + oh0) * g.OW + ow0) * Co;
    float* out01 = out00 + Co;
    float* out10 = out00 + static_cast<long>(g.OW) * Co;
    float* out11 = out10 + Co;
    const float* m = M + r * Co;
    int c = 0;
    for (; c + 8 <= Co; c += 8) {
      __m256 s[8];
      for (int j = 0; j < 4; ++j) {
        const __m256 m0 = _mm256_loadu_ps(m + j * plane + c), m1 = _mm256_loadu_ps(m + (4 + j) * plane + c);
        const __m256 m2 = _mm256_loadu_ps(m + (8 + j) * plane + c), m3 = _mm256_loadu_ps(m + (12 + j) * plane + c);
        s[j] = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
        s[4 + j] = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
      }
      _mm256_storeu_ps(out00 + c, _mm256_add_ps(_mm256_add_ps(s[0], s[1]), s[2]));
      if (secondCol) _mm256_storeu_ps(out01 + c, _mm256_sub_ps(_mm256_sub_ps(s[1], s[2]), s[3]));
      if (secondRow) {
        _mm256_storeu_ps(out10 + c, _mm256_add_ps(_mm256_add_ps(s[4], s[5]), s[6]));
        if (secondCol) _mm256_storeu_ps(out11 + c, _mm256_sub_ps(_mm256_sub_ps(s[5], s[6]), s[7]));
      }
    }
    for (; c < Co; ++c) {
      float s[8];
      for (int j = 0; j < 4; ++j) {
        const float m0 = m[j * plane + c], m1 = m[(4 + j) * plane + c];
        const float m2 = m[(8 + j) * plane + c], m3 = m[(12 + j) * plane + c];
        s[j] = (m0 + m1) + m2;
        s[4 + j] = (m1 - m2) - m3;
      }
      out00[c] = (s[0] + s[1]) + s[2];
      if (secondCol) out01[c] = (s[1] - s[2]) - s[3];
      if (secondRow) {
        out10[c] = (s[4] + s[5]) + s[6];
        if (secondCol) out11[c] = (s[5] - s[6]) - s[7];
      }
    }
  }
}

std::vector<float>& transformedFilter(long floats) {
  static std::vector<float> u;  // only the JavaScript thread calls the kernels
  if (static_cast<long>(u.size()) < floats) u.resize(floats);
  return u;
}

// The micro-kernels load packed B with aligned loads: 64-byte aligned (packed sizes are multiples of 16
// floats, so every matrix and sliver in it stays aligned).
float* packedFilter(long floats) {
  static std::vector<float> u;
  if (static_cast<long>(u.size()) < floats + 16) u.resize(floats + 16);
  const auto address = reinterpret_cast<std::uintptr_t>(u.data());
  return u.data() + ((64 - address % 64) % 64) / sizeof(float);
}

// y = the convolution of x by the filter whose transform is U, block of tiles by block of tiles. U's 16
// matrices are packed for the GEMM once per call (packBPanels), so a block can be small enough for its V
// and M to stay in L2 without paying for B's packing again per block; A (V) is read in place.
void convolve(const ConvGeometry& g, const float* x, const float* U, float* y) {
  const Tiling tl = tiling(g);
  const long planeU = static_cast<long>(g.C) * g.Co;
  const long packed = packedBFloats(g.C, g.Co);
  float* up = packedFilter(kPositions * packed);
  parallelRanges(kPositions, 1, 1, 4, [&](long b, long e) {
    for (long xi = b; xi < e; ++xi) packBPanels(g.C, g.Co, U + xi * planeU, g.Co, 1, up + xi * packed);
  });
  const bool large = kPositions * planeU > kLargeTransformedFloats;
  const long widest = std::max(g.C, g.Co);
  const long block = std::max(kMinTilesPerBlock, (large ? kLargeBlockFloats : kBlockFloats) / (kPositions * widest));
  const long minTiles = std::max<long>(1, kMinMacsPerChunk / (kPositions * planeU));
  parallelRanges(tl.count, minTiles, 1, large ? 1 : 4, [&](long begin, long end) {
    static thread_local std::vector<float> v, m, zeros;
    const long rows = std::min(block, end - begin);
    if (static_cast<long>(v.size()) < kPositions * rows * g.C) v.resize(kPositions * rows * g.C);
    if (static_cast<long>(m.size()) < kPositions * rows * g.Co) m.resize(kPositions * rows * g.Co);
    if (static_cast<long>(zeros.size()) < g.C) zeros.assign(g.C, 0.0f);
    for (long t0 = begin; t0 < end; t0 += block) {
      const long n = std::min(block, end - t0);
      inputTransform(g, tl, x, zeros.data(), t0, n, v.data(), n * g.C);
      for (int xi = 0; xi < kPositions; ++xi)
        sgemmPackedB(n, g.Co, g.C, v.data() + xi * n * g.C, g.C, up + xi * packed, m.data() + xi * n * g.Co,
                     g.Co, false);
      outputTransform(g, tl, m.data(), t0, n, y);
    }
  });
}


// Z[xi * plane + r * Co + co] = (A dy Aᵀ)[xi] for tiles t0 + r: the 2x2 block of dy a tile produced (zero
// where the tile overhangs the output), brought into the transformed domain. Since
// y = Aᵀ[U ⊙ V]A, the filter gradient in that domain is dU[xi] = Σ over tiles of V[xi]ᵀ Z[xi].
//   A = [1 0; 1 1; 1 -1; 0 -1]
__attribute__((target("avx2,fma"))) void outputGradTransform(const ConvGeometry& g, const Tiling& tl,
                                                              const float* dy, const float* zeros, long t0, long rows,
                                                              float* Z, long plane) {
  const int Co = g.Co;
  for (long r = 0; r < rows; ++r) {
    const long t = t0 + r;
    const int tw = static_cast<int>(t % tl.tilesW);
    const long q = t / tl.tilesW;
    const int th = static_cast<int>(q % tl.tilesH);
    const long n = q / tl.tilesH;
    const int oh0 = 2 * th, ow0 = 2 * tw;
    const float* p[4];
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b)
        p[a * 2 + b] = oh0 + a < g.OH && ow0 + b < g.OW ? dy + ((n * g.OH + oh0 + a) * g.OW + ow0 + b) * Co : zeros;
    float* z = Z + r * Co;
    int c = 0;
    for (; c + 8 <= Co; c += 8) {
      const __m256 d00 = _mm256_loadu_ps(p[0] + c), d01 = _mm256_loadu_ps(p[1] + c);
      const __m256 d10 = _mm256_loadu_ps(p[2] + c), d11 = _mm256_loadu_ps(p[3] + c);
      const __m256 zero = _mm256_setzero_ps();
      // rows of A dy: R0 = dy0, R1 = dy0 + dy1, R2 = dy0 - dy1, R3 = -dy1
      const __m256 rr[4][2] = {{d00, d01},
                               {_mm256_add_ps(d00, d10), _mm256_add_ps(d01, d11)},
                               {_mm256_sub_ps(d00, d10), _mm256_sub_ps(d01, d11)},
                               {_mm256_sub_ps(zero, d10), _mm256_sub_ps(zero, d11)}};
      for (int i = 0; i < 4; ++i) {
        _mm256_storeu_ps(z + (i * 4 + 0) * plane + c, rr[i][0]);
        _mm256_storeu_ps(z + (i * 4 + 1) * plane + c, _mm256_add_ps(rr[i][0], rr[i][1]));
        _mm256_storeu_ps(z + (i * 4 + 2) * plane + c, _mm256_sub_ps(rr[i][0], rr[i][1]));
        _mm256_storeu_ps(z + (i * 4 + 3) * plane + c, _mm256_sub_ps(zero, rr[i][1]));
      }
    }
    for (; c < Co; ++c) {
      const float d00 = p[0][c], d01 = p[1][c], d10 = p[2][c], d11 = p[3][c];
      const float rr[4][2] = {{d00, d01}, {d00 + d10, d01 + d11}, {d00 - d10, d01 - d11}, {0.0f - d10, 0.0f - d11}};
      for (int i = 0; i < 4; ++i) {
        z[(i * 4 + 0) * plane + c] = rr[i][0];
        z[(i * 4 + 1) * plane + c] = rr[i][0] + rr[i][1];
        z[(i * 4 + 2) * plane + c] = rr[i][0] - rr[i][1];
        z[(i * 4 + 3) * plane + c] = 0.0f - rr[i][1];
      }
    }
  }
}

// dW[kh][kw][c][co] = (Gᵀ dU G)[kh][kw], the adjoint of the filter transform.
__attribute__((target("avx2,fma"))) void filterGradRows(const float* dU, long plane, int co_n, long ci, float* dW) {
  const float* in = dU + ci * co_n;
  float* out = dW + ci * co_n;
  const __m256 half = _mm256_set1_ps(0.5f);
  int co = 0;
  for (; co + 8 <= co_n; co += 8) {
    __m256 t[3][4];
    for (int j = 0; j < 4; ++j) {
      const __m256 u0 = _mm256_loadu_ps(in + j * plane + co), u1 = _mm256_loadu_ps(in + (4 + j) * plane + co);
      const __m256 u2 = _mm256_loadu_ps(in + (8 + j) * plane + co), u3 = _mm256_loadu_ps(in + (12 + j) * plane + co);
      t[0][j] = _mm256_add_ps(u0, _mm256_mul_ps(half, _mm256_add_ps(u1, u2)));
      t[1][j] = _mm256_mul_ps(half, _mm256_sub_ps(u1, u2));
      t[2][j] = _mm256_add_ps(_mm256_mul_ps(half, _mm256_add_ps(u1, u2)), u3);
    }
    for (int kh = 0; kh < 3; ++kh) {
      float* o = out + kh * 3 * plane + co;
      _mm256_storeu_ps(o, _mm256_add_ps(t[kh][0], _mm256_mul_ps(half, _mm256_add_ps(t[kh][1], t[kh][2]))));
      _mm256_storeu_ps(o + plane, _mm256_mul_ps(half, _mm256_sub_ps(t[kh][1], t[kh][2])));
      _mm256_storeu_ps(o + 2 * plane, _mm256_add_ps(_mm256_mul_ps(half, _mm256_add_ps(t[kh][1], t[kh][2])), t[kh][3]));
    }
  }
  for (; co < co_n; ++co) {
    float t[3][4];
    for (int j = 0; j < 4; ++j) {
      const float u0 = in[j * plane + co], u1 = in[(4 + j) * plane + co];
      const float u2 = in[(8 + j) * plane + co], u3 = in[(12 + j) * plane + co];
      t[0][j] = u0 + 0.5f * (u1 + u2);
      t[1][j] = 0.5f * (u1 - u2);
      t[2][j] = 0.5f * (u1 + u2) + u3;
    }
    for (int kh = 0; kh < 3; ++kh) {
      float* o = out + kh * 3 * plane + co;
      o[0] = t[kh][0] + 0.5f * (t[kh][1] + t[kh][2]);
      o[plane] = 0.5f * (t[kh][1] - t[kh][2]);
      o[2 * plane] = 0.5f * (t[kh][1] + t[kh][2]) + t[kh][3];
    }
  }
}

// Above this many floats for V and Z of every tile together (64 MiB), the filter gradient of a large
// filter keeps to blocks of tiles and partial sums instead.
constexpr long kWholeTransformFloats = 16L << 20;

}  // namespace

bool useWinograd(bool enabled) {
  winogradOn = enabled;
  return winogradOn;
}

// Below 8 channels on either side the GEMMs are too narrow for the saving to outweigh the transforms.
bool winogradApplies(const ConvGeometry& g) {
  return winogradOn && g.KH == 3 && g.KW == 3 && g.strideH == 1 && g.strideW == 1 && g.C >= 8 && g.Co >= 8;
}

void winogradForward(const ConvGeometry& g, const float* x, const float* filter, float* y) {
  const long plane = static_cast<long>(g.C) * g.Co;
  float* U = transformedFilter(kPositions * plane).data();
  transformFilter(filter, 3 * plane, plane, g.Co, g.C, g.Co, U);
  convolve(g, x, U, y);
}

void winogradBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  const long plane = static_cast<long>(g.C) * g.Co;
  // dx[ih, iw, c] = sum over kh, kw, co of dy[ih + pad - kh, iw + pad - kw, co] W[kh, kw, c, co]: with
  // kh' = 2 - kh, a forward convolution of dy (channels Co) by W'[kh', kw', co, c] = W[2 - kh', 2 - kw', c, co]
  // with padding 2 - pad, whose output is dx.
  ConvGeometry t = g;
  t.H = g.OH;
  t.W = g.OW;
  t.C = g.Co;
  t.Co = g.C;
  t.OH = g.H;
  t.OW = g.W;
  t.padTop = 2 - g.padTop;
  t.padLeft = 2 - g.padLeft;
  static std::vector<float> flipped;  // only the JavaScript thread calls the kernels
  if (static_cast<long>(flipped.size()) < 9 * plane) flipped.resize(9 * plane);
  transposedFilter(g, filter, flipped.data());
  float* U = transformedFilter(kPositions * plane).data();
  transformFilter(flipped.data(), 3 * plane, plane, g.C, g.Co, g.C, U);
  convolve(t, dy, U, dx);
}

}  // namespace focus

namespace focus {

void winogradBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter) {
  const Tiling tl = tiling(g);
  const long planeU = static_cast<long>(g.C) * g.Co;
  const int widest = std::max(g.C, g.Co);
  static std::vector<float> zeros;  // only the JavaScript thread calls the kernels; threads only read it
  if (static_cast<long>(zeros.size()) < widest) zeros.assign(widest, 0.0f);
  float* dU = transformedFilter(kPositions * planeU).data();
  const long minTiles = std::max<long>(1, kMinMacsPerChunk / (kPositions * planeU));
  const bool large = kPositions * planeU > kLargeTransformedFloats;
  if (large && kPositions * tl.count * (g.C + g.Co) <= kWholeTransformFloats) {
    // Layer3 and layer4: few tiles, large filters. V and Z of every tile, then each of the 16 GEMMs over
    // every tile on one thread: no partial filters to add, and the same bits for any thread count.
    static std::vector<float> v, z;
    if (static_cast<long>(v.size()) < kPositions * tl.count * g.C) v.resize(kPositions * tl.count * g.C);
    if (static_cast<long>(z.size()) < kPositions * tl.count * g.Co) z.resize(kPositions * tl.count * g.Co);
    parallelRanges(tl.count, std::max<long>(1, 4096 / widest), 1, [&](long b, long e) {
      inputTransform(g, tl, x, zeros.data(), b, e - b, v.data() + b * g.C, tl.count * g.C);
      outputGradTransform(g, tl, dy, zeros.data(), b, e - b, z.data() + b * g.Co, tl.count * g.Co);
    });
    parallelRanges(kPositions, 1, 1, [&](long b, long e) {
      for (long xi = b; xi < e; ++xi)
        sgemm(g.C, g.Co, tl.count, v.data() + xi * tl.count * g.C, 1, g.C, z.data() + xi * tl.count * g.Co, g.Co, 1,
              dU + xi * planeU, g.Co, false);
    });
  } else {
    // Blocks of tiles, one partial dU per chunk of tiles, partials added in chunk order: deterministic for a
    // given thread count. Two chunks per thread: each partial is a whole transformed filter.
    const long block = std::max(kMinTilesPerBlock, (large ? kLargeBlockFloats : kBlockFloats) / (kPositions * widest));
    const int chunks = chunksFor(tl.count, minTiles, large ? 1 : 2);
    static std::vector<float> partials;
    const long size = kPositions * planeU;
    if (chunks > 1 && static_cast<long>(partials.size()) < (chunks - 1) * size) partials.resize((chunks - 1) * size);
    runChunks(chunks, [&](int chunk) {
      long begin, end;
      chunkRange(tl.count, chunks, chunk, 1, &begin, &end);
      float* dst = chunk == 0 ? dU : partials.data() + (chunk - 1) * size;
      if (begin >= end) {
        std::fill(dst, dst + size, 0.0f);
        return;
      }
      static thread_local std::vector<float> v, z;
      const long rows = std::min(block, end - begin);
      if (static_cast<long>(v.size()) < kPositions * rows * g.C) v.resize(kPositions * rows * g.C);
      if (static_cast<long>(z.size()) < kPositions * rows * g.Co) z.resize(kPositions * rows * g.Co);
      for (long t0 = begin; t0 < end; t0 += block) {
        const long n = std::min(block, end - t0);
        inputTransform(g, tl, x, zeros.data(), t0, n, v.data(), n * g.C);
        outputGradTransform(g, tl, dy, zeros.data(), t0, n, z.data(), n * g.Co);
        for (int xi = 0; xi < kPositions; ++xi)
          sgemm(g.C, g.Co, n, v.data() + xi * n * g.C, 1, g.C, z.data() + xi * n * g.Co, g.Co, 1, dst + xi * planeU,
                g.Co, t0 > begin);
      }
    });
    if (chunks > 1) {
      parallelRanges(size, 1L << 15, 16, [&](long b, long e) {
        for (int t = 1; t < chunks; ++t) {
          const float* p = partials.data() + (t - 1) * size;
          for (long i = b; i < e; ++i) dU[i] += p[i];
        }
      });
    }
  }
  parallelRanges(g.C, std::max(1, 4096 / g.Co), 1, [&](long b, long e) {
    for (long ci = b; ci < e; ++ci) filterGradRows(dU, planeU, g.Co, ci, dFilter);
  });
}

}  // namespace focus
