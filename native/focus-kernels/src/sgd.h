#pragma once

namespace focus {

// PyTorch's SGD step (dampening 0, no Nesterov) for one parameter, rounding exactly as the separate TF.js
// ops do (this file is compiled without FMA contraction):
//   g = grad + weightDecay * w;  buf' = momentum * buf + g;  w' = w - lr * buf'
void sgdMomentumStep(const float* w, const float* grad, const float* buf, float* wOut, float* bufOut, long n,
                     float learningRate, float momentum, float weightDecay);

}  // namespace focus
