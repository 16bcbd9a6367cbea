// The scalar form of fast_math.h (the definition the SIMD forms are tested against, and what the
// scalar epilogue applies). Baseline x86-64: std::fma is a correctly rounded fma (vfmadd where
// the CPU has FMA), as _mm*_fmadd_ps; the rest are single IEEE operations and bit moves.
#include "triton/kernels/common/fast_math.h"

#include <bit>
#include <cmath>

namespace triton::kernels {
namespace {

using namespace fast_math;

struct ExpParts {
  float q, s1, s2;  // e^a = (q * s1) * s2
};

// fast_math.h, "Exp parts"; a is not NaN.
ExpParts Parts(float a) {
  a = kExpLo > a ? kExpLo : a;  // max_ps(lo, a)
  a = kExpHi < a ? kExpHi : a;  // min_ps(hi, a)
  const float t = std::fma(a, kLog2e, kRoundShift);
  const float nf = t - kRoundShift;
  float r = std::fma(nf, kMinusLn2Hi, a);
  r = std::fma(nf, kMinusLn2Lo, r);
  float p = kC0;
  p = std::fma(p, r, kC1);
  p = std::fma(p, r, kC2);
  p = std::fma(p, r, kC3);
  p = std::fma(p, r, kC4);
  p = std::fma(p, r, kC5);
  const float q = std::fma(p, r * r, r) + 1.0f;
  const uint32_t n = std::bit_cast<uint32_t>(t) - std::bit_cast<uint32_t>(kRoundShift);
  const uint32_t n1 = static_cast<uint32_t>(static_cast<int32_t>(n) >> 1);
  const uint32_t n2 = n - n1;
  return {q, std::bit_cast<float>((n1 + 127u) << 23), std::bit_cast<float>((n2 + 127u) << 23)};
}

}  // namespace

float FastExp(float x) {
  if (std::isnan(x)) return x;
  const ExpParts e = Parts(x);
  return (e.q * e.s1) * e.s2;
}

float FastSigmoid(float x) {
  if (std::isnan(x)) return x;
  const ExpParts p = Parts(-std::fabs(x));
  const float e = (p.q * p.s1) * p.s2;
  const float d = 1.0f + e;
  return (std::signbit(x) ? e : 1.0f) / d;
}

float FastSilu(float x) {
  if (std::isnan(x)) return x;
  const ExpParts p = Parts(-std::fabs(x));
  const float e = (p.q * p.s1) * p.s2;
  const float d = 1.0f + e;
  return (std::signbit(x) ? ((x * p.s1) * p.q) * p.s2 : x) / d;
}

void FastMathArray(Isa isa, FastFn fn, const float* x, float* y, int64_t n) {
  switch (isa) {
    case Isa::kAvx512Vnni:
      FastMathArrayAvx512(fn, x, y, n);
      return;
    case Isa::kAvx2:
      FastMathArrayAvx2(fn, x, y, n);
      return;
    case Isa::kReference:
      break;
  }
  float (*f)(float) = fn == FastFn::kExp       ? FastExp
                      : fn == FastFn::kSigmoid ? FastSigmoid
                                               : FastSilu;
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

}  // namespace triton::kernels
