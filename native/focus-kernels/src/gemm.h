#pragma once

namespace focus {

// True when this CPU has AVX2 and FMA; every other entry point requires it.
bool cpuSupported();

// C[M x N] = A[M x K] * B[K x N] (or C += ... when accumulate). Element (i, k) of A is
// A[i * rsA + k * csA], likewise for B; C is row-major with leading dimension ldc.
void sgemm(long M, long N, long K, const float* A, long rsA, long csA, const float* B, long rsB, long csB, float* C,
           long ldc, bool accumulate);

}  // namespace focus
