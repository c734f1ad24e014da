#pragma once

namespace focus {

// True when this CPU has AVX2 and FMA; every other entry point requires it.
bool cpuSupported();

// Chooses the AVX-512 micro-kernel where the CPU has it (the default) or the AVX2 one; returns the choice.
bool useAvx512(bool enabled);
bool avx512Enabled();

// C[M x N] = A[M x K] * B[K x N] (or C += ... when accumulate). Element (i, k) of A is
// A[i * rsA + k * csA], likewise for B; C is row-major with leading dimension ldc. On the calling thread.
void sgemm(long M, long N, long K, const float* A, long rsA, long csA, const float* B, long rsB, long csB, float* C,
           long ldc, bool accumulate);

// The same, cut by output rows or columns into chunks for the thread pool; the result does not depend on the cut.
void sgemmParallel(long M, long N, long K, const float* A, long rsA, long csA, const float* B, long rsB, long csB,
                   float* C, long ldc, bool accumulate);

// B (K x N) packed once for many sgemmPackedB calls: packedBFloats(K, N) floats, filled by packBPanels.
// The layout depends on the micro-kernel in use, so pack after any useAvx512 call.
long packedBFloats(long K, long N);
void packBPanels(long K, long N, const float* B, long rsB, long csB, float* out);
// C[M x N] (+)= A · B for a row-major A (A[i * lda + k]) and B from packBPanels; on the calling thread.
// Rounds exactly as sgemm does. K must be > 0.
void sgemmPackedB(long M, long N, long K, const float* A, long lda, const float* Bp, float* C, long ldc,
                  bool accumulate);

}  // namespace focus
