// The AVX2 level of FastMathArray (fast_math.h). Compiled with TRITON_AVX2_FLAGS; call only where
// the CPU has AVX2 + FMA.
#include <cstring>

#include "triton/kernels/common/fast_math_simd_inl.h"

namespace triton::kernels {
namespace {

template <__m256 (*F)(__m256)>
void Run(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, F(_mm256_loadu_ps(x + i)));
  if (i < n) {  // the tail through an 8-float buffer, so it is computed by the vector form too
    alignas(32) float tmp[8] = {};
    const size_t bytes = static_cast<size_t>(n - i) * sizeof(float);
    std::memcpy(tmp, x + i, bytes);
    _mm256_store_ps(tmp, F(_mm256_load_ps(tmp)));
    std::memcpy(y + i, tmp, bytes);
  }
}

}  // namespace

void FastMathArrayAvx2(FastFn fn, const float* x, float* y, int64_t n) {
  switch (fn) {
    case FastFn::kExp:
      Run<FastExp8>(x, y, n);
      return;
    case FastFn::kSigmoid:
      Run<FastSigmoid8>(x, y, n);
      return;
    case FastFn::kSilu:
      Run<FastSilu8>(x, y, n);
      return;
  }
}

}  // namespace triton::kernels
