// SGEMM for x86-64 in the BLIS layout: B is packed into KC x NR slivers, A into MR x KC
// slivers, and a register-blocked micro-kernel does the arithmetic: 12 x 32 with AVX-512 where the CPU has
// it (twice the lanes per FMA), 6 x 16 with AVX2 + FMA otherwise. Both add the products of one C element in
// the same order (k ascending within a KC block, then block by block), so they round identically.
// Operands are addressed through row and column strides, so transposed operands cost only a slower
// packing pass, never a transposed copy. Callers split work across threads (thread-pool.h) by output rows or
// columns; the scratch buffers are per thread.
#include "gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "thread-pool.h"

namespace focus {
namespace {

// KC x NR floats of B (16 or 32 KiB) stay in L1 across a sliver of A; MC x KC of A (120 KiB) in L2.
// (Tried KC 128-512 with MC 48-240 on 1024^3 and ResNet layer shapes: within noise of these.)
constexpr int KC = 256;
constexpr int MC = 120;  // a multiple of both kernels' MR
constexpr int NC = 3072; // a multiple of both kernels' NR

struct Scratch {
  float* a = nullptr;
  float* b = nullptr;
  Scratch() {
    a = static_cast<float*>(std::aligned_alloc(64, sizeof(float) * MC * KC));
    b = static_cast<float*>(std::aligned_alloc(64, sizeof(float) * KC * NC));
  }
  ~Scratch() {
    std::free(a);
    std::free(b);
  }
};

Scratch& scratch() {
  static thread_local Scratch s;
  return s;
}

// A[ic.., pc..] (mc x kc) into slivers of MR rows, k-major inside a sliver, zero-padded to MR.
template <int MR>
void packA(int mc, int kc, const float* A, long rs, long cs, float* out) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    const int rows = std::min(MR, mc - i0);
    for (int p = 0; p < kc; ++p) {
      for (int i = 0; i < rows; ++i) out[i] = A[(i0 + i) * rs + p * cs];
      for (int i = rows; i < MR; ++i) out[i] = 0.0f;
      out += MR;
    }
  }
}

// B[pc.., jc..] (kc x nc) into slivers of NR columns, k-major inside a sliver, zero-padded to NR.
template <int NR>
void packB(int kc, int nc, const float* B, long rs, long cs, float* out) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    const int cols = std::min(NR, nc - j0);
    if (cs == 1 && cols == NR) {
      for (int p = 0; p < kc; ++p) {
        std::memcpy(out, B + p * rs + j0, sizeof(float) * NR);
        out += NR;
      }
    } else {
      for (int p = 0; p < kc; ++p) {
        for (int j = 0; j < cols; ++j) out[j] = B[p * rs + (j0 + j) * cs];
        for (int j = cols; j < NR; ++j) out[j] = 0.0f;
        out += NR;
      }
    }
  }
}

// Writes (or adds) the rows x cols corner of an MR x NR tile into C.
template <int MR, int NR>
inline void storeEdge(const float* tile, float* c, long ldc, bool accumulate, int rows, int cols) {
  for (int i = 0; i < rows; ++i) {
    float* ci = c + i * ldc;
    for (int j = 0; j < cols; ++j) ci[j] = accumulate ? ci[j] + tile[i * NR + j] : tile[i * NR + j];
  }
}

// C[0..MR, 0..NR] (+)= Apanel * Bpanel; `rows`/`cols` < MR/NR for edge tiles.
// A is read as a[rowOffset[i] + p * aStep]: packed slivers (offsets 0..MR-1, step MR) or, for a row-major A,
// straight from its rows (offsets i * lda, step 1), with missing edge rows pointing at the last real one.
struct Avx2 {
  static constexpr int MR = 6;
  static constexpr int NR = 16;
  __attribute__((target("avx2,fma"))) static void kernel(int kc, const float* a, const long* rowOffset, long aStep,
                                                         const float* b, float* c, long ldc, bool accumulate,
                                                         int rows, int cols) {
    const float* a0 = a + rowOffset[0];
    const float* a1 = a + rowOffset[1];
    const float* a2 = a + rowOffset[2];
    const float* a3 = a + rowOffset[3];
    const float* a4 = a + rowOffset[4];
    const float* a5 = a + rowOffset[5];
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (int p = 0; p < kc; ++p) {
      const __m256 b0 = _mm256_load_ps(b);
      const __m256 b1 = _mm256_load_ps(b + 8);
      __m256 av = _mm256_broadcast_ss(a0 + p * aStep);
      c00 = _mm256_fmadd_ps(av, b0, c00);
      c01 = _mm256_fmadd_ps(av, b1, c01);
      av = _mm256_broadcast_ss(a1 + p * aStep);
      c10 = _mm256_fmadd_ps(av, b0, c10);
      c11 = _mm256_fmadd_ps(av, b1, c11);
      av = _mm256_broadcast_ss(a2 + p * aStep);
      c20 = _mm256_fmadd_ps(av, b0, c20);
      c21 = _mm256_fmadd_ps(av, b1, c21);
      av = _mm256_broadcast_ss(a3 + p * aStep);
      c30 = _mm256_fmadd_ps(av, b0, c30);
      c31 = _mm256_fmadd_ps(av, b1, c31);
      av = _mm256_broadcast_ss(a4 + p * aStep);
      c40 = _mm256_fmadd_ps(av, b0, c40);
      c41 = _mm256_fmadd_ps(av, b1, c41);
      av = _mm256_broadcast_ss(a5 + p * aStep);
      c50 = _mm256_fmadd_ps(av, b0, c50);
      c51 = _mm256_fmadd_ps(av, b1, c51);
      b += NR;
    }
    alignas(32) float tile[MR * NR];
    _mm256_store_ps(tile + 0 * NR, c00);
    _mm256_store_ps(tile + 0 * NR + 8, c01);
    _mm256_store_ps(tile + 1 * NR, c10);
    _mm256_store_ps(tile + 1 * NR + 8, c11);
    _mm256_store_ps(tile + 2 * NR, c20);
    _mm256_store_ps(tile + 2 * NR + 8, c21);
    _mm256_store_ps(tile + 3 * NR, c30);
    _mm256_store_ps(tile + 3 * NR + 8, c31);
    _mm256_store_ps(tile + 4 * NR, c40);
    _mm256_store_ps(tile + 4 * NR + 8, c41);
    _mm256_store_ps(tile + 5 * NR, c50);
    _mm256_store_ps(tile + 5 * NR + 8, c51);
    if (cols == NR) {
      for (int i = 0; i < rows; ++i) {
        float* ci = c + i * ldc;
        __m256 t0 = _mm256_load_ps(tile + i * NR);
        __m256 t1 = _mm256_load_ps(tile + i * NR + 8);
        if (accumulate) {
          t0 = _mm256_add_ps(t0, _mm256_loadu_ps(ci));
          t1 = _mm256_add_ps(t1, _mm256_loadu_ps(ci + 8));
        }
        _mm256_storeu_ps(ci, t0);
        _mm256_storeu_ps(ci + 8, t1);
      }
    } else {
      storeEdge<MR, NR>(tile, c, ldc, accumulate, rows, cols);
    }
  }
};

struct Avx512 {
  static constexpr int MR = 12;
  static constexpr int NR = 32;
  __attribute__((target("avx512f"))) static void kernel(int kc, const float* a, const long* rowOffset, long aStep,
                                                        const float* b, float* c, long ldc, bool accumulate, int rows,
                                                        int cols) {
    __m512 acc[MR][2];
    for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    const float* ar[MR];
    for (int i = 0; i < MR; ++i) ar[i] = a + rowOffset[i];
    for (int p = 0; p < kc; ++p) {
      const __m512 b0 = _mm512_load_ps(b);
      const __m512 b1 = _mm512_load_ps(b + 16);
      const long ap = p * aStep;
#pragma GCC unroll 12
      for (int i = 0; i < MR; ++i) {
        const __m512 av = _mm512_set1_ps(ar[i][ap]);
        acc[i][0] = _mm512_fmadd_ps(av, b0, acc[i][0]);
        acc[i][1] = _mm512_fmadd_ps(av, b1, acc[i][1]);
      }
      b += NR;
    }
    if (cols == NR) {
      for (int i = 0; i < rows; ++i) {
        float* ci = c + i * ldc;
        __m512 t0 = acc[i][0], t1 = acc[i][1];
        if (accumulate) {
          t0 = _mm512_add_ps(t0, _mm512_loadu_ps(ci));
          t1 = _mm512_add_ps(t1, _mm512_loadu_ps(ci + 16));
        }
        _mm512_storeu_ps(ci, t0);
        _mm512_storeu_ps(ci + 16, t1);
      }
      return;
    }
    alignas(64) float tile[MR * NR];
    for (int i = 0; i < MR; ++i) {
      _mm512_store_ps(tile + i * NR, acc[i][0]);
      _mm512_store_ps(tile + i * NR + 16, acc[i][1]);
    }
    storeEdge<MR, NR>(tile, c, ldc, accumulate, rows, cols);
  }
};

template <typename Kernel>
void sgemmWith(long M, long N, long K, const float* A, long rsA, long csA, const float* B, long rsB, long csB,
               float* C, long ldc, bool accumulate) {
  constexpr int MR = Kernel::MR;
  constexpr int NR = Kernel::NR;
  Scratch& s = scratch();
  for (long jc = 0; jc < N; jc += NC) {
    const int nc = static_cast<int>(std::min<long>(NC, N - jc));
    for (long pc = 0; pc < K; pc += KC) {
      const int kc = static_cast<int>(std::min<long>(KC, K - pc));
      // The first K block writes C (or adds to it when asked); later ones always add.
      const bool acc = accumulate || pc > 0;
      packB<NR>(kc, nc, B + pc * rsB + jc * csB, rsB, csB, s.b);
      for (long ic = 0; ic < M; ic += MC) {
        const int mc = static_cast<int>(std::min<long>(MC, M - ic));
        // With few columns each A element is used by one or two micro-kernel calls: packing it would cost
        // as much as the arithmetic, so a row-major A is read in place.
        const bool packedA = !(csA == 1 && nc <= 2 * NR);
        if (packedA) packA<MR>(mc, kc, A + ic * rsA + pc * csA, rsA, csA, s.a);
        for (int jr = 0; jr < nc; jr += NR) {
          const float* bp = s.b + jr * kc;
          for (int ir = 0; ir < mc; ir += MR) {
            const int rows = std::min(MR, mc - ir);
            long offsets[MR];
            const float* a;
            long step;
            if (packedA) {
              a = s.a + ir * kc;
              step = MR;
              for (int i = 0; i < MR; ++i) offsets[i] = i;
            } else {
              a = A + (ic + ir) * rsA + pc;
              step = 1;
              for (int i = 0; i < MR; ++i) offsets[i] = std::min(i, rows - 1) * rsA;
            }
            Kernel::kernel(kc, a, offsets, step, bp, C + (ic + ir) * ldc + jc + jr, ldc, acc, rows,
                           std::min(NR, nc - jr));
          }
        }
      }
    }
  }
}

// B packed once for every call of sgemmPackedB: for each KC block of k (at offset pc * Npad), slivers of NR
// columns, k-major inside a sliver, zero-padded to NR (Npad = N rounded up to NR): the layout packB gives
// one block, so the micro-kernels read it unchanged.
template <typename Kernel>
void packBPanelsWith(long K, long N, const float* B, long rsB, long csB, float* out) {
  constexpr int NR = Kernel::NR;
  const long nPad = (N + NR - 1) / NR * NR;
  for (long pc = 0; pc < K; pc += KC) {
    const int kc = static_cast<int>(std::min<long>(KC, K - pc));
    packB<NR>(kc, static_cast<int>(N), B + pc * rsB, rsB, csB, out + pc * nPad);
  }
}

// C (+)= A · B with B from packBPanelsWith and A row-major (unit column stride), read in place: no packing
// per call, so callers that multiply many small row blocks by the same B (Winograd's tiles) pay for B's
// packing once. Each C element adds its products in the same order as sgemmWith.
template <typename Kernel>
void sgemmPackedBWith(long M, long N, long K, const float* A, long lda, const float* Bp, float* C, long ldc,
                      bool accumulate) {
  constexpr int MR = Kernel::MR;
  constexpr int NR = Kernel::NR;
  const long nPad = (N + NR - 1) / NR * NR;
  for (long pc = 0; pc < K; pc += KC) {
    const int kc = static_cast<int>(std::min<long>(KC, K - pc));
    const bool acc = accumulate || pc > 0;
    const float* bBlock = Bp + pc * nPad;
    for (long ic = 0; ic < M; ic += MC) {
      const long mc = std::min<long>(MC, M - ic);
      for (long jr = 0; jr < N; jr += NR) {
        const float* bp = bBlock + jr * kc;
        for (long ir = 0; ir < mc; ir += MR) {
          const int rows = static_cast<int>(std::min<long>(MR, mc - ir));
          long offsets[MR];
          for (int i = 0; i < MR; ++i) offsets[i] = std::min(i, rows - 1) * lda;
          Kernel::kernel(kc, A + (ic + ir) * lda + pc, offsets, 1, bp, C + (ic + ir) * ldc + jr, ldc, acc, rows,
                         static_cast<int>(std::min<long>(NR, N - jr)));
        }
      }
    }
  }
}

bool cpuHasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}

bool avx512InUse = cpuHasAvx512();

}  // namespace

bool cpuSupported() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

bool useAvx512(bool enabled) {
  avx512InUse = enabled && cpuHasAvx512();
  return avx512InUse;
}

bool avx512Enabled() { return avx512InUse; }

void sgemm(long M, long N, long K, const float* A, long rsA, long csA, const float* B, long rsB, long csB, float* C,
           long ldc, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate)
      for (long i = 0; i < M; ++i) std::memset(C + i * ldc, 0, sizeof(float) * N);
    return;
  }
  if (avx512InUse)
    sgemmWith<Avx512>(M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, accumulate);
  else
    sgemmWith<Avx2>(M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, accumulate);
}

long packedBFloats(long K, long N) {
  const long nr = avx512InUse ? Avx512::NR : Avx2::NR;
  return K * ((N + nr - 1) / nr * nr);
}

void packBPanels(long K, long N, const float* B, long rsB, long csB, float* out) {
  if (avx512InUse)
    packBPanelsWith<Avx512>(K, N, B, rsB, csB, out);
  else
    packBPanelsWith<Avx2>(K, N, B, rsB, csB, out);
}

void sgemmPackedB(long M, long N, long K, const float* A, long lda, const float* Bp, float* C, long ldc,
                  bool accumulate) {
  if (M <= 0 || N <= 0 || K <= 0) return;
  if (avx512InUse)
    sgemmPackedBWith<Avx512>(M, N, K, A, lda, Bp, C, ldc, accumulate);
  else
    sgemmPackedBWith<Avx2>(M, N, K, A, lda, Bp, C, ldc, accumulate);
}

void sgemmParallel(long M, long N, long K, const float* A, long rsA, long csA, const float* B, long rsB, long csB,
                   float* C, long ldc, bool accumulate) {
  // Split the larger output dimension; each C element is still computed by one thread in the same order.
  // Below this many multiply-adds a chunk is not worth waking a thread for (a wake-up costs microseconds).
  constexpr long kMinMacsPerChunk = 1L << 18;
  const long minRows = std::max<long>(1, kMinMacsPerChunk / std::max<long>(1, N * K));
  const long minCols = std::max<long>(1, kMinMacsPerChunk / std::max<long>(1, M * K));
  if (M >= N) {
    parallelRanges(M, minRows, 12, [&](long b, long e) {
      sgemm(e - b, N, K, A + b * rsA, rsA, csA, B, rsB, csB, C + b * ldc, ldc, accumulate);
    });
  } else {
    parallelRanges(N, minCols, 32, [&](long b, long e) {
      sgemm(M, e - b, K, A, rsA, csA, B + b * csB, rsB, csB, C + b, ldc, accumulate);
    });
  }
}

}  // namespace focus
