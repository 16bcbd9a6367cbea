// The AVX-512 level of FastMathArray (fast_math.h). Compiled with TRITON_AVX512VNNI_FLAGS; call
// only where the CPU has AVX-512F/DQ.

// GCC 12 reports the _mm512_undefined_ps() pass-through operand inside its own intrinsics
// (_mm512_max_ps, ...) as maybe-uninitialized: a known false positive (GCC PR 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "triton/kernels/common/fast_math_simd_inl.h"

namespace triton::kernels {
namespace {

template <__m512 (*F)(__m512)>
void Run(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 m =
        n - i >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m, F(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

}  // namespace

void FastMathArrayAvx512(FastFn fn, const float* x, float* y, int64_t n) {
  switch (fn) {
    case FastFn::kExp:
      Run<FastExp16>(x, y, n);
      return;
    case FastFn::kSigmoid:
      Run<FastSigmoid16>(x, y, n);
      return;
    case FastFn::kSilu:
      Run<FastSilu16>(x, y, n);
      return;
  }
}

}  // namespace triton::kernels
