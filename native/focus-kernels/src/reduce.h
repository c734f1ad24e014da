#pragma once

namespace focus {

// out[c] = sum over r of x[r * cols + c]: a reduction over every axis but the last (per-channel sums of an
// NHWC tensor), in one pass instead of a transpose and an inner-axis reduction.
void sumOuterAxes(const float* x, long rows, long cols, float* out);

}  // namespace focus
