// Linear layers (sgemm with the [N][K] weight transposed; sgemv for one row), the epilogue
// dispatch, and the BLAS thread setting.
//
// Threading: a batch-1 call (memory-bound: the weights are read once) splits the N output
// columns across threads, each an sgemv over its slice of weight rows, so every core streams
// its share of the weights. Batched calls split the rows when there are many of them (each
// worker then reads all weights, which stay in the shared cache) and the columns otherwise.
#include <algorithm>
#include <cstring>

#include "triton/kernels/common/parallel.h"
#include "triton/kernels/fconv/blas.h"
#include "triton/kernels/fconv/internal.h"

namespace triton::kernels::fconv {
namespace internal {

// Conv and Linear call sgemm from their own worker threads, so BLAS must not start threads of
// its own (that would oversubscribe the cores). Another user of the process (libtorch, in
// `triton bench perf`) may have raised it since the last call: checked on every call (a read of
// an int inside OpenBLAS).
void UseBlasSingleThreaded() {
  if (blas::GetNumThreads() != 1) blas::SetNumThreads(1);
}

Isa LinearIsa() {
  static const Isa isa = [] {
    Result<Isa> r = ActiveIsa();
    return r.ok() ? r.value() : Isa::kReference;
  }();
  return isa;
}

void EpilogueBlock(Isa isa, const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows,
                   int64_t c0, int64_t c1) {
  switch (isa) {
    case Isa::kAvx512Vnni:
      EpilogueBlockAvx512(e, out, ld, p0, rows, c0, c1);
      return;
    case Isa::kAvx2:
      EpilogueBlockAvx2(e, out, ld, p0, rows, c0, c1);
      return;
    case Isa::kReference:
      EpilogueBlockReference(e, out, ld, p0, rows, c0, c1);
      return;
  }
}

}  // namespace internal

void SetBlasThreads(int threads) { blas::SetNumThreads(std::max(1, threads)); }

PackedLinear PackLinear(int64_t n, int64_t k, const float* w) {
  PackedLinear p;
  p.n = n;
  p.k = k;
  p.data.Reset(static_cast<size_t>(n * k));
  if (n * k > 0) std::memcpy(p.data.data(), w, sizeof(float) * n * k);
  return p;
}

void Linear(int64_t m, const PackedLinear& w, const float* in, const Epilogue& e, float* out,
            int threads) {
  if (m <= 0 || w.n <= 0) return;
  internal::UseBlasSingleThreaded();
  const int64_t n = w.n, k = w.k;
  const Isa isa = internal::LinearIsa();
  const bool epi = !internal::IsIdentity(e);
  if (k == 0) {  // an empty sum: the epilogue of 0
    for (int64_t r = 0; r < m; ++r) std::fill(out + r * n, out + (r + 1) * n, 0.0f);
    if (epi) internal::EpilogueBlock(isa, e, out, n, 0, m, 0, n);
    return;
  }
  constexpr int64_t kMinCols = 64, kMinRows = 64;
  if (m >= kMinRows * threads || m >= 4 * n) {  // split the rows
    ParallelFor((m + 15) / 16, threads, [&](int64_t b0, int64_t b1) {
      const int64_t r0 = b0 * 16, r1 = std::min(m, b1 * 16);
      blas::Sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(r1 - r0),
                  static_cast<int>(n), static_cast<int>(k), 1.0f, in + r0 * k, static_cast<int>(k),
                  w.data.data(), static_cast<int>(k), 0.0f, out + r0 * n, static_cast<int>(n));
      if (epi) internal::EpilogueBlock(isa, e, out + r0 * n, n, r0, r1 - r0, 0, n);
    });
    return;
  }
  // Split the columns in multiples of 16 (one zmm of the epilogue).
  const int64_t blocks = (n + 15) / 16;
  const int64_t t = std::clamp<int64_t>((n + kMinCols - 1) / kMinCols, 1, threads);
  ParallelFor(blocks, static_cast<int>(t), [&](int64_t b0, int64_t b1) {
    const int64_t c0 = b0 * 16, c1 = std::min(n, b1 * 16);
    const float* wc = w.data.data() + c0 * k;
    if (m == 1) {
      blas::Sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(c1 - c0), static_cast<int>(k), 1.0f,
                  wc, static_cast<int>(k), in, 1, 0.0f, out + c0, 1);
    } else {
      blas::Sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m),
                  static_cast<int>(c1 - c0), static_cast<int>(k), 1.0f, in, static_cast<int>(k), wc,
                  static_cast<int>(k), 0.0f, out + c0, static_cast<int>(n));
    }
    if (epi) internal::EpilogueBlock(isa, e, out, n, 0, m, c0, c1);
  });
}

}  // namespace triton::kernels::fconv
