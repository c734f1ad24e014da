#include "batch-norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "thread-pool.h"

namespace focus {
namespace {

// Channel sums are accumulated in float over blocks of rows (vectorised across channels), then added into
// double totals, so a 200k-row layer keeps double accuracy without a double conversion per element.
// Chunks of whole blocks each keep their own double totals, added in chunk order: the float partials are
// the same for any thread count, only the order of the double additions changes.
constexpr long kRowsPerBlock = 64;
constexpr long kMinElementsPerChunk = 1L << 15;

// Sums of `sums` per-channel terms (1 or 2) in one pass over the rows: term(r, acc) adds row r's terms into
// acc[0..channels) (first sum) and acc[channels..2 * channels) (second). Each sum gets the same float
// partials and double additions as it would alone, so fusing two passes changes no bit.
template <typename RowTerm>
__attribute__((target("avx2,fma"))) void channelSums(long rows, long channels, int sums,
                                                     std::vector<double>* const* total, RowTerm term) {
  const long width = channels * sums;
  const int chunks = chunksFor(rows * channels, kMinElementsPerChunk, 4);
  std::vector<std::vector<double>> totals(chunks, std::vector<double>(width, 0.0));
  runChunks(chunks, [&](int t) {
    long begin, end;
    chunkRange(rows, chunks, t, kRowsPerBlock, &begin, &end);
    std::vector<float> partial(width);
    float* p = partial.data();
    double* sum = totals[t].data();
    for (long r0 = begin; r0 < end; r0 += kRowsPerBlock) {
      std::fill(partial.begin(), partial.end(), 0.0f);
      const long r1 = std::min(end, r0 + kRowsPerBlock);
      for (long r = r0; r < r1; ++r) term(r, p);
      for (long c = 0; c < width; ++c) sum[c] += p[c];
    }
  });
  for (int s = 0; s < sums; ++s) {
    std::vector<double>& out = *total[s];
    for (int t = 0; t < chunks; ++t)
      for (long c = 0; c < channels; ++c) out[c] += totals[t][s * channels + c];
  }
}

template <typename RowTerm>
void channelSums(long rows, long channels, std::vector<double>& total, RowTerm term) {
  std::vector<double>* one[] = {&total};
  channelSums(rows, channels, 1, one, term);
}

// fn(row) for every row, split across threads (elementwise passes: any split gives the same result).
template <typename RowFn>
void forRows(long rows, long channels, RowFn fn) {
  parallelRanges(rows, std::max<long>(1, kMinElementsPerChunk / channels), 1, [&](long b, long e) {
    for (long r = b; r < e; ++r) fn(r);
  });
}

}  // namespace

__attribute__((target("avx2,fma"))) void batchNormForward(const float* x, const float* gamma, const float* beta, long rows,
                                                          long channels, float epsilon, float* y, float* mean,
                                                          float* variance, float* invStd, float* scale) {
  std::vector<double> sum(channels, 0.0), sq(channels, 0.0);
  channelSums(rows, channels, sum, [&](long r, float* acc) {
    const float* row = x + r * channels;
    for (long c = 0; c < channels; ++c) acc[c] += row[c];
  });
  for (long c = 0; c < channels; ++c) mean[c] = static_cast<float>(sum[c] / rows);
  // Two passes (centred squares) rather than E[x^2] - E[x]^2, which cancels badly for large means.
  channelSums(rows, channels, sq, [&](long r, float* acc) {
    const float* row = x + r * channels;
    for (long c = 0; c < channels; ++c) {
      const float d = row[c] - mean[c];
      acc[c] += d * d;
    }
  });
  std::vector<float> shift(channels);
  for (long c = 0; c < channels; ++c) {
    variance[c] = static_cast<float>(sq[c] / rows);
    invStd[c] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(variance[c]) + epsilon));
    scale[c] = gamma[c] * invStd[c];
    shift[c] = beta[c] - mean[c] * scale[c];
  }
  const float* s = scale;
  const float* t = shift.data();
  forRows(rows, channels, [&](long r) __attribute__((target("avx2,fma"))) {
    const float* in = x + r * channels;
    float* out = y + r * channels;
    for (long c = 0; c < channels; ++c) out[c] = in[c] * s[c] + t[c];
  });
}

__attribute__((target("avx2,fma"))) void batchNormBackward(const float* dy, const float* x, const float* mean,
                                                           const float* invStd, const float* scale, long rows,
                                                           long channels, float* dx, float* dGamma, float* dBeta) {
  std::vector<double> sumDy(channels, 0.0), sumDyCentred(channels, 0.0);
  // One pass for both sums: dy is read once instead of twice.
  std::vector<double>* both[] = {&sumDy, &sumDyCentred};
  channelSums(rows, channels, 2, both, [&](long r, float* acc) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    float* accCentred = acc + channels;
    for (long c = 0; c < channels; ++c) {
      acc[c] += g[c];
      accCentred[c] += g[c] * (in[c] - mean[c]);
    }
  });
  std::vector<float> meanDy(channels), coef(channels);
  for (long c = 0; c < channels; ++c) {
    meanDy[c] = static_cast<float>(sumDy[c] / rows);
    const double dGammaOverN = sumDyCentred[c] / rows * invStd[c];
    coef[c] = static_cast<float>(dGammaOverN * invStd[c]);
    dGamma[c] = static_cast<float>(dGammaOverN * rows);
    dBeta[c] = static_cast<float>(sumDy[c]);
  }
  const float* md = meanDy.data();
  const float* cf = coef.data();
  forRows(rows, channels, [&](long r) __attribute__((target("avx2,fma"))) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    float* out = dx + r * channels;
    for (long c = 0; c < channels; ++c) out[c] = scale[c] * (g[c] - (in[c] - mean[c]) * cf[c] - md[c]);
  });
}

}  // namespace focus
