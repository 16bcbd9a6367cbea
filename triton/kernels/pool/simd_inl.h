#pragma once
// The SIMD bodies of the pool family, written once over a vector-traits class V and included by
// avx2.cc and avx512vnni.cc, each compiled with its own target flags. Everything sits in an
// anonymous namespace on purpose: each including file gets its own copy built for its ISA, and
// no inline function compiled with AVX-512 flags can be merged by the linker into code that runs
// on a lesser CPU (for the same reason this file uses no std:: inline helpers).
//
// V provides: F (float vector), M (lane mask), kW (lanes), Mask(n) (lanes < n, 1 <= n <= kW),
// Load/Store (masked), LoadFull/StoreFull, Set1(x);
// MaxStep(best, v): v where v > best or (v is NaN and best is not), else best -- the reference's
// first-maximum / first-NaN rule, lane by lane;
// D (kW double lanes), DZero(), DAdd(d, f) (f widened to double, added), DDiv(d, x) (d / x in
// double, rounded to float).
#include <cstdint>

#include "triton/kernels/pool/internal.h"

namespace triton::kernels::pool::internal {
namespace {

inline int64_t MinI(int64_t a, int64_t b) { return a < b ? a : b; }
inline int64_t MaxI(int64_t a, int64_t b) { return a > b ? a : b; }

template <class V>
inline typename V::F Ld(const float* p, typename V::M m, bool full) {
  return full ? V::LoadFull(p) : V::Load(p, m);
}

template <class V>
inline void St(float* p, typename V::F v, typename V::M m, bool full) {
  if (full) {
    V::StoreFull(p, v);
  } else {
    V::Store(p, v, m);
  }
}

// Max over window [y0, y1) x [x0, x1) (non-empty) of image `img` ([h][w][c]), all channels.
template <class V>
void MaxWindow(const float* img, int64_t w, int64_t c, int64_t y0, int64_t y1, int64_t x0,
               int64_t x1, float* o) {
  for (int64_t cb = 0; cb < c; cb += V::kW) {
    const bool full = c - cb >= V::kW;
    const typename V::M m = V::Mask(MinI(V::kW, c - cb));
    const float* base = img + cb;
    typename V::F best = Ld<V>(base + (y0 * w + x0) * c, m, full);
    for (int64_t iy = y0; iy < y1; ++iy) {
      for (int64_t ix = iy == y0 ? x0 + 1 : x0; ix < x1; ++ix) {
        best = V::MaxStep(best, Ld<V>(base + (iy * w + ix) * c, m, full));
      }
    }
    St<V>(o + cb, best, m, full);
  }
}

// Mean over window [y0, y1) x [x0, x1) with the given divisor, summed in double.
template <class V>
void AvgWindow(const float* img, int64_t w, int64_t c, int64_t y0, int64_t y1, int64_t x0,
               int64_t x1, double divisor, float* o) {
  for (int64_t cb = 0; cb < c; cb += V::kW) {
    const bool full = c - cb >= V::kW;
    const typename V::M m = V::Mask(MinI(V::kW, c - cb));
    const float* base = img + cb;
    typename V::D sum = V::DZero();
    for (int64_t iy = y0; iy < y1; ++iy) {
      for (int64_t ix = x0; ix < x1; ++ix)
        sum = V::DAdd(sum, Ld<V>(base + (iy * w + ix) * c, m, full));
    }
    St<V>(o + cb, V::DDiv(sum, divisor), m, full);
  }
}

template <class V>
void FillRow(float* o, int64_t c, float value) {
  for (int64_t cb = 0; cb < c; cb += V::kW) {
    const bool full = c - cb >= V::kW;
    St<V>(o + cb, V::Set1(value), V::Mask(MinI(V::kW, c - cb)), full);
  }
}

template <class V>
void MaxRowsT(const PoolShape& s, int64_t oh, int64_t ow, const float* in, float* out, int64_t r0,
              int64_t r1) {
  const int64_t c = s.c;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / oh, oy = r % oh;
    const float* img = in + n * s.in_h * s.in_w * c;
    const int64_t y0 = MaxI(oy * s.stride_h - s.pad_h, 0);
    const int64_t y1 = MinI(oy * s.stride_h - s.pad_h + s.kh, s.in_h);
    for (int64_t ox = 0; ox < ow; ++ox) {
      const int64_t x0 = MaxI(ox * s.stride_w - s.pad_w, 0);
      const int64_t x1 = MinI(ox * s.stride_w - s.pad_w + s.kw, s.in_w);
      float* o = out + (r * ow + ox) * c;
      if (y0 >= y1 || x0 >= x1) {
        FillRow<V>(o, c, -__builtin_inff());
      } else {
        MaxWindow<V>(img, s.in_w, c, y0, y1, x0, x1, o);
      }
    }
  }
}

template <class V>
void AvgRowsT(const PoolShape& s, int64_t oh, int64_t ow, const float* in, float* out, int64_t r0,
              int64_t r1) {
  const int64_t c = s.c;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / oh, oy = r % oh;
    const float* img = in + n * s.in_h * s.in_w * c;
    const int64_t ys = oy * s.stride_h - s.pad_h, ye = MinI(ys + s.kh, s.in_h + s.pad_h);
    const int64_t y0 = MaxI(ys, 0), y1 = MinI(ye, s.in_h);
    for (int64_t ox = 0; ox < ow; ++ox) {
      const int64_t xs = ox * s.stride_w - s.pad_w, xe = MinI(xs + s.kw, s.in_w + s.pad_w);
      const int64_t x0 = MaxI(xs, 0), x1 = MinI(xe, s.in_w);
      float* o = out + (r * ow + ox) * c;
      if (y0 >= y1 || x0 >= x1) {  // PyTorch writes 0 for an empty window
        FillRow<V>(o, c, 0.0f);
      } else {
        AvgWindow<V>(img, s.in_w, c, y0, y1, x0, x1, static_cast<double>((ye - ys) * (xe - xs)), o);
      }
    }
  }
}

template <class V>
void AdaptiveRowsT(int64_t h, int64_t w, int64_t c, int64_t oh, int64_t ow, const float* in,
                   float* out, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / oh, oy = r % oh;
    const int64_t y0 = oy * h / oh, y1 = ((oy + 1) * h + oh - 1) / oh;
    for (int64_t ox = 0; ox < ow; ++ox) {
      const int64_t x0 = ox * w / ow, x1 = ((ox + 1) * w + ow - 1) / ow;
      AvgWindow<V>(in + n * h * w * c, w, c, y0, y1, x0, x1,
                   static_cast<double>((y1 - y0) * (x1 - x0)), out + (r * ow + ox) * c);
    }
  }
}

}  // namespace
}  // namespace triton::kernels::pool::internal

// Defines the exported per-ISA entry points of internal.h for traits V with name suffix S.
#define TRITON_POOL_DEFINE(S, V)                                                                 \
  void MaxRows##S(const PoolShape& s, int64_t oh, int64_t ow, const float* in, float* out,       \
                  int64_t r0, int64_t r1) {                                                      \
    MaxRowsT<V>(s, oh, ow, in, out, r0, r1);                                                     \
  }                                                                                              \
  void AvgRows##S(const PoolShape& s, int64_t oh, int64_t ow, const float* in, float* out,       \
                  int64_t r0, int64_t r1) {                                                      \
    AvgRowsT<V>(s, oh, ow, in, out, r0, r1);                                                     \
  }                                                                                              \
  void AdaptiveRows##S(int64_t h, int64_t w, int64_t c, int64_t oh, int64_t ow, const float* in, \
                       float* out, int64_t r0, int64_t r1) {                                     \
    AdaptiveRowsT<V>(h, w, c, oh, ow, in, out, r0, r1);                                          \
  }
