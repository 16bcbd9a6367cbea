#pragma once
// Float exp, sigmoid and SiLU whose scalar form (here) and SIMD forms (fast_math_simd_inl.h, one
// per ISA) give bit-identical results: every step below is one IEEE operation (fma, add, mul,
// one division), an integer operation on the bits, or a compare/select, done in the same order
// in every form. The kernel epilogues apply sigmoid/SiLU with these (ApplyAct, epilogue.h); the
// IR reference evaluator keeps PyTorch's double formulas (ir/eval_elementwise.cc).
//
// Exp parts of a (a not NaN):
//   a  = min(hi, max(lo, a))                 lo = -176, hi = 89 (MAXPS/MINPS operand order)
//   t  = fma(a, log2e, 0x1.8p23)             round(a * log2e) in the low mantissa bits of t
//   nf = t - 0x1.8p23                        n = nearest integer of a * log2e, as a float
//   r  = fma(nf, -ln2_hi, a); r = fma(nf, -ln2_lo, r)        Cody-Waite, |r| <= ~0.347
//   p  = c0; p = fma(p, r, c1) ... fma(p, r, c5)             Horner, Cephes expf minimax
//   q  = 1 + fma(p, r * r, r)                                e^r in [0.7, 1.42]
//   n  = bits(t) - bits(0x1.8p23) (int32), n1 = n >> 1 (arithmetic), n2 = n - n1
//   s1 = bits((n1 + 127) << 23), s2 = bits((n2 + 127) << 23)  2^n1, 2^n2 (0 for n1 = -127)
// and e^a = (q * s1) * s2: the split scale keeps q * s1 normal wherever the result is not 0, so
// underflow to subnormals rounds once, and a = hi overflows to +inf in the last product; a <=
// -176 gives s1 = s2 = 0 (exact 0).
//
//   FastExp(x)     = NaN ? x : (q * s1) * s2 of a = x
//   FastSigmoid(x) = NaN ? x : num / (1 + e),  e = (q * s1) * s2 of a = -|x|,
//                    num = signbit(x) ? e : 1
//   FastSilu(x)    = NaN ? x : num / (1 + e),  e as for sigmoid,
//                    num = signbit(x) ? ((x * s1) * q) * s2 : x
// Using e^-|x| <= 1 (sigmoid(x) = e^x / (1 + e^x) for x < 0) never overflows and gives subnormal
// results where they belong (sigmoid(-100) = 3.7e-44). Special values: sigmoid(+-inf) = 1 / 0,
// silu(+inf) = +inf, silu(-inf) = NaN (= -inf * 0, PyTorch's x * sigmoid(x)), +-0 -> 0.5 / +-0,
// a NaN input comes back unchanged (same bits).
//
// Accuracy against the double formulas (exp, 1 / (1 + exp(-x)), x / (1 + exp(-x))) rounded to
// float, in units of the float result's ulp (2^-149 for subnormal results), over every float in
// [-100, 100] (FastMathAccuracy.DISABLED_Exhaustive in test.cc): at most 1.02 ulp for exp, 2.41
// for sigmoid, 3.35 for SiLU (docs/kernels.md, "Epilogue sigmoid and SiLU"); the tests enforce
// kFastMathMaxUlp on a dense sample.
#include <cstdint>

#include "triton/base/cpu.h"

namespace triton::kernels {

namespace fast_math {
// Constants of the definition above (namespace-scope constexpr: internal linkage, no symbol).
constexpr float kExpLo = -176.0f;
constexpr float kExpHi = 89.0f;
constexpr float kLog2e = 0x1.715476p+0f;
constexpr float kRoundShift = 0x1.8p23f;
constexpr float kMinusLn2Hi = -0x1.62e4p-1f;     // ln 2 = ln2_hi + ln2_lo, ln2_hi with 17 bits
constexpr float kMinusLn2Lo = -0x1.7f7d1cp-20f;  // so that fma(nf, -ln2_hi, a) is exact
// e^r ~ 1 + r + r^2 (c0 r^5 + c1 r^4 + c2 r^3 + c3 r^2 + c4 r + c5) (Cephes expf).
constexpr float kC0 = 1.9875691500e-4f;
constexpr float kC1 = 1.3981999507e-3f;
constexpr float kC2 = 8.3334519073e-3f;
constexpr float kC3 = 4.1665795894e-2f;
constexpr float kC4 = 1.6666665459e-1f;
constexpr float kC5 = 5.0000001201e-1f;
}  // namespace fast_math

// The largest error, in ulp of the result, that the tests allow against the double formulas.
constexpr double kFastMathMaxUlp = 4.0;

float FastExp(float x);
float FastSigmoid(float x);
float FastSilu(float x);

enum class FastFn : uint8_t { kExp, kSigmoid, kSilu };

// y[i] = fn(x[i]) for i < n at the given level (Isa::kReference: the scalar functions above),
// bit-identical at every level. y may equal x.
void FastMathArray(Isa isa, FastFn fn, const float* x, float* y, int64_t n);

// The SIMD levels of FastMathArray (avx2.cc, avx512vnni.cc); call only where the CPU has them.
void FastMathArrayAvx2(FastFn fn, const float* x, float* y, int64_t n);
void FastMathArrayAvx512(FastFn fn, const float* x, float* y, int64_t n);

}  // namespace triton::kernels
