// The scalar reference of the tconv family: the contract of tconv.h computed literally. Its
// packed layout is the trits reordered to [out_c][kh][kw][in_c] (the input's NHWC order), one
// s8 per trit.
#include <algorithm>
#include <cmath>

#include "triton/kernels/common/parallel.h"
#include "triton/kernels/tconv/internal.h"

namespace triton::kernels::tconv::internal {
namespace {

// acc = sum over (ky, kx, ic) of q * t, q = u8 - 128, for output pixel p and channel oc.
int32_t Accumulate(const ConvShape& s, const PackedWeights& w, const uint8_t* in, int64_t p,
                   int64_t oc) {
  const int64_t cp = s.in_c_pad(), wp = s.padded_w(), hp = s.padded_h();
  const int64_t oh = s.out_h(), ow = s.out_w();
  const int64_t n = p / (oh * ow), y0 = p % (oh * ow) / ow * s.stride_h, x0 = p % ow * s.stride_w;
  const int8_t* t = w.data.data() + oc * s.kh * s.kw * s.in_c;
  int32_t acc = 0;
  for (int64_t ky = 0; ky < s.kh; ++ky) {
    for (int64_t kx = 0; kx < s.kw; ++kx) {
      const uint8_t* a = in + ((n * hp + y0 + ky * s.dil_h) * wp + x0 + kx * s.dil_w) * cp;
      for (int64_t ic = 0; ic < s.in_c; ++ic) {
        acc += (static_cast<int32_t>(a[ic]) - 128) * static_cast<int32_t>(*t++);
      }
    }
  }
  return acc;
}

// Round to nearest, ties to even, independent of the FP rounding mode (the IR's formula).
float RoundHalfEven(float v) {
  const float r = std::round(v);
  return std::fabs(v - r) == 0.5f ? 2.0f * std::round(v * 0.5f) : r;
}

}  // namespace

Result<PackedWeights> PackReference(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh,
                                    int64_t kw) {
  PackedWeights p;
  p.wsum.Reset(static_cast<size_t>(std::max<int64_t>(out_c, 1)));
  if (Status st = CheckTritsAndSum(trits, out_c, in_c, kh, kw, p.wsum.data()); !st.ok()) {
    return st;
  }
  p.out_c = out_c, p.in_c = in_c, p.kh = kh, p.kw = kw;
  p.variant = kReferenceName;
  p.data.Reset(static_cast<size_t>(out_c * kh * kw * in_c));
  int8_t* d = p.data.data();
  for (int64_t o = 0; o < out_c; ++o) {
    for (int64_t y = 0; y < kh; ++y) {
      for (int64_t x = 0; x < kw; ++x) {
        for (int64_t ic = 0; ic < in_c; ++ic) *d++ = trits[((o * in_c + ic) * kh + y) * kw + x];
      }
    }
  }
  return p;
}

void ConvReference(const ConvShape& s, const PackedWeights& w, const uint8_t* in, const Epilogue& e,
                   float* out, int threads) {
  CheckPacked(s, w, kReferenceName);
  ParallelFor(s.out_pixels(), threads, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      for (int64_t oc = 0; oc < s.out_c; ++oc) {
        const auto v = static_cast<float>(Accumulate(s, w, in, p, oc));
        out[p * s.out_c + oc] = EpilogueScalar(e, p, oc, v);
      }
    }
  });
}

void ConvInt32Reference(const ConvShape& s, const PackedWeights& w, const uint8_t* in, int32_t* out,
                        int threads) {
  CheckPacked(s, w, kReferenceName);
  ParallelFor(s.out_pixels(), threads, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      for (int64_t oc = 0; oc < s.out_c; ++oc) out[p * s.out_c + oc] = Accumulate(s, w, in, p, oc);
    }
  });
}

// quantize_int8 of ir/eval_quant.cc, literally.
float AbsMaxReference(const float* x, int64_t n) {
  float m = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isfinite(x[i])) m = std::max(m, std::fabs(x[i]));
  }
  return m;
}

void CodesRowReference(const float* x, int64_t w, int64_t c, float scale, uint8_t* out) {
  const int64_t cp = RoundUp(c, kChannelAlign);
  for (int64_t px = 0; px < w; ++px) {
    for (int64_t ch = 0; ch < c; ++ch) {
      const float v = x[px * c + ch] / scale;
      const float q = std::isnan(v) ? 0.0f : RoundHalfEven(std::clamp(v, -127.0f, 127.0f));
      out[px * cp + ch] = static_cast<uint8_t>(static_cast<int>(q) + 128);
    }
    for (int64_t ch = c; ch < cp; ++ch) out[px * cp + ch] = 128;
  }
}

}  // namespace triton::kernels::tconv::internal
