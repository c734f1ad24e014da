#pragma once

namespace focus {

// A 2-D convolution in TF's layouts: x NHWC, filter HWIO ([KH, KW, C, Co]), y NHWC.
struct ConvGeometry {
  int N, H, W, C;
  int KH, KW, Co;
  int OH, OW;
  int strideH, strideW;
  int padTop, padLeft;

  long inputSize() const { return static_cast<long>(N) * H * W * C; }
  long filterSize() const { return static_cast<long>(KH) * KW * C * Co; }
  long outputSize() const { return static_cast<long>(N) * OH * OW * Co; }
};

void conv2dForward(const ConvGeometry& g, const float* x, const float* filter, float* y);
void conv2dBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dFilter);
void conv2dBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx);

}  // namespace focus
