#include "pool.h"

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <vector>

#include "thread-pool.h"

namespace focus {

// Per output pixel: the first valid tap seeds the per-channel maxima, later taps replace them only when
// strictly greater (so ties keep the first position). Branch-free selects let the channel loop vectorise.
// Images are independent (threads take chunks of the batch).
namespace {

__attribute__((target("avx2,fma"))) void maxPoolGradImages(const ConvGeometry& g, const float* dy, const float* x,
                                                           float* dx, int n0, int n1) {
  const long imageSize = static_cast<long>(g.H) * g.W * g.C;
  std::memset(dx + n0 * imageSize, 0, sizeof(float) * (n1 - n0) * imageSize);
  std::vector<float> best(g.C);
  std::vector<int32_t> where(g.C);  // pixel index (n, ih, iw) of the maximum, per channel
  for (int n = n0; n < n1; ++n) {
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

}  // namespace

void maxPoolGrad(const ConvGeometry& g, const float* dy, const float* x, float* dx) {
  const long perImage = static_cast<long>(g.OH) * g.OW * g.KH * g.KW * g.C;
  parallelRanges(g.N, std::max<long>(1, (1L << 16) / std::max<long>(1, perImage)), 1,
                 [&](long b, long e) { maxPoolGradImages(g, dy, x, dx, static_cast<int>(b), static_cast<int>(e)); });
}

}  // namespace focus
