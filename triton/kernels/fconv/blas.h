#pragma once
// OpenBLAS, loaded on first use rather than linked: a process that links libopenblas pays its
// start-up (the library's constructor starts its thread pool) whether or not it multiplies a
// single matrix, ~3 ms on the development VM against ~1 ms for an empty program, which is most
// of what `triton compile` costs end to end. Only FP32 convolution and linear layers need it,
// so they load it (dlopen, thread-safe, once) the first time they run.
//
// Which library: TRITON_OPENBLAS_SONAME ("libopenblas.so.0", the runtime package libopenblas0)
// through the dynamic linker's search path (LD_LIBRARY_PATH, ld.so.cache), then the library the
// build found (TRITON_OPENBLAS_PATH). RTLD_LOCAL: its symbols do not take part in resolving other
// libraries' (libtorch in `triton bench perf` brings a BLAS of its own).
#include <cblas.h>

#include "triton/base/status.h"

namespace triton::kernels::fconv::blas {

// Loads OpenBLAS if it is not loaded yet. An error names what was tried and dlerror's reason
// ("install libopenblas0"). Engines call it while they build (a clear error then, before a run).
Status Load();

// cblas_sgemm / cblas_sgemv / openblas_{get,set}_num_threads through the loaded library. Calling
// one when Load() fails prints Load()'s error and exits with status 1 (the engines check first).
void Sgemm(CBLAS_ORDER order, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k,
           float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c,
           int ldc);
void Sgemv(CBLAS_ORDER order, CBLAS_TRANSPOSE t, int m, int n, float alpha, const float* a, int lda,
           const float* x, int incx, float beta, float* y, int incy);
int GetNumThreads();
void SetNumThreads(int threads);

}  // namespace triton::kernels::fconv::blas
