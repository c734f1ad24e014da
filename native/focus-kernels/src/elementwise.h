#pragma once

namespace focus {

// Same-shape float32 elementwise kernels, split across the thread pool (any split gives the same result).
// NaN propagates as in the TF.js cpu backend.
void addArrays(const float* a, const float* b, float* out, long n);
void multiplyArrays(const float* a, const float* b, float* out, long n);
void relu(const float* x, float* out, long n);
// out = x > 0 ? 1 : alpha (NaN stays NaN): the mask of ReLU's gradient.
void step(const float* x, float* out, long n, float alpha);

}  // namespace focus
