#pragma once
// Thread fan-out for the kernels: OpenMP (GCC's libgomp, shared with libtorch) when the build has
// it, else serial. ParallelFor(n, threads, f) calls f(begin, end) on disjoint chunks covering
// [0, n); static schedule, so a given (n, threads) always splits the same way (results never
// depend on the split: each output element is computed by exactly one call).
#include <algorithm>
#include <cstdint>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace triton::kernels {

template <typename F>
void ParallelFor(int64_t n, int threads, F&& f) {
  if (n <= 0) return;
  const int64_t t = std::max<int64_t>(1, std::min<int64_t>(threads, n));
  if (t == 1) {
    f(int64_t{0}, n);
    return;
  }
#ifdef _OPENMP
#pragma omp parallel for schedule(static, 1) num_threads(static_cast <int>(t))
  for (int64_t i = 0; i < t; ++i) f(n * i / t, n * (i + 1) / t);
#else
  f(int64_t{0}, n);
#endif
}

}  // namespace triton::kernels
