#pragma once
// ir::Module -> the Plan the optimized CPU engine runs (runtime/cpu/engine.h): kernel selection
// from the kernel families of triton/kernels/ at one ISA level, layout assignment (NHWC for the
// fast convolution and pooling kernels, with explicit `reorder` steps where a step needs the
// other layout), then the memory planner (PlanMemory).
//
// Kernel choice per step (the first that applies; docs/kernels.md has the table):
//  - conv2d / fused_conv2d with an f32 rank-4 input and weights, bias and batch-norm operands
//    that are params or constants: trit weights, groups = 1, quantize_activations -> the ternary
//    int8 family (tconv::Select(isa).name, e.g. "conv2d_t2_u8_f32_6x64__avx512vnni"); a
//    depthwise f32 layer -> "conv2d_f32_nhwc_dw__<isa>"; otherwise -> "conv2d_f32_nhwc__blas"
//    (ternary weights then run dequantized, in FP32).
//  - linear / fused_linear on [M, K]: the same choice as a 1x1 convolution, named "linear_...".
//  - max/avg/adaptive/global average pooling of an f32 rank-4 tensor -> "<op>_f32_nhwc__<isa>".
//  - flatten of an f32 tensor -> "flatten_f32" (reads NHWC when H = W = 1, where both layouts
//    are the same bytes).
//  - relu, add of same-shape f32 tensors -> "<op>_f32" (layout-agnostic); mul by a per-channel
//    gate [N or 1, C, 1, 1] (squeeze-and-excitation) -> "mul_f32_channel" (either layout).
//  - anything else -> its reference kernel ("<op>__reference"), on NCHW buffers.
// Inputs and outputs of the plan are NCHW (as typed); a tensor needed in both layouts is reordered
// once. The result runs on the reference Executor too (reorder is an identity there).
#include <vector>

#include "triton/base/cpu.h"
#include "triton/base/status.h"
#include "triton/ir/module.h"
#include "triton/runtime/plan.h"

namespace triton::codegen {

struct CpuPlanOptions {
  Isa isa = Isa::kReference;
  bool quantize_activations = true;  // ternary layers on int8 activations (tconv family)
};

Result<runtime::Plan> BuildCpuPlan(const ir::Module& m,
                                   const std::vector<ir::TensorType>& input_types,
                                   const CpuPlanOptions& options);

}  // namespace triton::codegen
