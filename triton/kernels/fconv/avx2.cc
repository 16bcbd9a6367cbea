// The AVX2 level of the fconv family (8 float lanes; vmaskmov loads and stores for channel
// tails only, since masked stores are slow on AMD). Compiled with TRITON_AVX2_FLAGS; runs only
// when the caller passes Isa::kAvx2 or better, which implies AVX2 + FMA.
#include <immintrin.h>

#include "triton/kernels/common/fast_math_simd_inl.h"
#include "triton/kernels/fconv/simd_inl.h"

namespace triton::kernels::fconv::internal {
namespace {

// Lane i of Mask(n) is all ones when i < n: a window of kMaskTable starting at 8 - n.
alignas(64) constexpr int32_t kMaskTable[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                                0,  0,  0,  0,  0,  0,  0,  0};

struct V256 {
  using F = __m256;
  using M = __m256i;
  static constexpr int64_t kW = 8;
  static M Mask(int64_t n) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMaskTable + 8 - n));
  }
  static F Load(const float* p, M m) { return _mm256_maskload_ps(p, m); }
  static F LoadFull(const float* p) { return _mm256_loadu_ps(p); }
  static void Store(float* p, F v, M m) { _mm256_maskstore_ps(p, m, v); }
  static void StoreFull(float* p, F v) { _mm256_storeu_ps(p, v); }
  static F Zero() { return _mm256_setzero_ps(); }
  static F Set1(float x) { return _mm256_set1_ps(x); }
  static F Fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static F Add(F a, F b) { return _mm256_add_ps(a, b); }
  static F Max(F a, F b) { return _mm256_max_ps(a, b); }
  static F Min(F a, F b) { return _mm256_min_ps(a, b); }
  static F Sigmoid(F y) { return FastSigmoid8(y); }
  static F Silu(F y) { return FastSilu8(y); }
};

}  // namespace

void EpilogueBlockAvx2(const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows,
                       int64_t c0, int64_t c1) {
  EpilogueBlockT<V256>(e, out, ld, p0, rows, c0, c1);
}

void DepthwiseRowsAvx2(const ConvShape& s, const float* w, const float* in, const Epilogue& e,
                       float* out, int64_t r0, int64_t r1) {
  DepthwiseRowsT<V256>(s, w, in, e, out, r0, r1);
}

}  // namespace triton::kernels::fconv::internal
