// Pooling dispatch (threads over batch x output rows, the kernel level from the Isa argument) and
// the NCHW <-> NHWC layout conversions.
#include <algorithm>

#include "triton/kernels/common/parallel.h"
#include "triton/kernels/pool/internal.h"

namespace triton::kernels::pool {
namespace {

// PyTorch's pooling output size (ir PoolOutputSize with dilation 1): floor or ceil of
// (in + 2 pad - k) / stride, + 1; under ceil_mode the last window must start inside the input
// or the left padding.
int64_t OutSize(int64_t in, int64_t k, int64_t stride, int64_t pad, bool ceil_mode) {
  const int64_t num = in + 2 * pad - k + (ceil_mode ? stride - 1 : 0);
  int64_t out = (num >= 0 ? num / stride : -((-num + stride - 1) / stride)) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

// dst[j][i] = src[i][j] for src [rows][cols], in 32 x 32 tiles (both sides stay in L1), tiles
// fanned out over threads; `count` matrices of rows * cols floats back to back.
void Transpose(int64_t count, int64_t rows, int64_t cols, const float* src, float* dst,
               int threads) {
  constexpr int64_t kT = 32;
  const int64_t rt = (rows + kT - 1) / kT, ct = (cols + kT - 1) / kT;
  ParallelFor(count * rt * ct, threads, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t b = t / (rt * ct), i0 = (t / ct) % rt * kT, j0 = t % ct * kT;
      const float* s = src + b * rows * cols;
      float* d = dst + b * rows * cols;
      const int64_t i1 = std::min(rows, i0 + kT), j1 = std::min(cols, j0 + kT);
      for (int64_t j = j0; j < j1; ++j) {
        for (int64_t i = i0; i < i1; ++i) d[j * rows + i] = s[i * cols + j];
      }
    }
  });
}

}  // namespace

int64_t PoolShape::out_h() const { return OutSize(in_h, kh, stride_h, pad_h, ceil_mode); }
int64_t PoolShape::out_w() const { return OutSize(in_w, kw, stride_w, pad_w, ceil_mode); }

void MaxPool(const PoolShape& s, const float* in, float* out, Isa isa, int threads) {
  auto fn = internal::MaxRowsReference;
  if (isa == Isa::kAvx2) fn = internal::MaxRowsAvx2;
  if (isa == Isa::kAvx512Vnni) fn = internal::MaxRowsAvx512;
  const int64_t oh = s.out_h(), ow = s.out_w();
  ParallelFor(s.batch * oh, threads,
              [&](int64_t r0, int64_t r1) { fn(s, oh, ow, in, out, r0, r1); });
}

void AvgPool(const PoolShape& s, const float* in, float* out, Isa isa, int threads) {
  auto fn = internal::AvgRowsReference;
  if (isa == Isa::kAvx2) fn = internal::AvgRowsAvx2;
  if (isa == Isa::kAvx512Vnni) fn = internal::AvgRowsAvx512;
  const int64_t oh = s.out_h(), ow = s.out_w();
  ParallelFor(s.batch * oh, threads,
              [&](int64_t r0, int64_t r1) { fn(s, oh, ow, in, out, r0, r1); });
}

void AdaptiveAvgPool(int64_t batch, int64_t h, int64_t w, int64_t c, int64_t out_h, int64_t out_w,
                     const float* in, float* out, Isa isa, int threads) {
  auto fn = internal::AdaptiveRowsReference;
  if (isa == Isa::kAvx2) fn = internal::AdaptiveRowsAvx2;
  if (isa == Isa::kAvx512Vnni) fn = internal::AdaptiveRowsAvx512;
  ParallelFor(batch * out_h, threads,
              [&](int64_t r0, int64_t r1) { fn(h, w, c, out_h, out_w, in, out, r0, r1); });
}

void NchwToNhwc(int64_t batch, int64_t c, int64_t h, int64_t w, const float* in, float* out,
                int threads) {
  Transpose(batch, c, h * w, in, out, threads);
}

void NhwcToNchw(int64_t batch, int64_t c, int64_t h, int64_t w, const float* in, float* out,
                int threads) {
  Transpose(batch, h * w, c, in, out, threads);
}

}  // namespace triton::kernels::pool
