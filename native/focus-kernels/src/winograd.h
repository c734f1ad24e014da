#pragma once

#include "conv.h"

namespace focus {

// Winograd F(2x2, 3x3) for stride-1 3x3 convolutions (winograd.cc). On by default; off, every convolution
// goes through im2col + GEMM (tests compare the two). Returns whether it is used.
bool useWinograd(bool enabled);

// True when the forward pass and the input gradient of this layer go through Winograd.
bool winogradApplies(const ConvGeometry& g);

void winogradForward(const ConvGeometry& g, const float* x, const float* filter, float* y);
void winogradBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx);
void winogradBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter);

}  // namespace focus
