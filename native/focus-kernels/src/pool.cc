#include "pool.h"

#include <cstring>
#include <limits>
#include <vector>

namespace focus {

void maxPoolGrad(const ConvGeometry& g, const float* dy, const float* x, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.inputSize());
  std::vector<float> best(g.C);
  std::vector<long> where(g.C);
  for (int n = 0; n < g.N; ++n) {
    for (int oh = 0; oh < g.OH; ++oh) {
      for (int ow = 0; ow < g.OW; ++ow) {
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(where.begin(), where.end(), -1L);
        for (int kh = 0; kh < g.KH; ++kh) {
          const int ih = oh * g.strideH - g.padTop + kh;
          if (ih < 0 || ih >= g.H) continue;
          for (int kw = 0; kw < g.KW; ++kw) {
            const int iw = ow * g.strideW - g.padLeft + kw;
            if (iw < 0 || iw >= g.W) continue;
            const long base = ((static_cast<long>(n) * g.H + ih) * g.W + iw) * g.C;
            const float* px = x + base;
            for (int c = 0; c < g.C; ++c) {
              // NaN never compares greater, so a window of NaNs keeps its first valid position.
              if (px[c] > best[c] || where[c] < 0) {
                best[c] = px[c];
                where[c] = base + c;
              }
            }
          }
        }
        const float* d = dy + ((static_cast<long>(n) * g.OH + oh) * g.OW + ow) * g.C;
        for (int c = 0; c < g.C; ++c)
          if (where[c] >= 0) dx[where[c]] += d[c];
      }
    }
  }
}

}  // namespace focus
