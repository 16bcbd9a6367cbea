// The scalar reference of the tconv family: the contract of tconv.h computed literally. Its
// packed layout is the trits reordered to [out_c][kh][kw][in_c] (the input's NHWC order) in
// DESIGN.md §3's 2-bit storage: trit i of that order in bits 2(i % 4)+1..2(i % 4) of byte i / 4,
// code = trit + 1 (00 = -1, 01 = 0, 10 = +1); the last byte is padded with code 01.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "triton/kernels/common/parallel.h"
#include "triton/kernels/tconv/internal.h"

namespace triton::kernels::tconv::internal {
namespace {

// Trit i of the reference layout (file comment).
int8_t TritAt(const PackedWeights& w, int64_t i) {
  const auto byte = static_cast<uint8_t>(w.data[static_cast<size_t>(i / 4)]);
  return static_cast<int8_t>(((byte >> (2 * (i % 4))) & 3) - 1);
}

// The trits of output channel oc, [kh][kw][in_c], into t.
void UnpackRow(const PackedWeights& w, int64_t oc, int8_t* t) {
  const int64_t k = w.kh * w.kw * w.in_c;
  for (int64_t i = 0; i < k; ++i) t[i] = TritAt(w, oc * k + i);
}

// acc = sum over (ky, kx, ic) of q * t, q = u8 - 128, for output pixel p; t: the channel's trits
// [kh][kw][in_c] (UnpackRow).
int32_t Accumulate(const ConvShape& s, const int8_t* t, const uint8_t* in, int64_t p) {
  const int64_t cp = s.in_c_pad(), wp = s.padded_w(), hp = s.padded_h();
  const int64_t oh = s.out_h(), ow = s.out_w();
  const int64_t n = p / (oh * ow), y0 = p % (oh * ow) / ow * s.stride_h, x0 = p % ow * s.stride_w;
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

// Calls f(p, oc, acc) for every output pixel and channel; each thread unpacks one channel's
// trits at a time and runs its pixels over them.
template <typename F>
void ForEachAcc(const ConvShape& s, const PackedWeights& w, const uint8_t* in, int threads, F&& f) {
  ParallelFor(s.out_pixels(), threads, [&](int64_t begin, int64_t end) {
    std::vector<int8_t> t(static_cast<size_t>(s.kh * s.kw * s.in_c));
    for (int64_t oc = 0; oc < s.out_c; ++oc) {
      UnpackRow(w, oc, t.data());
      for (int64_t p = begin; p < end; ++p) f(p, oc, Accumulate(s, t.data(), in, p));
    }
  });
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
  p.data.Reset(static_cast<size_t>((out_c * kh * kw * in_c + 3) / 4));
  std::memset(p.data.data(), 0x55, p.data.bytes());  // code 01 (trit 0) everywhere
  auto* d = reinterpret_cast<uint8_t*>(p.data.data());
  int64_t i = 0;
  for (int64_t o = 0; o < out_c; ++o) {
    for (int64_t y = 0; y < kh; ++y) {
      for (int64_t x = 0; x < kw; ++x) {
        for (int64_t ic = 0; ic < in_c; ++ic, ++i) {
          const auto code = static_cast<unsigned>(trits[((o * in_c + ic) * kh + y) * kw + x] + 1);
          const int64_t shift = 2 * (i % 4);
          d[i / 4] = static_cast<uint8_t>((d[i / 4] & ~(3u << shift)) | code << shift);
        }
      }
    }
  }
  return p;
}

void ConvReference(const ConvShape& s, const PackedWeights& w, const uint8_t* in, const Epilogue& e,
                   float* out, int threads) {
  CheckPacked(s, w, kReferenceName);
  ForEachAcc(s, w, in, threads, [&](int64_t p, int64_t oc, int32_t acc) {
    out[p * s.out_c + oc] = EpilogueScalar(e, p, oc, static_cast<float>(acc));
  });
}

void ConvInt32Reference(const ConvShape& s, const PackedWeights& w, const uint8_t* in, int32_t* out,
                        int threads) {
  CheckPacked(s, w, kReferenceName);
  ForEachAcc(s, w, in, threads,
             [&](int64_t p, int64_t oc, int32_t acc) { out[p * s.out_c + oc] = acc; });
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
