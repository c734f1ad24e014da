// The elementwise kernels of every training step (residual adds, ReLU and its gradient's mask and product)
// are memory-bound: on the wasm backend they run on one thread; here they use the pool.
#include "elementwise.h"

#include <cmath>

#include "thread-pool.h"

namespace focus {
namespace {

constexpr long kMinPerChunk = 1L << 16;
constexpr long kAlign = 16;

template <typename Fn>
void forEach(long n, Fn fn) {
  parallelRanges(n, kMinPerChunk, kAlign, [&](long b, long e) { fn(b, e); });
}

}  // namespace

__attribute__((target("avx2,fma"))) void addArrays(const float* a, const float* b, float* out, long n) {
  forEach(n, [&](long s, long e) __attribute__((target("avx2,fma"))) {
    for (long i = s; i < e; ++i) out[i] = a[i] + b[i];
  });
}

__attribute__((target("avx2,fma"))) void multiplyArrays(const float* a, const float* b, float* out, long n) {
  forEach(n, [&](long s, long e) __attribute__((target("avx2,fma"))) {
    for (long i = s; i < e; ++i) out[i] = a[i] * b[i];
  });
}

__attribute__((target("avx2,fma"))) void relu(const float* x, float* out, long n) {
  forEach(n, [&](long s, long e) __attribute__((target("avx2,fma"))) {
    for (long i = s; i < e; ++i) out[i] = x[i] > 0.0f || x[i] != x[i] ? x[i] : 0.0f;  // -0 becomes 0, as Math.max(0, x)
  });
}

__attribute__((target("avx2,fma"))) void step(const float* x, float* out, long n, float alpha) {
  forEach(n, [&](long s, long e) __attribute__((target("avx2,fma"))) {
    for (long i = s; i < e; ++i) out[i] = x[i] != x[i] ? x[i] : x[i] > 0.0f ? 1.0f : alpha;
  });
}

}  // namespace focus
