#pragma once
// Every IR op as libtorch computes it: one exhaustive switch over OpKind (torch_ops.cc), the base
// of the training library's lowering and of the libtorch baseline of `triton bench perf`
// (torch_forward.h runs a whole module with it). The agreement test
// (tests/torch/torch_ops_test.cc) runs it beside the reference evaluator (triton/ir/eval.h).
//
// Representation: an IR tensor of dtype D is a torch tensor of the matching scalar type
// (TorchDType), except trit, which is float32 holding the dequantized values code * scale: the
// form a QAT forward pass uses. Codes are recovered as sign(value) where an op needs them (an
// integer result, dequantize with a scale operand, cast to an integer), which presumes positive
// scales (a zero scale only ever multiplies zero codes in ternary_quantize's results).
//
// Operands follow eval.h's rule: an op computes in the class of its result type, so a trit operand
// enters an integer-result op as its codes and a float-result op as its values. Ops with no
// integer CPU kernel in libtorch (conv2d, linear, matmul, pooling of integers) run in float64 and
// convert, which is exact for the integer ranges involved.
//
// Ops without a libtorch equivalent are written as torch expressions of their formulas
// (ternary_quantize, quantize_int8, and cast's saturating float -> integer conversion, which C and
// libtorch leave undefined out of range). Deviations of this representation from the evaluator:
// quantize_int8's result is the int8 codes only, so dequantize without a scale operand gives the
// codes (the evaluator multiplies the scale that rides on its HostTensor); a training lowering
// must fuse quantize_int8 + dequantize into a fake-quant.
#include <torch/torch.h>

#include <vector>

#include "triton/ir/eval.h"
#include "triton/ir/module.h"

namespace triton::torch_ops {

// Scalar type of an IR dtype in this representation (trit -> float32).
c10::ScalarType TorchDType(ir::DType t);

// HostTensor -> torch tensor (a copy): trit tensors as their dequantized float32 values.
torch::Tensor ToTorch(const ir::HostTensor& t);

// Runs `op` with libtorch on operands in this representation; `types` are the operands' IR types
// (they tell trit operands apart from float32 ones). Throws c10::Error (as libtorch does) when
// the op's type rule rejects the operands.
torch::Tensor RunOp(const ir::Op& op, const std::vector<torch::Tensor>& operands,
                    const std::vector<ir::TensorType>& types);

}  // namespace triton::torch_ops
