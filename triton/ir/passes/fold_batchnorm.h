#pragma once
#include "triton/ir/module.h"

namespace triton::ir::passes {
// Batch-norm folding for inference: a conv2d / linear (or a fused op with no batch-norm, residual
// or activation yet) whose result's only user is a batch_norm over its output channels becomes
// one fused_conv2d / fused_linear with has_bn (operands gamma, beta, running mean, running var and
// the batch_norm's eps). Conditions, each checked:
//  - the dense result has exactly one use (no other op, not a module output);
//  - the batch-norm normalizes the output channels: always dim 1 of conv2d's [N, C, H, W]; for
//    linear only a 2-d result [N, out] (batch_norm over dim 1 of [N, T, out] normalizes T);
//  - its parameters are defined before the dense op (the fused op takes its place);
//  - the fused op type-checks to exactly the batch_norm's type.
// The weights are not rewritten here: the IR keeps the trained tensors (and their ternary codes)
// and the runtime folds w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var +
// eps) + beta when it materializes the weights (docs/compiler.md, "The fused-op contract").
bool RunFoldBatchnorm(Module& m);
}  // namespace triton::ir::passes
