#pragma once
// The SIMD forms of fast_math.h: FastExp/FastSigmoid/FastSilu on 8 lanes (AVX2 + FMA) and on 16
// lanes (AVX-512F/DQ), the same operations in the same order as the scalar form in
// fast_math.cc, so every lane is bit-identical to it. Include only from ISA-flagged files
// (avx2.cc, avx512vnni.cc of a kernel family); each form is compiled only where its ISA is
// enabled. Everything here sits in an anonymous namespace on purpose, as in fconv/simd_inl.h:
// each including file gets its own copy built for its ISA, so no inline function compiled with
// AVX-512 flags becomes a weak symbol that the linker could pick for code that runs on a lesser
// CPU (scripts/check_isa_objects.sh). No std:: inline helpers for the same reason.
#include <immintrin.h>

#include "triton/kernels/common/fast_math.h"

namespace triton::kernels {
namespace {

#if defined(__AVX2__) && defined(__FMA__)

struct ExpParts8 {
  __m256 q, s1, s2;  // e^a = (q * s1) * s2
};

// fast_math.h, "Exp parts" (NaN lanes give garbage; the callers select x there).
inline ExpParts8 FastExpParts8(__m256 a) {
  using namespace fast_math;
  a = _mm256_max_ps(_mm256_set1_ps(kExpLo), a);
  a = _mm256_min_ps(_mm256_set1_ps(kExpHi), a);
  const __m256 shift = _mm256_set1_ps(kRoundShift);
  const __m256 t = _mm256_fmadd_ps(a, _mm256_set1_ps(kLog2e), shift);
  const __m256 nf = _mm256_sub_ps(t, shift);
  __m256 r = _mm256_fmadd_ps(nf, _mm256_set1_ps(kMinusLn2Hi), a);
  r = _mm256_fmadd_ps(nf, _mm256_set1_ps(kMinusLn2Lo), r);
  __m256 p = _mm256_set1_ps(kC0);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC1));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kC5));
  const __m256 q = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
  const __m256i n = _mm256_sub_epi32(_mm256_castps_si256(t), _mm256_castps_si256(shift));
  const __m256i n1 = _mm256_srai_epi32(n, 1);
  const __m256i n2 = _mm256_sub_epi32(n, n1);
  const __m256i bias = _mm256_set1_epi32(127);
  return {q, _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23)),
          _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23))};
}

// x where x is NaN, else v.
inline __m256 KeepNaN8(__m256 x, __m256 v) {
  return _mm256_blendv_ps(v, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

// -|x|: the sign bit set.
inline __m256 MinusAbs8(__m256 x) {
  return _mm256_or_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(INT32_MIN)));
}

inline __m256 FastExp8(__m256 x) {
  const ExpParts8 e = FastExpParts8(x);
  return KeepNaN8(x, _mm256_mul_ps(_mm256_mul_ps(e.q, e.s1), e.s2));
}

inline __m256 FastSigmoid8(__m256 x) {
  const ExpParts8 p = FastExpParts8(MinusAbs8(x));
  const __m256 e = _mm256_mul_ps(_mm256_mul_ps(p.q, p.s1), p.s2);
  const __m256 d = _mm256_add_ps(_mm256_set1_ps(1.0f), e);
  // blendv picks its second operand where the sign bit of x is set: signbit(x) ? e : 1.
  const __m256 num = _mm256_blendv_ps(_mm256_set1_ps(1.0f), e, x);
  return KeepNaN8(x, _mm256_div_ps(num, d));
}

inline __m256 FastSilu8(__m256 x) {
  const ExpParts8 p = FastExpParts8(MinusAbs8(x));
  const __m256 e = _mm256_mul_ps(_mm256_mul_ps(p.q, p.s1), p.s2);
  const __m256 d = _mm256_add_ps(_mm256_set1_ps(1.0f), e);
  const __m256 xe = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(x, p.s1), p.q), p.s2);
  const __m256 num = _mm256_blendv_ps(x, xe, x);  // signbit(x) ? x e^x : x
  return KeepNaN8(x, _mm256_div_ps(num, d));
}

#endif  // __AVX2__ && __FMA__

#if defined(__AVX512F__) && defined(__AVX512DQ__)

struct ExpParts16 {
  __m512 q, s1, s2;  // e^a = (q * s1) * s2
};

// fast_math.h, "Exp parts" (NaN lanes give garbage; the callers select x there).
inline ExpParts16 FastExpParts16(__m512 a) {
  using namespace fast_math;
  a = _mm512_max_ps(_mm512_set1_ps(kExpLo), a);
  a = _mm512_min_ps(_mm512_set1_ps(kExpHi), a);
  const __m512 shift = _mm512_set1_ps(kRoundShift);
  const __m512 t = _mm512_fmadd_ps(a, _mm512_set1_ps(kLog2e), shift);
  const __m512 nf = _mm512_sub_ps(t, shift);
  __m512 r = _mm512_fmadd_ps(nf, _mm512_set1_ps(kMinusLn2Hi), a);
  r = _mm512_fmadd_ps(nf, _mm512_set1_ps(kMinusLn2Lo), r);
  __m512 p = _mm512_set1_ps(kC0);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC1));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC2));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC3));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC4));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC5));
  const __m512 q = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
  const __m512i n = _mm512_sub_epi32(_mm512_castps_si512(t), _mm512_castps_si512(shift));
  const __m512i n1 = _mm512_srai_epi32(n, 1);
  const __m512i n2 = _mm512_sub_epi32(n, n1);
  const __m512i bias = _mm512_set1_epi32(127);
  return {q, _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n1, bias), 23)),
          _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n2, bias), 23))};
}

inline __m512 KeepNaN16(__m512 x, __m512 v) {
  return _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x);
}

inline __m512 MinusAbs16(__m512 x) {
  return _mm512_or_ps(x, _mm512_castsi512_ps(_mm512_set1_epi32(INT32_MIN)));
}

// Lanes whose sign bit is set (signbit(x)).
inline __mmask16 SignBits16(__m512 x) { return _mm512_movepi32_mask(_mm512_castps_si512(x)); }

inline __m512 FastExp16(__m512 x) {
  const ExpParts16 e = FastExpParts16(x);
  return KeepNaN16(x, _mm512_mul_ps(_mm512_mul_ps(e.q, e.s1), e.s2));
}

inline __m512 FastSigmoid16(__m512 x) {
  const ExpParts16 p = FastExpParts16(MinusAbs16(x));
  const __m512 e = _mm512_mul_ps(_mm512_mul_ps(p.q, p.s1), p.s2);
  const __m512 d = _mm512_add_ps(_mm512_set1_ps(1.0f), e);
  const __m512 num = _mm512_mask_mov_ps(_mm512_set1_ps(1.0f), SignBits16(x), e);
  return KeepNaN16(x, _mm512_div_ps(num, d));
}

inline __m512 FastSilu16(__m512 x) {
  const ExpParts16 p = FastExpParts16(MinusAbs16(x));
  const __m512 e = _mm512_mul_ps(_mm512_mul_ps(p.q, p.s1), p.s2);
  const __m512 d = _mm512_add_ps(_mm512_set1_ps(1.0f), e);
  const __m512 xe = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(x, p.s1), p.q), p.s2);
  const __m512 num = _mm512_mask_mov_ps(x, SignBits16(x), xe);
  return KeepNaN16(x, _mm512_div_ps(num, d));
}

#endif  // __AVX512F__ && __AVX512DQ__

}  // namespace
}  // namespace triton::kernels
