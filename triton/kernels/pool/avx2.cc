// The AVX2 level of the pool family (8 float lanes; vmaskmov only for channel tails, since
// masked stores are slow on AMD; averages in two 4-lane double halves). Compiled with
// TRITON_AVX2_FLAGS; runs only when the caller passes Isa::kAvx2 or better.
#include <immintrin.h>

#include "triton/kernels/pool/simd_inl.h"

namespace triton::kernels::pool::internal {
namespace {

// Lane i of Mask(n) is all ones when i < n: a window of kMaskTable starting at 8 - n.
alignas(64) constexpr int32_t kMaskTable[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                                0,  0,  0,  0,  0,  0,  0,  0};

struct V256 {
  using F = __m256;
  using M = __m256i;
  struct D {
    __m256d lo, hi;
  };
  static constexpr int64_t kW = 8;
  static M Mask(int64_t n) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMaskTable + 8 - n));
  }
  static F Load(const float* p, M m) { return _mm256_maskload_ps(p, m); }
  static F LoadFull(const float* p) { return _mm256_loadu_ps(p); }
  static void Store(float* p, F v, M m) { _mm256_maskstore_ps(p, m, v); }
  static void StoreFull(float* p, F v) { _mm256_storeu_ps(p, v); }
  static F Set1(float x) { return _mm256_set1_ps(x); }
  static F MaxStep(F best, F v) {
    const __m256 take =
        _mm256_and_ps(_mm256_cmp_ps(v, best, _CMP_NLE_UQ), _mm256_cmp_ps(best, best, _CMP_ORD_Q));
    return _mm256_blendv_ps(best, v, take);
  }
  static D DZero() { return {_mm256_setzero_pd(), _mm256_setzero_pd()}; }
  static D DAdd(D d, F f) {
    return {_mm256_add_pd(d.lo, _mm256_cvtps_pd(_mm256_castps256_ps128(f))),
            _mm256_add_pd(d.hi, _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)))};
  }
  static F DDiv(D d, double x) {
    const __m256d div = _mm256_set1_pd(x);
    return _mm256_set_m128(_mm256_cvtpd_ps(_mm256_div_pd(d.hi, div)),
                           _mm256_cvtpd_ps(_mm256_div_pd(d.lo, div)));
  }
};

}  // namespace

TRITON_POOL_DEFINE(Avx2, V256)

}  // namespace triton::kernels::pool::internal
