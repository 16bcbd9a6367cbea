#pragma once
// Internals of the pool family shared by pool.cc and the per-ISA files (reference.cc, avx2.cc,
// avx512vnni.cc). Not part of the contract (pool.h).
//
// Every per-ISA function computes output rows [r0, r1) of a [batch][out_h][out_w][c] result, row
// r = n * out_h + oy, all channels; pool.cc fans the rows out over threads. Averages are summed
// in double in the reference evaluator's order (window row, then column) and divided in double,
// so every level returns the reference's floats exactly; maxima follow its first-maximum /
// first-NaN rule, so they are exact too.
#include <cstdint>

#include "triton/kernels/pool/pool.h"

namespace triton::kernels::pool::internal {

#define TRITON_POOL_DECLARE(suffix)                                                             \
  void MaxRows##suffix(const PoolShape& s, int64_t oh, int64_t ow, const float* in, float* out, \
                       int64_t r0, int64_t r1);                                                 \
  void AvgRows##suffix(const PoolShape& s, int64_t oh, int64_t ow, const float* in, float* out, \
                       int64_t r0, int64_t r1);                                                 \
  void AdaptiveRows##suffix(int64_t h, int64_t w, int64_t c, int64_t oh, int64_t ow,            \
                            const float* in, float* out, int64_t r0, int64_t r1);

TRITON_POOL_DECLARE(Reference)
TRITON_POOL_DECLARE(Avx2)
TRITON_POOL_DECLARE(Avx512)

#undef TRITON_POOL_DECLARE

}  // namespace triton::kernels::pool::internal
