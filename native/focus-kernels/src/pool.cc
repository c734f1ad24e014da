#include "pool.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace focus {

// Per output pixel: the first valid tap seeds the per-channel maxima, later taps replace them only when
// strictly greater (so ties keep the first position). Branch-free selects let the channel loop vectorise.
__attribute__((target("avx2,fma"))) void maxPoolGrad(const ConvGeometry& g, const float* dy, const float* x, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.inputSize());
  std::vector<float> best(g.C);
  std::vector<int32_t> where(g.C);  // pixel index (n, ih, iw) of the maximum, per channel
  for (int n = 0; n < g.N; ++n) {
    for (int oh = 0; oh < g.OH; ++oh) {
      for (int ow = 0; ow < g.OW; ++ow) {
        bool seeded = false;
        for (int kh = 0; kh < g.KH; ++kh) {
          const int ih = oh * g.strideH - g.padTop + kh;
          if (ih < 0 || ih >= g.H) continue;
          for (int kw = 0; kw < g.KW; ++kw) {
            const int iw = ow * g.strideW - g.padLeft + kw;
            if (iw < 0 || iw >= g.W) continue;
            const int32_t pixel = (n * g.H + ih) * g.W + iw;
            const float* px = x + static_cast<long>(pixel) * g.C;
            if (!seeded) {
              std::memcpy(best.data(), px, sizeof(float) * g.C);
              for (int c = 0; c < g.C; ++c) where[c] = pixel;
              seeded = true;
              continue;
            }
            float* b = best.data();
            int32_t* w = where.data();
            for (int c = 0; c < g.C; ++c) {
              const bool gt = px[c] > b[c];
              b[c] = gt ? px[c] : b[c];
              w[c] = gt ? pixel : w[c];
            }
          }
        }
        if (!seeded) continue;
        const float* d = dy + ((static_cast<long>(n) * g.OH + oh) * g.OW + ow) * g.C;
        for (int c = 0; c < g.C; ++c) dx[static_cast<long>(where[c]) * g.C + c] += d[c];
      }
    }
  }
}

}  // namespace focus
