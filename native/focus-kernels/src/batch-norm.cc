#include "batch-norm.h"

#include <cmath>
#include <vector>

namespace focus {

void batchNormForward(const float* x, const float* gamma, const float* beta, long rows, long channels, float epsilon,
                      float* y, float* mean, float* variance, float* invStd, float* scale) {
  std::vector<double> sum(channels, 0.0), sq(channels, 0.0);
  for (long r = 0; r < rows; ++r) {
    const float* row = x + r * channels;
    for (long c = 0; c < channels; ++c) sum[c] += row[c];
  }
  for (long c = 0; c < channels; ++c) mean[c] = static_cast<float>(sum[c] / rows);
  // Two passes (centred squares) rather than E[x^2] - E[x]^2, which cancels badly for large means.
  for (long r = 0; r < rows; ++r) {
    const float* row = x + r * channels;
    for (long c = 0; c < channels; ++c) {
      const double d = static_cast<double>(row[c]) - mean[c];
      sq[c] += d * d;
    }
  }
  std::vector<float> shift(channels);
  for (long c = 0; c < channels; ++c) {
    variance[c] = static_cast<float>(sq[c] / rows);
    invStd[c] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(variance[c]) + epsilon));
    scale[c] = gamma[c] * invStd[c];
    shift[c] = beta[c] - mean[c] * scale[c];
  }
  for (long r = 0; r < rows; ++r) {
    const float* in = x + r * channels;
    float* out = y + r * channels;
    for (long c = 0; c < channels; ++c) out[c] = in[c] * scale[c] + shift[c];
  }
}

void batchNormBackward(const float* dy, const float* x, const float* mean, const float* invStd, const float* scale,
                       long rows, long channels, float* dx, float* dGamma, float* dBeta) {
  std::vector<double> sumDy(channels, 0.0), sumDyCentred(channels, 0.0);
  for (long r = 0; r < rows; ++r) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    for (long c = 0; c < channels; ++c) {
      sumDy[c] += g[c];
      sumDyCentred[c] += static_cast<double>(g[c]) * (static_cast<double>(in[c]) - mean[c]);
    }
  }
  std::vector<float> meanDy(channels), coef(channels);
  for (long c = 0; c < channels; ++c) {
    meanDy[c] = static_cast<float>(sumDy[c] / rows);
    const double dGammaOverN = sumDyCentred[c] / rows * invStd[c];
    coef[c] = static_cast<float>(dGammaOverN * invStd[c]);
    dGamma[c] = static_cast<float>(dGammaOverN * rows);
    dBeta[c] = static_cast<float>(sumDy[c]);
  }
  for (long r = 0; r < rows; ++r) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    float* out = dx + r * channels;
    for (long c = 0; c < channels; ++c) out[c] = scale[c] * (g[c] - (in[c] - mean[c]) * coef[c] - meanDy[c]);
  }
}

}  // namespace focus
