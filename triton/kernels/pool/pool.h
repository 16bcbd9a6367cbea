#pragma once
// Pooling and layout kernels on float NHWC activations ([batch][h][w][c], contiguous), with the
// IR reference evaluator's semantics (PyTorch's): max pooling ignores padding (-inf) and keeps
// NaN; average pooling counts padded positions (count_include_pad = true) except those past the
// ceil_mode overhang, as torch.nn.AvgPool2d does; adaptive pooling uses PyTorch's bins
// floor(i * in / out) .. ceil((i + 1) * in / out). Results equal the reference up to float
// summation order for averages, exactly for max.
#include <cstdint>

#include "triton/base/cpu.h"

namespace triton::kernels::pool {

struct PoolShape {
  int64_t batch = 1, in_h = 1, in_w = 1, c = 1;
  int64_t kh = 1, kw = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
  bool ceil_mode = false;
  int64_t out_h() const;  // PyTorch's formula, including the ceil_mode rule
  int64_t out_w() const;
};

void MaxPool(const PoolShape& s, const float* in, float* out, Isa isa, int threads);
void AvgPool(const PoolShape& s, const float* in, float* out, Isa isa, int threads);
// [batch][h][w][c] -> [batch][out_h][out_w][c]; out_h = out_w = 1 is global average pooling.
void AdaptiveAvgPool(int64_t batch, int64_t h, int64_t w, int64_t c, int64_t out_h, int64_t out_w,
                     const float* in, float* out, Isa isa, int threads);

// Layout conversion: NCHW <-> NHWC for [batch][c][h][w].
void NchwToNhwc(int64_t batch, int64_t c, int64_t h, int64_t w, const float* in, float* out,
                int threads);
void NhwcToNchw(int64_t batch, int64_t c, int64_t h, int64_t w, const float* in, float* out,
                int threads);

}  // namespace triton::kernels::pool
