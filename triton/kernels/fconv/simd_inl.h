#pragma once
// The SIMD bodies of the fconv family, written once over a vector-traits class V and included by
// avx2.cc and avx512vnni.cc, each compiled with its own target flags. Everything here sits in an
// anonymous namespace on purpose: each including file gets its own copy built for its ISA, and
// no inline function compiled with AVX-512 flags can be merged by the linker into code that runs
// on a lesser CPU (for the same reason this file uses no std:: inline helpers).
//
// V provides: F (float vector), M (lane mask), kW (lanes), Mask(n) (lanes < n, 1 <= n <= kW),
// Load/Store (masked), LoadFull/StoreFull, Zero(), Set1(x), Fma(a, b, c) = a * b + c rounded
// once, Add(a, b), Max(a, b) = a > b ? a : b and Min(a, b) = a < b ? a : b (the MAXPS/MINPS rules,
// which match std::max(y, 0) / std::min(y, 6) on NaN and -0.0 when called as Max(zero, y) and
// Min(six, y)), Sigmoid(y) and Silu(y) (the vector forms of fast_math.h, bit-identical to
// FastSigmoid / FastSilu).
#include <cstdint>

#include "triton/kernels/fconv/internal.h"

namespace triton::kernels::fconv::internal {
namespace {

inline int64_t MinI(int64_t a, int64_t b) { return a < b ? a : b; }
inline int64_t MaxI(int64_t a, int64_t b) { return a > b ? a : b; }
// Floor division for b > 0 and any sign of a.
inline int64_t FloorDivI(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

inline bool VectorAct(Act a) {
  return a == Act::kNone || a == Act::kRelu || a == Act::kRelu6 || a == Act::kSigmoid ||
         a == Act::kSilu;
}

template <class V>
inline typename V::F Ld(const float* p, typename V::M m, bool full) {
  return full ? V::LoadFull(p) : V::Load(p, m);
}

// EpilogueScalar for the lanes of channels c .. c + kW - 1 of pixel row `res` (residual row of
// this pixel, or null), except the activations that VectorAct does not cover (applied later by
// ApplyAct on the stored values, as EpilogueScalar's last step).
template <class V>
inline typename V::F EpilogueVec(const Epilogue& e, typename V::F v, const float* res, int64_t c,
                                 typename V::M m, bool full) {
  const typename V::F add = e.add ? Ld<V>(e.add + c, m, full) : V::Zero();
  typename V::F y = e.mul ? V::Fma(v, Ld<V>(e.mul + c, m, full), add) : V::Add(v, add);
  if (res) y = V::Add(y, Ld<V>(res + c, m, full));
  if (e.act == Act::kRelu) y = V::Max(V::Zero(), y);
  if (e.act == Act::kRelu6) y = V::Min(V::Set1(6.0f), V::Max(V::Zero(), y));
  if (e.act == Act::kSigmoid) y = V::Sigmoid(y);
  if (e.act == Act::kSilu) y = V::Silu(y);
  return y;
}

template <class V>
void EpilogueBlockT(const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows, int64_t c0,
                    int64_t c1) {
  for (int64_t r = 0; r < rows; ++r) {
    float* o = out + r * ld;
    const float* res = e.residual ? e.residual + (p0 + r) * e.residual_stride : nullptr;
    for (int64_t c = c0; c < c1; c += V::kW) {
      const bool full = c1 - c >= V::kW;
      const typename V::M m = V::Mask(MinI(V::kW, c1 - c));
      const typename V::F y = EpilogueVec<V>(e, Ld<V>(o + c, m, full), res, c, m, full);
      if (full) {
        V::StoreFull(o + c, y);
      } else {
        V::Store(o + c, y, m);
      }
    }
    if (!VectorAct(e.act)) {
      for (int64_t c = c0; c < c1; ++c) o[c] = ApplyAct(e.act, o[c]);
    }
  }
}

// Depthwise convolution of NP output pixels ox .. ox + NP - 1 of output row r (image n, row oy)
// over kernel rows [ky0, ky1) and kernel columns [kx0, kx1), which must be inside the input for
// all NP pixels. Sums in (ky, kx) order from +0, one fma per tap.
template <class V, int NP>
inline void DepthwisePixels(const ConvShape& s, const float* w, const float* img, const Epilogue& e,
                            float* orow, int64_t p_first, int64_t oy, int64_t ox, int64_t ky0,
                            int64_t ky1, int64_t kx0, int64_t kx1) {
  const int64_t c = s.in_c;
  const int64_t step = s.stride_w * c;
  for (int64_t cb = 0; cb < c; cb += V::kW) {
    const bool full = c - cb >= V::kW;
    const typename V::M m = V::Mask(MinI(V::kW, c - cb));
    typename V::F acc[NP];
    for (int j = 0; j < NP; ++j) acc[j] = V::Zero();
    for (int64_t ky = ky0; ky < ky1; ++ky) {
      const int64_t iy = oy * s.stride_h - s.pad_h + ky * s.dil_h;
      const float* irow = img + iy * s.in_w * c + cb;
      const float* wrow = w + ky * s.kw * c + cb;
      for (int64_t kx = kx0; kx < kx1; ++kx) {
        const typename V::F wv = Ld<V>(wrow + kx * c, m, full);
        const float* src = irow + (ox * s.stride_w - s.pad_w + kx * s.dil_w) * c;
        for (int j = 0; j < NP; ++j) acc[j] = V::Fma(Ld<V>(src + j * step, m, full), wv, acc[j]);
      }
    }
    for (int j = 0; j < NP; ++j) {
      const int64_t p = p_first + j;
      const float* res = e.residual ? e.residual + p * e.residual_stride : nullptr;
      const typename V::F y = EpilogueVec<V>(e, acc[j], res, cb, m, full);
      float* o = orow + (ox + j) * c + cb;
      if (full) {
        V::StoreFull(o, y);
      } else {
        V::Store(o, y, m);
      }
    }
  }
}

// The common 3x3, stride-1, undilated case over interior columns [ox0, ox1) (whole window inside
// the input horizontally), in blocks of 8 pixels; returns the first column it left undone. Per
// channel block the 9 weight vectors stay in registers, and per kernel row the 10 input vectors
// are loaded once for the 8 x 3 taps that use them. Same per-output summation order as
// DepthwisePixels (ky, then kx, from +0).
template <class V>
int64_t Depthwise3x3S1(const ConvShape& s, const float* w, const float* img, const Epilogue& e,
                       float* orow, int64_t p_first, int64_t oy, int64_t ox0, int64_t ox1,
                       int64_t ky0, int64_t ky1) {
  constexpr int kNP = 8;
  const int64_t c = s.in_c;
  const int64_t blocks = (ox1 - ox0) / kNP;
  if (blocks == 0) return ox0;
  for (int64_t cb = 0; cb < c; cb += V::kW) {
    const bool full = c - cb >= V::kW;
    const typename V::M m = V::Mask(MinI(V::kW, c - cb));
    typename V::F wv[9];
#pragma GCC unroll 9
    for (int t = 0; t < 9; ++t) wv[t] = Ld<V>(w + t * c + cb, m, full);
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t ox = ox0 + b * kNP;
      typename V::F acc[kNP];
#pragma GCC unroll 8
      for (int j = 0; j < kNP; ++j) acc[j] = V::Zero();
#pragma GCC unroll 3
      for (int ky = 0; ky < 3; ++ky) {
        if (ky < ky0 || ky >= ky1) continue;
        const int64_t iy = oy - s.pad_h + ky;
        const float* src = img + (iy * s.in_w + ox - s.pad_w) * c + cb;
        typename V::F x[kNP + 2];
#pragma GCC unroll 10
        for (int i = 0; i < kNP + 2; ++i) x[i] = Ld<V>(src + i * c, m, full);
#pragma GCC unroll 3
        for (int kx = 0; kx < 3; ++kx) {
#pragma GCC unroll 8
          for (int j = 0; j < kNP; ++j) acc[j] = V::Fma(x[j + kx], wv[ky * 3 + kx], acc[j]);
        }
      }
#pragma GCC unroll 8
      for (int j = 0; j < kNP; ++j) {
        const int64_t p = p_first + (ox - ox0) + j;
        const float* res = e.residual ? e.residual + p * e.residual_stride : nullptr;
        const typename V::F y = EpilogueVec<V>(e, acc[j], res, cb, m, full);
        float* o = orow + (ox + j) * c + cb;
        if (full) {
          V::StoreFull(o, y);
        } else {
          V::Store(o, y, m);
        }
      }
    }
  }
  return ox0 + blocks * kNP;
}

template <class V>
void DepthwiseRowsT(const ConvShape& s, const float* w, const float* in, const Epilogue& e,
                    float* out, int64_t r0, int64_t r1) {
  const int64_t oh = (s.in_h + 2 * s.pad_h - s.dil_h * (s.kh - 1) - 1) / s.stride_h + 1;
  const int64_t ow = (s.in_w + 2 * s.pad_w - s.dil_w * (s.kw - 1) - 1) / s.stride_w + 1;
  const int64_t c = s.in_c;
  // Output columns whose whole window lies inside the input horizontally: [in_lo, in_hi).
  const int64_t in_lo = MinI(ow, (s.pad_w + s.stride_w - 1) / s.stride_w);
  const int64_t in_hi =
      MaxI(in_lo, MinI(ow, FloorDivI(s.in_w - 1 - (s.kw - 1) * s.dil_w + s.pad_w, s.stride_w) + 1));
  constexpr int kNP = 4;
  const bool k3s1 =
      s.kh == 3 && s.kw == 3 && s.stride_h == 1 && s.stride_w == 1 && s.dil_h == 1 && s.dil_w == 1;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / oh, oy = r % oh;
    // Kernel rows inside the input: iy = oy * sh - ph + ky * dh in [0, in_h).
    const int64_t top = oy * s.stride_h - s.pad_h;
    const int64_t ky0 = MinI(s.kh, MaxI(0, (-top + s.dil_h - 1) / s.dil_h));
    const int64_t ky1 = MaxI(ky0, MinI(s.kh, FloorDivI(s.in_h - 1 - top, s.dil_h) + 1));
    const float* img = in + n * s.in_h * s.in_w * c;
    float* orow = out + r * ow * c;
    int64_t ox = 0;
    bool fast_done = !k3s1;
    while (ox < ow) {
      if (!fast_done && ox == in_lo) {
        fast_done = true;
        ox = Depthwise3x3S1<V>(s, w, img, e, orow, r * ow + ox, oy, in_lo, in_hi, ky0, ky1);
        continue;
      }
      if (ox >= in_lo && ox + kNP <= in_hi) {
        DepthwisePixels<V, kNP>(s, w, img, e, orow, r * ow + ox, oy, ox, ky0, ky1, 0, s.kw);
        ox += kNP;
        continue;
      }
      const int64_t left = ox * s.stride_w - s.pad_w;
      const int64_t kx0 = MinI(s.kw, MaxI(0, (-left + s.dil_w - 1) / s.dil_w));
      const int64_t kx1 = MaxI(kx0, MinI(s.kw, FloorDivI(s.in_w - 1 - left, s.dil_w) + 1));
      DepthwisePixels<V, 1>(s, w, img, e, orow, r * ow + ox, oy, ox, ky0, ky1, kx0, kx1);
      ++ox;
    }
    if (!VectorAct(e.act)) {
      for (int64_t i = 0; i < ow * c; ++i) orow[i] = ApplyAct(e.act, orow[i]);
    }
  }
}

}  // namespace
}  // namespace triton::kernels::fconv::internal
