// The scalar level of the fconv family: the epilogue pass and the depthwise convolution as plain
// loops (the definition the SIMD levels are tested against, and the path for CPUs without AVX2).
#include <algorithm>

#include "triton/kernels/fconv/internal.h"

namespace triton::kernels::fconv::internal {

void EpilogueBlockReference(const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows,
                            int64_t c0, int64_t c1) {
  for (int64_t r = 0; r < rows; ++r) {
    float* o = out + r * ld;
    for (int64_t c = c0; c < c1; ++c) o[c] = EpilogueScalar(e, p0 + r, c, o[c]);
  }
}

// out[n, oy, ox, c] = epilogue(sum over ky, kx of in[n, iy, ix, c] * w[ky * kw + kx][c]), taps
// outside the input skipped, summed in float in (ky, kx) order from +0.
void DepthwiseRowsReference(const ConvShape& s, const float* w, const float* in, const Epilogue& e,
                            float* out, int64_t r0, int64_t r1) {
  const int64_t oh = s.out_h(), ow = s.out_w(), c = s.in_c;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / oh, oy = r % oh;
    for (int64_t ox = 0; ox < ow; ++ox) {
      const int64_t p = r * ow + ox;
      float* o = out + p * c;
      for (int64_t ch = 0; ch < c; ++ch) {
        float acc = 0.0f;
        for (int64_t ky = 0; ky < s.kh; ++ky) {
          const int64_t iy = oy * s.stride_h - s.pad_h + ky * s.dil_h;
          if (iy < 0 || iy >= s.in_h) continue;
          for (int64_t kx = 0; kx < s.kw; ++kx) {
            const int64_t ix = ox * s.stride_w - s.pad_w + kx * s.dil_w;
            if (ix < 0 || ix >= s.in_w) continue;
            acc += in[((n * s.in_h + iy) * s.in_w + ix) * c + ch] * w[(ky * s.kw + kx) * c + ch];
          }
        }
        o[ch] = EpilogueScalar(e, p, ch, acc);
      }
    }
  }
}

}  // namespace triton::kernels::fconv::internal
