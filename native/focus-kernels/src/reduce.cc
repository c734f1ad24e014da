#include "reduce.h"

#include <cstring>
#include <vector>

#include "thread-pool.h"

namespace focus {
namespace {

__attribute__((target("avx2,fma"))) void sumRows(const float* x, long begin, long end, long cols, float* out) {
  std::memset(out, 0, sizeof(float) * cols);
  for (long r = begin; r < end; ++r) {
    const float* row = x + r * cols;
    for (long c = 0; c < cols; ++c) out[c] += row[c];
  }
}

}  // namespace

// Each chunk of rows has its own sums, added in chunk order (deterministic for a thread count).
void sumOuterAxes(const float* x, long rows, long cols, float* out) {
  const int chunks = chunksFor(rows * cols, 1L << 16, 4);
  if (chunks == 1) {
    sumRows(x, 0, rows, cols, out);
    return;
  }
  std::vector<float> partials((chunks - 1) * cols);
  runChunks(chunks, [&](int t) {
    long b, e;
    chunkRange(rows, chunks, t, 1, &b, &e);
    sumRows(x, b, e, cols, t == 0 ? out : partials.data() + (t - 1) * cols);
  });
  for (int t = 1; t < chunks; ++t)
    for (long c = 0; c < cols; ++c) out[c] += partials[(t - 1) * cols + c];
}

}  // namespace focus
