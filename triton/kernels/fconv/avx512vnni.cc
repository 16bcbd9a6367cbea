// The AVX-512 level of the fconv family (16 float lanes; masked loads and stores for channel
// tails). Compiled with TRITON_AVX512VNNI_FLAGS; runs only when the caller passes
// Isa::kAvx512Vnni, which implies AVX-512F.
#include <immintrin.h>

// GCC 12 reports the _mm512_undefined_ps() pass-through operand inside its own intrinsics
// (_mm512_max_ps, ...) as maybe-uninitialized: a known false positive.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "triton/kernels/common/fast_math_simd_inl.h"
#include "triton/kernels/fconv/simd_inl.h"

namespace triton::kernels::fconv::internal {
namespace {

struct V512 {
  using F = __m512;
  using M = __mmask16;
  static constexpr int64_t kW = 16;
  static M Mask(int64_t n) { return static_cast<M>((1u << n) - 1u); }
  static F Load(const float* p, M m) { return _mm512_maskz_loadu_ps(m, p); }
  static F LoadFull(const float* p) { return _mm512_loadu_ps(p); }
  static void Store(float* p, F v, M m) { _mm512_mask_storeu_ps(p, m, v); }
  static void StoreFull(float* p, F v) { _mm512_storeu_ps(p, v); }
  static F Zero() { return _mm512_setzero_ps(); }
  static F Set1(float x) { return _mm512_set1_ps(x); }
  static F Fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static F Add(F a, F b) { return _mm512_add_ps(a, b); }
  static F Max(F a, F b) { return _mm512_max_ps(a, b); }
  static F Min(F a, F b) { return _mm512_min_ps(a, b); }
  static F Sigmoid(F y) { return FastSigmoid16(y); }
  static F Silu(F y) { return FastSilu16(y); }
};

}  // namespace

void EpilogueBlockAvx512(const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows,
                         int64_t c0, int64_t c1) {
  EpilogueBlockT<V512>(e, out, ld, p0, rows, c0, c1);
}

void DepthwiseRowsAvx512(const ConvShape& s, const float* w, const float* in, const Epilogue& e,
                         float* out, int64_t r0, int64_t r1) {
  DepthwiseRowsT<V512>(s, w, in, e, out, r0, r1);
}

}  // namespace triton::kernels::fconv::internal
