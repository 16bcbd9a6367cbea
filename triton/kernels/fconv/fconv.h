#pragma once
// FP32 dense kernels on NHWC activations: convolution (any kernel size, stride, padding,
// dilation, groups), with a direct kernel for depthwise convolutions and im2col + BLAS sgemm
// (OpenBLAS through cblas) for the rest, and linear (sgemm; a batch-1 call is a GEMV). These run
// the layers a ternary model keeps in full precision (stem, classifier, depthwise, squeeze-and-
// excitation) and every layer of the "Triton FP32" engine.
//
// Layouts: input float NHWC [batch][in_h][in_w][in_c] (no padding border); output float NHWC
// [batch][out_h][out_w][out_c]; linear input [M][K] row-major, output [M][N].
// Weights come in PyTorch layout ([out_c][in_c/groups][kh][kw], linear [N][K]) with batch-norm
// already folded by the caller, and are repacked once by Pack*.
// Result contract: equal to the reference evaluator's conv2d/linear up to float summation order
// (tests: relative error <= 1e-5 of the output's max magnitude); the epilogue
// (common/epilogue.h) is applied exactly.
#include <cstdint>

#include "triton/base/cpu.h"
#include "triton/base/status.h"
#include "triton/kernels/common/buffer.h"
#include "triton/kernels/common/epilogue.h"

namespace triton::kernels::fconv {

struct ConvShape {
  int64_t batch = 1, in_h = 1, in_w = 1, in_c = 1;
  int64_t out_c = 1, kh = 1, kw = 1;
  int64_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, dil_h = 1, dil_w = 1, groups = 1;
  int64_t out_h() const { return (in_h + 2 * pad_h - dil_h * (kh - 1) - 1) / stride_h + 1; }
  int64_t out_w() const { return (in_w + 2 * pad_w - dil_w * (kw - 1) - 1) / stride_w + 1; }
  bool depthwise() const { return groups > 1 && groups == in_c && out_c == in_c; }
  int64_t macs() const { return batch * out_h() * out_w() * out_c * (in_c / groups) * kh * kw; }
};

// Positive sizes, in_c and out_c divisible by groups, a non-empty output; errors name the field.
Status ValidateShape(const ConvShape& s);

struct PackedConv {
  ConvShape shape;            // batch ignored
  AlignedBuffer<float> data;  // layout private to Conv (per group: [kh*kw*in_c/g][out_c/g], ...)
};
// `w`: [out_c][in_c/groups][kh][kw].
PackedConv PackConv(const ConvShape& s, const float* w);

// Scratch floats Conv needs for shape `s` at `threads` threads (im2col rows); 0 when none.
int64_t ConvScratchFloats(const ConvShape& s, int threads);
// `scratch`: at least ConvScratchFloats floats (may be null when that is 0).
void Conv(const ConvShape& s, const PackedConv& w, const float* in, const Epilogue& e, float* out,
          float* scratch, Isa isa, int threads);

struct PackedLinear {
  int64_t n = 0, k = 0;
  AlignedBuffer<float> data;  // [N][K] row-major (sgemm with B transposed)
};
PackedLinear PackLinear(int64_t n, int64_t k, const float* w);
// out[M][N] = epilogue(in[M][K] . w^T), per-column channel c = n.
void Linear(int64_t m, const PackedLinear& w, const float* in, const Epilogue& e, float* out,
            int threads);

// Sets the BLAS library's own thread count (OpenBLAS keeps a pthread pool of its own), for other
// users of BLAS in the process (libtorch). Conv and Linear thread themselves and set BLAS back to
// one thread on every call.
void SetBlasThreads(int threads);

}  // namespace triton::kernels::fconv
