#pragma once

namespace focus {

// Training-mode batch normalisation over the last axis of x viewed as [rows, C] (lib/ml/models/layers/
// batch-norm-train.ts has the formulas). Channel sums are accumulated in double.
//   forward:  mean, biased variance, invStd = 1/sqrt(var + eps), scale = gamma * invStd,
//             y = x * scale + (beta - mean * scale)
//   backward: dx = scale * (dy - (x - mean) * coef - mean(dy)),  coef = invStd^2 * mean(dy * (x - mean)),
//             dgamma = invStd * sum(dy * (x - mean)),  dbeta = sum(dy)
void batchNormForward(const float* x, const float* gamma, const float* beta, long rows, long channels, float epsilon,
                      float* y, float* mean, float* variance, float* invStd, float* scale);
void batchNormBackward(const float* dy, const float* x, const float* mean, const float* invStd, const float* scale,
                       long rows, long channels, float* dx, float* dGamma, float* dBeta);

}  // namespace focus
