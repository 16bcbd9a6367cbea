#pragma once
// Internals of the fconv family shared by conv.cc, linear.cc and the per-ISA files
// (reference.cc, avx2.cc, avx512vnni.cc). Not part of the contract (fconv.h).
//
// Threading model: Conv and Linear split their work themselves (ParallelFor over pixel chunks,
// output rows or output columns) and call BLAS from inside those workers, so BLAS must run on
// the calling thread: UseBlasSingleThreaded() sets OpenBLAS's pool to one thread on first use
// (unless SetBlasThreads was called before), which keeps the OpenMP and OpenBLAS pools from
// fighting over the cores.
#include <cstdint>

#include "triton/kernels/fconv/fconv.h"

namespace triton::kernels::fconv::internal {

// Packed depthwise weights: [kh * kw][c] (tap-major, channels contiguous).
// Packed GEMM weights, per group g at offset g * kg * ocg: [kg][ocg] row-major with
// kg = kh * kw * icg and row k = (ky * kw + kx) * icg + ic (the im2col column order).

// True when the epilogue changes nothing an sgemm can produce (no mul/add/residual, no act):
// EpilogueScalar would compute v + 0.0f, which only differs from v for v = -0.0, and a BLAS
// sum that starts from +0 never yields -0.0.
inline bool IsIdentity(const Epilogue& e) {
  return e.mul == nullptr && e.add == nullptr && e.residual == nullptr && e.act == Act::kNone;
}

// Applies the epilogue in place to a block of rows: `out` points at row p0, column 0 (row
// stride `ld`); rows p0 .. p0 + rows - 1 (the epilogue's pixel index p), columns [c0, c1) (its
// channel index c). Bit-identical to EpilogueScalar on every element at every ISA level.
void EpilogueBlockReference(const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows,
                            int64_t c0, int64_t c1);
void EpilogueBlockAvx2(const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows,
                       int64_t c0, int64_t c1);
void EpilogueBlockAvx512(const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows,
                         int64_t c0, int64_t c1);
void EpilogueBlock(Isa isa, const Epilogue& e, float* out, int64_t ld, int64_t p0, int64_t rows,
                   int64_t c0, int64_t c1);

// Depthwise convolution (s.depthwise()) of output rows [r0, r1), row r = n * out_h + oy, all
// channels, epilogue applied. `w`: [kh * kw][c].
void DepthwiseRowsReference(const ConvShape& s, const float* w, const float* in, const Epilogue& e,
                            float* out, int64_t r0, int64_t r1);
void DepthwiseRowsAvx2(const ConvShape& s, const float* w, const float* in, const Epilogue& e,
                       float* out, int64_t r0, int64_t r1);
void DepthwiseRowsAvx512(const ConvShape& s, const float* w, const float* in, const Epilogue& e,
                         float* out, int64_t r0, int64_t r1);

// See the threading model above; thread-safe, cheap after the first call.
void UseBlasSingleThreaded();

// The level Linear (which takes no Isa) runs its epilogue at: TRITON_ISA if set and valid, else
// the CPU's best.
Isa LinearIsa();

}  // namespace triton::kernels::fconv::internal
