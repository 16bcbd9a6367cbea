#pragma once
#include "triton/ir/module.h"

namespace triton::ir::passes {
// Algebraic simplification for inference. Each rule applies only when the result type equals the
// type of the value that replaces it (no broadcast or dtype change is lost):
//   x + 0, 0 + x, x - 0, x * 1, 1 * x, x / 1 -> x;   x * -1, -1 * x -> neg(x);   neg(neg(x)) -> x
//   x * 0, 0 * x -> zeros (assumes finite x: IEEE inf * 0 = nan is not preserved, documented)
//   matmul / linear / conv2d whose weight is an all-zero (ternary) constant -> zeros (+ bias)
//   dropout, ste_quantize, cast to the same dtype, reshape/flatten to the same shape -> x
// Constants are recognized by value whatever their dtype, so `x * TernaryTensor[1](1)` folds.
bool RunSimplify(Module& m);
}  // namespace triton::ir::passes
