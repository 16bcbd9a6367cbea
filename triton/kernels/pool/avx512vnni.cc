// The AVX-512 level of the pool family (16 float lanes, masked channel tails; averages in two
// 8-lane double halves). Compiled with TRITON_AVX512VNNI_FLAGS; runs only when the caller passes
// Isa::kAvx512Vnni, which implies AVX-512F.
#include <immintrin.h>

// GCC 12 reports the _mm512_undefined_ps() pass-through operand inside its own intrinsics
// (_mm512_max_ps, ...) as maybe-uninitialized: a known false positive.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "triton/kernels/pool/simd_inl.h"

namespace triton::kernels::pool::internal {
namespace {

struct V512 {
  using F = __m512;
  using M = __mmask16;
  struct D {
    __m512d lo, hi;
  };
  static constexpr int64_t kW = 16;
  static M Mask(int64_t n) { return static_cast<M>((1u << n) - 1u); }
  static F Load(const float* p, M m) { return _mm512_maskz_loadu_ps(m, p); }
  static F LoadFull(const float* p) { return _mm512_loadu_ps(p); }
  static void Store(float* p, F v, M m) { _mm512_mask_storeu_ps(p, m, v); }
  static void StoreFull(float* p, F v) { _mm512_storeu_ps(p, v); }
  static F Set1(float x) { return _mm512_set1_ps(x); }
  static F MaxStep(F best, F v) {
    const __mmask16 ord = _mm512_cmp_ps_mask(best, best, _CMP_ORD_Q);
    const __mmask16 take = _mm512_mask_cmp_ps_mask(ord, v, best, _CMP_NLE_UQ);
    return _mm512_mask_mov_ps(best, take, v);
  }
  static D DZero() { return {_mm512_setzero_pd(), _mm512_setzero_pd()}; }
  static D DAdd(D d, F f) {
    const __m256 lo = _mm512_castps512_ps256(f);
    const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(f), 1));
    return {_mm512_add_pd(d.lo, _mm512_cvtps_pd(lo)), _mm512_add_pd(d.hi, _mm512_cvtps_pd(hi))};
  }
  static F DDiv(D d, double x) {
    const __m512d div = _mm512_set1_pd(x);
    const __m256 lo = _mm512_cvtpd_ps(_mm512_div_pd(d.lo, div));
    const __m256 hi = _mm512_cvtpd_ps(_mm512_div_pd(d.hi, div));
    return _mm512_castpd_ps(
        _mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(lo)), _mm256_castps_pd(hi), 1));
  }
};

}  // namespace

TRITON_POOL_DEFINE(Avx512, V512)

}  // namespace triton::kernels::pool::internal
