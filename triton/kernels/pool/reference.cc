// The scalar level of the pool family: the reference evaluator's loops (eval_pool.cc) on NHWC.
#include <cmath>

#include "triton/kernels/pool/internal.h"

namespace triton::kernels::pool::internal {
namespace {

int64_t Min(int64_t a, int64_t b) { return a < b ? a : b; }
int64_t Max(int64_t a, int64_t b) { return a > b ? a : b; }

// The mean of window [y0, y1) x [x0, x1) of image `img` ([h][w][c]) per channel, summed in double
// in row-major window order and divided by `divisor` in double.
void AvgWindow(const float* img, int64_t w, int64_t c, int64_t y0, int64_t y1, int64_t x0,
               int64_t x1, double divisor, float* o) {
  for (int64_t ch = 0; ch < c; ++ch) {
    double sum = 0;
    for (int64_t iy = y0; iy < y1; ++iy) {
      for (int64_t ix = x0; ix < x1; ++ix) sum += img[(iy * w + ix) * c + ch];
    }
    o[ch] = static_cast<float>(sum / divisor);
  }
}

}  // namespace

void MaxRowsReference(const PoolShape& s, int64_t oh, int64_t ow, const float* in, float* out,
                      int64_t r0, int64_t r1) {
  const int64_t c = s.c;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / oh, oy = r % oh;
    const float* img = in + n * s.in_h * s.in_w * c;
    const int64_t y0 = Max(oy * s.stride_h - s.pad_h, 0);
    const int64_t y1 = Min(oy * s.stride_h - s.pad_h + s.kh, s.in_h);
    for (int64_t ox = 0; ox < ow; ++ox) {
      const int64_t x0 = Max(ox * s.stride_w - s.pad_w, 0);
      const int64_t x1 = Min(ox * s.stride_w - s.pad_w + s.kw, s.in_w);
      float* o = out + (r * ow + ox) * c;
      for (int64_t ch = 0; ch < c; ++ch) {
        float best = -HUGE_VALF;
        for (int64_t iy = y0; iy < y1; ++iy) {
          for (int64_t ix = x0; ix < x1; ++ix) {
            const float v = img[(iy * s.in_w + ix) * c + ch];
            if (v > best || (std::isnan(v) && !std::isnan(best))) best = v;
          }
        }
        o[ch] = best;
      }
    }
  }
}

void AvgRowsReference(const PoolShape& s, int64_t oh, int64_t ow, const float* in, float* out,
                      int64_t r0, int64_t r1) {
  const int64_t c = s.c;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / oh, oy = r % oh;
    const float* img = in + n * s.in_h * s.in_w * c;
    const int64_t ys = oy * s.stride_h - s.pad_h, ye = Min(ys + s.kh, s.in_h + s.pad_h);
    const int64_t y0 = Max(ys, 0), y1 = Min(ye, s.in_h);
    for (int64_t ox = 0; ox < ow; ++ox) {
      const int64_t xs = ox * s.stride_w - s.pad_w, xe = Min(xs + s.kw, s.in_w + s.pad_w);
      const int64_t x0 = Max(xs, 0), x1 = Min(xe, s.in_w);
      float* o = out + (r * ow + ox) * c;
      if (y0 >= y1 || x0 >= x1) {  // PyTorch writes 0 for an empty window
        for (int64_t ch = 0; ch < c; ++ch) o[ch] = 0.0f;
        continue;
      }
      AvgWindow(img, s.in_w, c, y0, y1, x0, x1, static_cast<double>((ye - ys) * (xe - xs)), o);
    }
  }
}

void AdaptiveRowsReference(int64_t h, int64_t w, int64_t c, int64_t oh, int64_t ow, const float* in,
                           float* out, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / oh, oy = r % oh;
    const int64_t y0 = oy * h / oh, y1 = ((oy + 1) * h + oh - 1) / oh;
    for (int64_t ox = 0; ox < ow; ++ox) {
      const int64_t x0 = ox * w / ow, x1 = ((ox + 1) * w + ow - 1) / ow;
      AvgWindow(in + n * h * w * c, w, c, y0, y1, x0, x1,
                static_cast<double>((y1 - y0) * (x1 - x0)), out + (r * ow + ox) * c);
    }
  }
}

}  // namespace triton::kernels::pool::internal
