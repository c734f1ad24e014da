#pragma once

#include "conv.h"

namespace focus {

// Gradient of a max pool (NHWC; the geometry's Co must equal C): each dy goes to the first maximum of
// its window in row-major order, as the TF.js cpu backend routes it; padding never wins.
void maxPoolGrad(const ConvGeometry& g, const float* dy, const float* x, float* dx);

}  // namespace focus
