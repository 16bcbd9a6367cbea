#pragma once
#include "triton/ir/module.h"

namespace triton::ir::passes {
// Epilogue fusion: a conv2d / linear / fused op absorbs the element-wise ops that follow it, in
// the order of the fused ops' meaning act(bn(dense + bias) + residual) (ops.def), walking from the
// dense op along values that have exactly one use (one op operand, not a module output):
//  - a bias `add` of a [C, 1, 1] or [1, C, 1, 1] tensor (conv2d) or [C] / [1, C] (linear), when
//    the op has no bias, batch-norm, residual or activation yet;
//  - a residual `add` whose other operand has exactly the type of both the op's result and the
//    add's result (no broadcast, no dtype change), when it has no residual or activation yet;
//  - an activation (relu, relu6, sigmoid, silu, hardswish, hardsigmoid, gelu, tanh) when it has
//    none yet.
// Every absorbed operand must be defined before the dense op: the fused op is emitted at the dense
// op's position, so nothing moves. For `relu(a + b)` where both a and b end in dense ops (a
// ResNet block with a projection shortcut), the later of the two absorbs the add, since the
// other is defined before it. Each candidate must type-check to exactly the type of the value it
// replaces. Batch-norm is fold-batchnorm's (run it first).
bool RunFuseEpilogue(Module& m);
}  // namespace triton::ir::passes
