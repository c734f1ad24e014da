#include "sgd.h"

#include "thread-pool.h"

namespace focus {

void sgdMomentumStep(const float* w, const float* grad, const float* buf, float* wOut, float* bufOut, long n,
                     float learningRate, float momentum, float weightDecay) {
  parallelRanges(n, 1L << 16, 16, [&](long b, long e) {
    for (long i = b; i < e; ++i) {
      const float decayed = w[i] * weightDecay;
      const float g = grad[i] + decayed;
      const float scaledBuf = buf[i] * momentum;
      const float next = scaledBuf + g;
      const float step = next * learningRate;
      bufOut[i] = next;
      wOut[i] = w[i] - step;
    }
  });
}

}  // namespace focus
