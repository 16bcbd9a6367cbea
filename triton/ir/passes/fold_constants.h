#pragma once
#include "triton/ir/module.h"

namespace triton::ir::passes {
// Constant folding: an op whose operands are all constants is evaluated by the reference
// evaluator (ir/eval.h) and replaced by a constant, when the result is small (at most
// kMaxFoldElements) and representable (not a trit tensor with scales, not int8 codes whose scale
// would be lost).
inline constexpr int64_t kMaxFoldElements = 1 << 16;
bool RunFoldConstants(Module& m);
}  // namespace triton::ir::passes
